import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { crashDuringImport, crashDuringKeyRotation, crashDuringPackageExport, seedCrashCity, seeded, withDatabase, type CrashMeasure, type CrashWorkspace } from '../test/ops/crash-support.ts';
import type { BenchRow } from './support.ts';

/**
 * The kill -9 crash scenarios of test/ops/crash.test.ts at full size: CRASH_ROWS (default 100,000)
 * applications imported, ordered in one batch and exported, then every encrypted field rotated; on
 * PostgreSQL (DATABASE_URL or the local server), or on PGlite with CRASH_ENGINE=pglite. Every
 * scenario's checks run as in the test; the table shows where the kill landed and how long the redo took.
 */
export async function benchCrash(): Promise<BenchRow[]> {
  const rows = Number(process.env.CRASH_ROWS ?? 100_000);
  const seed = Number(process.env.CARDFLOW_CRASH_SEED ?? 20261202);
  const engine = process.env.CRASH_ENGINE === 'pglite' ? 'PGlite' : 'PostgreSQL';
  const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-bench-crash-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CARDFLOW_KEY_FILE: path.join(dir, 'keys.json'), CARDFLOW_ADMIN_PASSWORD: 'Crash-admin-password-1', CARDFLOW_LOG_LEVEL: 'warn' };
  for (const inherited of ['DATABASE_URL', 'CARDFLOW_KEYS', 'CARDFLOW_CONFIG', 'CARDFLOW_BACKUP_DIR', 'CARDFLOW_DATA_DIR']) delete env[inherited];
  const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `cardflow_crash_${Date.now()}`;
  if (engine === 'PostgreSQL') {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`create database ${dbName}`);
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${dbName}`;
    env.DATABASE_URL = url.toString();
  } else {
    env.CARDFLOW_DATA_DIR = path.join(dir, 'data');
  }
  const ws: CrashWorkspace = { env, dir };
  const random = seeded(seed);
  const measured: CrashMeasure[] = [];
  try {
    const city = await withDatabase(ws, (ctx) => seedCrashCity(ctx, rows));
    measured.push(await crashDuringImport(ws, city, rows, random));
    measured.push(await crashDuringPackageExport(ws, city, random));
    measured.push(await crashDuringKeyRotation(ws, random, 2000));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (engine === 'PostgreSQL') {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`drop database if exists ${dbName} with (force)`);
      await client.end();
    }
  }
  return measured.map((m) => ({ scenario: `kill -9 during ${m.scenario} (${engine}, seed ${seed}; killed at ${m.killedAt})`, metric: 'redo after restart, checks passed', value: Math.round(m.redoMs / 100) / 10, unit: 's', pass: true }));
}
