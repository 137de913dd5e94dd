import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startServer, stopServer, type BenchRow } from './support.ts';

const PASSWORD = 'Bench-password-1';

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('cf_session='))!;
  return cookie.split(';')[0]!;
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function measure(engine: string, env: Record<string, string>, seconds: number): Promise<BenchRow[]> {
  const server = await startServer({ ...env, CARDFLOW_ADMIN_PASSWORD: PASSWORD, CARDFLOW_LOGIN_IP_LIMIT: '100000', CARDFLOW_LOGIN_MAX_FAILURES: '100' });
  try {
    const cookie = await login(server.url);
    const loginResult = await run({
      url: `${server.url}/api/v1/auth/login`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
      connections: 4,
      duration: seconds,
    });
    const getResult = await run({ url: `${server.url}/api/v1/orgs`, headers: { cookie }, connections: 10, duration: seconds });
    const rows = (name: string, r: autocannon.Result): BenchRow[] => {
      const errors = r.errors + r.timeouts + r.non2xx;
      return [
        { scenario: `${name} (${engine})`, metric: 'throughput', value: Math.round(r.requests.average), unit: 'req/s' },
        { scenario: `${name} (${engine})`, metric: 'p99 latency', value: r.latency.p99, unit: 'ms' },
        { scenario: `${name} (${engine})`, metric: 'errors + non-2xx', value: errors, unit: 'count', target: '0', pass: errors === 0 },
      ];
    };
    return [...rows('login (scrypt)', loginResult), ...rows('GET /api/v1/orgs signed in', getResult)];
  } finally {
    await stopServer(server.child);
  }
}

/** Login and an authenticated GET with autocannon against a server on loopback, on both engines. */
export async function benchHttp(seconds = 5): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-bench-http-'));
  const rows: BenchRow[] = [];
  try {
    rows.push(...(await measure('PGlite', { CARDFLOW_DATA_DIR: path.join(dir, 'data'), CARDFLOW_KEY_FILE: path.join(dir, 'keys.json') }, seconds)));
    const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const name = `cardflow_bench_${Date.now()}`;
    const client = new pg.Client({ connectionString: admin });
    try {
      await client.connect();
    } catch (err) {
      process.stderr.write(`PostgreSQL not reachable at ${admin}; skipping the PostgreSQL leg (${(err as Error).message})\n`);
      return rows;
    }
    await client.query(`create database ${name}`);
    try {
      const url = new URL(admin);
      url.pathname = `/${name}`;
      rows.push(...(await measure('PostgreSQL', { DATABASE_URL: url.toString(), CARDFLOW_KEY_FILE: path.join(dir, 'keys-pg.json') }, seconds)));
    } finally {
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
