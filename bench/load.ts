import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadKeyringFromFile } from '../src/platform/crypto/keyring.ts';
import { decryptField } from '../src/platform/crypto/field-cipher.ts';
import { cardflowSync, startCluster, type Cluster } from '../test/e2e/cluster.ts';
import { applicantCsv, citizenIdFor } from '../test/ops/crash-support.ts';
import { pacedLoad, quantile } from './paced-load.ts';
import { ROOT, type BenchRow } from './support.ts';

const ADMIN_PASSWORD = 'Load-admin-password-1';
/** Every demo user's password (src/cli/demo.ts). */
const DEMO_PASSWORD = 'Demo-password-1';
const SEEDED_APPLICATIONS = Number(process.env.LOAD_APPLICATIONS ?? 20_000);
const TRACK_RATE = Number(process.env.LOAD_TRACK_RATE ?? 1_000);
const TRACK_SECONDS = Number(process.env.LOAD_TRACK_SECONDS ?? 20);
const OTHER_SECONDS = Number(process.env.LOAD_SECONDS ?? 8);

async function login(url: string, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('cf_session='))!.split(';')[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

interface PathResult {
  path: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: Record<string, number>;
}

/**
 * One path against every API process at once (an autocannon per process, the rate split evenly), as
 * a load balancer spreads clients. p99 is the worst of the processes' p99s, p50 their request-weighted mean.
 */
async function hit(cluster: Cluster, name: string, opts: Omit<autocannon.Options, 'url'> & { path: string; rate?: number }): Promise<PathResult> {
  const n = cluster.apiUrls.length;
  const results = await Promise.all(
    cluster.apiUrls.map((base) =>
      cannon({
        ...opts,
        url: `${base}${opts.path}`,
        connections: Math.max(1, Math.round((opts.connections ?? 10) / n)),
        ...(opts.rate ? { overallRate: opts.rate / n } : {}),
      }),
    ),
  );
  const requests = results.reduce((s, r) => s + r.requests.total, 0);
  const seconds = Math.max(...results.map((r) => r.duration));
  const non2xx: Record<string, number> = {};
  for (const r of results) for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) if (!code.startsWith('2')) non2xx[code] = (non2xx[code] ?? 0) + (s.count ?? 0);
  return {
    path: name,
    requests,
    rps: Math.round(requests / seconds),
    p50: Math.round((results.reduce((s, r) => s + r.latency.p50 * r.requests.total, 0) / Math.max(1, requests)) * 10) / 10,
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((s, r) => s + r.errors + r.timeouts + r.non2xx, 0),
    non2xx,
  };
}

/** 10.x.y.z: a different client address per lookup, as holders' phones are; the per-address limit stays on. */
const randomClient = () => `10.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}.${(Math.random() * 256) | 0}`;

/**
 * `npm run load`: a fresh PostgreSQL database with the demo city plus LOAD_APPLICATIONS imported
 * applications, two `serve --role api` and two `serve --role worker` processes, then, bounded in time:
 * the holder lookup at an even LOAD_TRACK_RATE req/s (pacedLoad: autocannon cannot pace), and
 * autocannon at full speed over the review queue, the statistics dashboard, counter intake and receipt scans.
 */
