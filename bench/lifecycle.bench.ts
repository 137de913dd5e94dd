import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { ROOT, type BenchRow } from './support.ts';

/** Runs lifecycle-run.ts in its own process (so peak RSS is the scenario's own) and returns its rows. */
function runChild(env: Record<string, string>): Promise<BenchRow[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/lifecycle-run.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`lifecycle scenario failed (exit ${code})`));
      const last = out.trim().split('\n').pop() ?? '[]';
      resolve(JSON.parse(last) as BenchRow[]);
    });
  });
}

/**
 * The 100,000-application scenario on both engines: bulk import → approve → batch → package export →
 * results → shipments → receipt → issuance, with cards/s and peak RSS per step and the holder lookup
 * under load. BENCH_CARDS sets the size (e.g. 20000 for a quicker run).
 */
export async function benchLifecycle(): Promise<BenchRow[]> {
  const cards = process.env.BENCH_CARDS ?? '100000';
  const rows = await runChild({ BENCH_CARDS: cards, DATABASE_URL: '' });
  const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: admin });
  try {
    await client.connect();
  } catch (err) {
    process.stderr.write(`PostgreSQL not reachable at ${admin}; skipping the PostgreSQL leg (${(err as Error).message})\n`);
    return rows;
  }
  const name = `cardflow_bench_lc_${Date.now()}`;
  await client.query(`create database ${name}`);
  try {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    rows.push(...(await runChild({ BENCH_CARDS: cards, DATABASE_URL: url.toString() })));
  } finally {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
  return rows;
}
