import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { openDatabase, type Database } from '../../src/platform/db/engine.ts';
import { loadConfig, type Config } from '../../src/platform/config/config.ts';
import { Keyring, generateKeyFile } from '../../src/platform/crypto/keyring.ts';
import { createLogger } from '../../src/platform/logging/logger.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { adminDatabaseUrl, databaseUrlFor, testEngine } from '../setup/engine.ts';

/** Lines the logger wrote, after redaction: tests read them to prove nothing sensitive leaks. */
export class LogCapture {
  lines: string[] = [];
  write(line: string) {
    this.lines.push(line);
  }
  get text() {
    return this.lines.join('');
  }
}

export interface TestContext extends AppContext {
  logs: LogCapture;
  cleanup(): Promise<void>;
}

/** A fresh database cloned from the migrated template, a fresh keyring and a captured logger. */
export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const template = inject('dbTemplate');
  let db: Database;
  let drop: () => Promise<void> = async () => undefined;
  if (testEngine() === 'pglite') {
    db = await openDatabase({ databaseUrl: null, dataDir: null, loadDataDir: new Blob([readFileSync(template)]) });
  } else {
    const admin = adminDatabaseUrl();
    const name = `cardflow_t_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`create database ${name} template ${template}`);
    await client.end();
    db = await openDatabase({ databaseUrl: databaseUrlFor(admin, name), dataDir: null, poolSize: 5 });
    drop = async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const config: Config = { ...loadConfig({}), ...overrides };
  const logs = new LogCapture();
  const ctx: TestContext = {
    config,
    db,
    keyring: Keyring.fromKeyFile(generateKeyFile()),
    logger: createLogger('info', logs),
    logs,
    cleanup: async () => {
      await db.close();
      await drop();
    },
  };
  return ctx;
}

/** Registers beforeAll/afterAll for a test file and hands back the context once it exists. */
export function useTestContext(overrides: Partial<Config> = {}): () => TestContext {
  let ctx: TestContext | null = null;
  beforeAll(async () => {
    ctx = await createTestContext(overrides);
  });
  afterAll(async () => {
    await ctx?.cleanup();
  });
  return () => {
    if (!ctx) throw new Error('test context used before beforeAll ran');
    return ctx;
  };
}