export async function benchLoad(): Promise<BenchRow[]> {
  const t0 = performance.now();
  let rpId = '';
  let outletId = '';
  const cluster = await startCluster({
    apis: 2,
    workers: 2,
    adminPassword: ADMIN_PASSWORD,
    env: { CARDFLOW_LOG_LEVEL: 'error', CARDFLOW_BACKUP_INTERVAL_HOURS: '0' },
    beforeStart: async (env) => {
      cardflowSync(env, 'demo');
      const db = new pg.Client({ connectionString: env.DATABASE_URL });
      await db.connect();
      try {
        const ids = await db.query<{ rp: string; outlet: string }>(
          `select p.id as rp, o.id as outlet from programmes p, organisations o where p.kind = 'RESIDENCE_PERMIT' and o.name = '湖塘派出所受理点'`,
        );
        rpId = ids.rows[0]!.rp;
        outletId = ids.rows[0]!.outlet;
      } finally {
        await db.end();
      }
      const file = path.join(tmpdir(), `cardflow-load-${process.pid}.csv`);
      writeFileSync(file, applicantCsv(0, SEEDED_APPLICATIONS));
      cardflowSync(env, 'applications', 'import', file, '--programme', rpId, '--outlet', outletId);
    },
  });
  const seededMs = performance.now() - t0;
  try {
    const db = new pg.Client({ connectionString: cluster.databaseUrl });
    // The cluster's stop drops the database with its connections; an error here must not hide the real one.
    db.on('error', () => undefined);
    await db.connect();
    const keyring = loadKeyringFromFile(cluster.env.CARDFLOW_KEY_FILE!);
    const tracked = await db.query<{ application_no: string; citizen_id_enc: string }>('select application_no, citizen_id_enc from applications order by random() limit 2000');
    const lookups = tracked.rows.map((r) => JSON.stringify({ applicationNo: r.application_no, idLast6: decryptField(keyring, r.citizen_id_enc).slice(-6) }));
    const [parcel] = (
      await db.query<{ id: string; username: string; card_no: string[] }>(
        `select s.id, (select u.username from users u where u.org_id = s.receiver_org_id and u.username like 'clerk%' order by u.username limit 1) as username,
                array(select i.card_no from shipment_items i where i.shipment_id = s.id order by i.card_no) as card_no
           from shipments s where s.status = 'SHIPPED' order by s.shipped_at limit 1`,
      )
    ).rows;
    const [{ n: applications }] = (await db.query<{ n: number }>('select count(*)::int as n from applications')).rows as [{ n: number }];
    await db.end();
    if (!parcel) throw new Error('the demo left no parcel open for receipt scans');

    const reviewer = await login(cluster.url, 'police_reviewer', DEMO_PASSWORD);
    const manager = await login(cluster.url, 'police_manager', DEMO_PASSWORD);
    const clerk = await login(cluster.url, 'clerk1', DEMO_PASSWORD);
    const receiver = await login(cluster.url, parcel.username, DEMO_PASSWORD);
    const photo = readFileSync(path.join(ROOT, 'assets/demo/portrait-1.jpg')).toString('base64');
    const jsonHeaders = (s: { cookie: string; csrf: string }) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' });

    let lookup = 0;
    const track = (seconds: number, rate: number) =>
      pacedLoad({
        urls: cluster.apiUrls,
        path: '/api/v1/public/track',
        method: 'POST',
        rate,
        seconds,
        headers: () => ({ 'content-type': 'application/json', 'x-forwarded-for': randomClient() }),
        body: () => lookups[lookup++ % lookups.length]!,
      });
    // Warm-up at the measured rate, not measured: the JIT, the connection pools, PostgreSQL's caches, and
    // the workers' first jobs after the import, which keep a core busy for about two seconds.
    await track(5, TRACK_RATE);
    const measured = await track(TRACK_SECONDS, TRACK_RATE);
    const results: PathResult[] = [
      {
        path: 'holder lookup POST /public/track',
        requests: measured.requests,
        rps: measured.rps,
        p50: Math.round(quantile(measured.latencies, 0.5) * 10) / 10,
        p99: Math.round(quantile(measured.latencies, 0.99) * 10) / 10,
        errors: measured.errors,
        non2xx: measured.non2xx,
      },
    ];
    results.push(await hit(cluster, 'review queue GET /review-queue', { path: `/api/v1/review-queue?programmeId=${rpId}&limit=20`, headers: { cookie: reviewer.cookie }, connections: 8, duration: OTHER_SECONDS }));
    // No dates: the server's default, the 30 Shanghai days up to today, is what the console opens with.
    // Dates taken from the UTC clock left out the demo's cards between 16:00 and 24:00 UTC.
    results.push(await hit(cluster, 'dashboard GET /reports/summary', { path: '/api/v1/reports/summary', headers: { cookie: manager.cookie }, connections: 4, duration: OTHER_SECONDS }));
    let next = SEEDED_APPLICATIONS;
    results.push(
      await hit(cluster, 'intake POST /applications', {
        path: '/api/v1/applications',
        method: 'POST',
        headers: jsonHeaders(clerk),
        connections: 4,
        duration: OTHER_SECONDS,
        requests: [
          {
            setupRequest: (req: autocannon.Request) => {
              const { citizenId, birthDate } = citizenIdFor(next++);
              const body = { programmeId: rpId, kind: 'NEW', name: '压测受理', citizenId, phone: '13912345678', sex: 'M', ethnicity: '01', birthDate, basis: 'EMPLOYMENT', hukouAddress: '江苏省常州市武进区湖塘镇人民路1号', residenceAddress: '江苏省常州市武进区湖塘镇花园街2号', photoJpegBase64: photo };
              return { ...req, body: JSON.stringify(body) };
            },
          },
        ],
      }),
    );
    let scan = 0;
    results.push(
      await hit(cluster, 'receipt scan POST /shipments/:id/scans', {
        path: `/api/v1/shipments/${parcel.id}/scans`,
        method: 'POST',
        headers: jsonHeaders(receiver),
        connections: 4,
        duration: OTHER_SECONDS,
        requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ cardNo: parcel.card_no[scan++ % parcel.card_no.length] }) }) }],
      }),
    );
    for (const p of cluster.processes) if (p.child.exitCode !== null) throw new Error(`${p.role} process died during the load test:\n${p.output()}`);

    const rows: BenchRow[] = [{ scenario: 'set-up (demo + import, 2 api + 2 workers)', metric: 'applications in the database', value: applications, unit: 'rows' }];
    rows.push({ scenario: 'set-up (demo + import, 2 api + 2 workers)', metric: 'time to ready', value: Math.round(seededMs / 100) / 10, unit: 's' });
    for (const r of results) {
      const isTrack = r.path.startsWith('holder lookup');
      rows.push({ scenario: r.path, metric: 'throughput', value: r.rps, unit: 'req/s', ...(isTrack ? { target: `≥ ${Math.round(TRACK_RATE * 0.97)}`, pass: r.rps >= TRACK_RATE * 0.97 } : {}) });
      rows.push({ scenario: r.path, metric: 'p50 latency', value: r.p50, unit: 'ms' });
      rows.push({ scenario: r.path, metric: 'p99 latency', value: r.p99, unit: 'ms', ...(isTrack ? { target: '< 20', pass: r.p99 < 20 } : {}) });
      rows.push({ scenario: r.path, metric: `errors${Object.keys(r.non2xx).length ? ` ${JSON.stringify(r.non2xx)}` : ''}`, value: r.errors, unit: 'count', target: '0', pass: r.errors === 0 });
    }
    rows.push({ scenario: 'whole run', metric: 'wall time', value: Math.round((performance.now() - t0) / 100) / 10, unit: 's', target: '< 300', pass: performance.now() - t0 < 300_000 });
    return rows;
  } finally {
    await cluster.stop();
  }
}
