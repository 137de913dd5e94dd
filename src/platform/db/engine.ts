import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import * as schema from './schema.ts';
import { fromRoot } from '../paths.ts';
import { pgliteTemplate } from './pglite-template.ts';

export type Schema = typeof schema;
/** The Drizzle handle both engines share; a transaction handle has the same query surface. */
export type Orm = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];
/** Anything queries can run on: the database or an open transaction. */
export type Queryable = Orm | Tx;

export const MIGRATIONS_DIR = fromRoot('drizzle');

export interface Database {
  engine: 'pglite' | 'postgres';
  orm: Orm;
  /** Raw rows for SQL the query builder does not express well (locks, COPY, catalog queries). */
  rows<T extends Record<string, unknown>>(q: Queryable | null, query: SQL): Promise<T[]>;
  migrate(): Promise<void>;
  /** Whether every migration shipped with this build has been applied. */
  migrationsApplied(): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The PGlite instance (embedded engine only), for dumps and backups. */
  pglite?: PGlite;
  pool?: pg.Pool;
}

export interface OpenOptions {
  databaseUrl: string | null;
  dataDir: string | null; // null = in memory (tests)
  poolSize?: number;
  loadDataDir?: Blob;
}

// int8 as JS number: counts and sequence numbers here stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts.dataDir, opts.loadDataDir);
}

async function openPglite(dataDir: string | null, loadDataDir?: Blob): Promise<Database> {
  // A new data directory starts from the cluster prepared at install time: unpacking it takes about
  // a second where PGlite's initdb takes several.
  const fresh = dataDir !== null && !existsSync(path.join(dataDir, 'PG_VERSION'));
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir: dataDir ?? undefined, loadDataDir: loadDataDir ?? (fresh ? pgliteTemplate() : undefined) });
  const orm = drizzlePglite(client, { schema }) as unknown as Orm;
  const db: Database = {
    engine: 'pglite',
    orm,
    pglite: client,
    rows: async <T extends Record<string, unknown>>(q: Queryable | null, query: SQL) =>
      ((await (q ?? orm).execute(query)) as unknown as { rows: T[] }).rows,
    migrate: async () => {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
    },
    migrationsApplied: () => migrationsApplied(db),
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
  return db;
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'cardflow' });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const orm = drizzlePg(pool, { schema }) as unknown as Orm;
  const db: Database = {
    engine: 'postgres',
    orm,
    pool,
    rows: async <T extends Record<string, unknown>>(q: Queryable | null, query: SQL) =>
      ((await (q ?? orm).execute(query)) as unknown as { rows: T[] }).rows,
    migrate: async () => {
      // Several processes may start at once: one migrates, the others wait on the lock.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(7283519)');
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await client.query('select pg_advisory_unlock(7283519)').catch(() => undefined);
        client.release();
      }
    },
    migrationsApplied: () => migrationsApplied(db),
    ping: async () => {
      await pool.query('select 1');
    },
    close: async () => {
      await pool.end();
    },
  };
  return db;
}

async function migrationsApplied(db: Database): Promise<boolean> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  const shipped = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  const exists = await db.rows<{ t: string | null }>(null, sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`);
  if (!exists[0]?.t) return shipped.length === 0;
  const applied = await db.rows<{ hash: string }>(null, sql`select hash from drizzle.__drizzle_migrations`);
  const appliedHashes = new Set(applied.map((r) => r.hash));
  return shipped.every((m) => appliedHashes.has(m.hash));
}
