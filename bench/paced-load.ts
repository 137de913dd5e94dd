import http from 'node:http';

export interface PacedResult {
  requests: number;
  rps: number;
  /** Milliseconds from each request's scheduled time to its whole response. */
  latencies: number[];
  errors: number;
  non2xx: Record<string, number>;
}

export interface PacedOptions {
  /** Base URLs, taken in turn as a round-robin balancer would. */
  urls: string[];
  path: string;
  method: 'GET' | 'POST';
  rate: number;
  seconds: number;
  headers: () => Record<string, string>;
  body?: () => string;
  /** Keep-alive sockets per base URL; requests beyond them wait in the agent, and that wait is measured. */
  sockets?: number;
  timeoutMs?: number;
}

/**
 * Open-loop load at an even rate: request i is due at start + i/rate whatever happened to the ones
 * before, and its latency runs from that due time, so a server that falls behind is charged for the
 * queue it builds. autocannon's rate limit instead lets each connection send its whole quota for the
 * second back to back and then wait, which measures a burst of concurrent requests once a second.
 */
export async function pacedLoad(opts: PacedOptions): Promise<PacedResult> {
  const agents = opts.urls.map(() => new http.Agent({ keepAlive: true, maxSockets: opts.sockets ?? 32 }));
  const total = Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  const non2xx: Record<string, number> = {};
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const send = (i: number, due: number) => {
    const base = new URL(opts.urls[i % opts.urls.length]!);
    const body = opts.body?.();
    const p = new Promise<void>((resolve) => {
      const req = http.request(
        { host: base.hostname, port: base.port, path: opts.path, method: opts.method, agent: agents[i % agents.length], headers: { ...opts.headers(), ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) }, timeout: opts.timeoutMs ?? 10_000 },
        (res) => {
          res.resume();
          res.on('end', () => {
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) latencies.push(performance.now() - due);
            else {
              errors++;
              non2xx[code] = (non2xx[code] ?? 0) + 1;
            }
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + (next * 1000) / opts.rate <= now) {
      send(next, start + (next * 1000) / opts.rate);
      next++;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all([...inFlight]);
  const seconds = (performance.now() - start) / 1000;
  for (const a of agents) a.destroy();
  return { requests: total, rps: Math.round((total - errors) / seconds), latencies, errors, non2xx };
}

/** The q-quantile (0..1) of the values, nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
