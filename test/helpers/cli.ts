import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import { startPlatform } from '../../src/platform/bootstrap.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { createLogger } from '../../src/platform/logging/logger.ts';
import { adminDatabaseUrl, databaseUrlFor, testEngine } from '../setup/engine.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function admin(query: string) {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/**
 * A workspace for the real `cardflow` command: a temporary directory with the embedded data directory
 * and key file, or on the PostgreSQL leg a fresh database made before the file's tests and dropped after.
 */
export function useCliWorkspace(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  const keyFilePath = path.join(dir, 'keys', 'cardflow-keys.json');
  const dbName = `cardflow_cli_${randomBytes(6).toString('hex')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, CARDFLOW_DATA_DIR: path.join(dir, 'data'), CARDFLOW_KEY_FILE: keyFilePath, CARDFLOW_ADMIN_PASSWORD: 'Admin-password-1' };
  for (const inherited of ['DATABASE_URL', 'CARDFLOW_KEYS', 'CARDFLOW_CONFIG', 'CARDFLOW_LOG_LEVEL', 'CARDFLOW_BACKUP_DIR']) delete env[inherited];

  beforeAll(async () => {
    if (testEngine() !== 'postgres') return;
    await admin(`create database ${dbName}`);
    env.DATABASE_URL = databaseUrlFor(adminDatabaseUrl(), dbName);
  }, 60_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (testEngine() === 'postgres') await admin(`drop database if exists ${dbName} with (force)`);
  }, 60_000);

  function cardflow(...args: string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/cardflow.js'), ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out = { stdout: '', stderr: '' };
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, ...out }));
    });
  }

  /** Runs a step that must succeed and returns its standard output. */
  async function ok(...args: string[]): Promise<string> {
    const run = await cardflow(...args);
    expect(run.code, `cardflow ${args.join(' ')}\n${run.stderr}`).toBe(0);
    return run.stdout;
  }

  /** The test's own connection to the workspace database, closed before a command opens it (PGlite has one writer). */
  async function withDb<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
    const ctx = await startPlatform(loadConfig(env), createLogger('silent'), { migrate: false });
    try {
      return await fn(ctx);
    } finally {
      await ctx.db.close();
    }
  }

  return { dir, env, keyFilePath, cardflow, ok, withDb };
}
