import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import { openDatabase, type Database, type Orm } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { BACKUP_FORMAT, openManifest, openPayload, sealStream, signManifest, checkPayload, type BackupManifest, type TableFingerprint } from './backup-format.ts';
import { fingerprintDifferences, fingerprintTables } from './fingerprint.ts';

export const MANIFEST_SUFFIX = '.manifest.json';

/** File names sort by time, so the newest backups are the last ones listed. */
function stampOf(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

async function appliedMigrations(db: Database, q: Orm | null = null): Promise<number> {
  const [row] = await db.rows<{ n: number }>(q, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Number(row?.n ?? 0);
}

/** pg_dump and pg_restore read the connection from the environment: the password stays out of the process list. */
function libpqEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const u = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || '5432', PGDATABASE: decodeURIComponent(u.pathname.slice(1)) };
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/** Runs a PostgreSQL client tool; its stderr becomes the error when it fails. */
function runTool(command: string, args: string[], env: NodeJS.ProcessEnv, stdout: 'pipe' | 'ignore' = 'ignore') {
  const child = spawn(command, args, { env, stdio: ['ignore', stdout, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new AppError('BACKUP_TOOL_FAILED', { params: { tool: command, reason: err.message } })));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new AppError('BACKUP_TOOL_FAILED', { params: { tool: command, reason: stderr.trim().split('\n').slice(-3).join(' ') || `exit ${code}` } }))));
  });
  return { child, done };
}

interface DumpSource {
  content: BackupManifest['content'];
  stream: Readable;
  /** Settles when the dump is complete; gives the fingerprints of exactly the data that was dumped. */
  finished: Promise<{ tables: Record<string, TableFingerprint>; migrations: number }>;
}

/**
 * PostgreSQL: pg_dump reads the snapshot that a repeatable-read transaction exported, and the table
 * fingerprints are taken in that same transaction, so they describe the dump even while the system runs.
 */
async function postgresDump(ctx: AppContext): Promise<DumpSource> {
  const client = await ctx.db.pool!.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const { rows } = await client.query<{ snapshot: string }>('select pg_export_snapshot() as snapshot');
    const tool = runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${rows[0]!.snapshot}`], libpqEnv(ctx.db.pool!.options.connectionString!), 'pipe');
    const q = drizzlePg(client) as unknown as Orm;
    const finished = (async () => {
      try {
        const tables = await fingerprintTables(ctx.db, q);
        const migrations = await appliedMigrations(ctx.db, q);
        await tool.done;
        return { tables, migrations };
      } catch (err) {
        tool.child.kill();
        throw err;
      } finally {
        await client.query('rollback').catch(() => undefined);
        client.release();
      }
    })();
    return { content: 'pg_dump-custom', stream: tool.child.stdout!, finished };
  } catch (err) {
    client.release();
    throw err;
  }
}

/**
 * PGlite: the data directory as a gzipped tarball, taken while no query runs (a crash-consistent copy:
 * its WAL is in it). The fingerprints are read from a throw-away in-memory copy of that very tarball, which
 * also proves the backup opens.
 */
async function pgliteDump(ctx: AppContext): Promise<DumpSource> {
  await ctx.db.pglite!.query('checkpoint');
  const tarball = await ctx.db.pglite!.dumpDataDir('gzip');
  const finished = (async () => {
    const copy = await openDatabase({ databaseUrl: null, dataDir: null, loadDataDir: tarball });
    try {
      return { tables: await fingerprintTables(copy), migrations: await appliedMigrations(copy) };
    } finally {
      await copy.close();
    }
  })();
  return { content: 'pglite-datadir-tgz', stream: Readable.from(Buffer.from(await tarball.arrayBuffer())), finished };
}

export interface BackupResult {
  manifestPath: string;
  manifest: BackupManifest;
}

/**
 * Writes `<stamp>.dump.sm4` and `<stamp>.manifest.json` into `dir`. Both are written under temporary names
 * and renamed only when complete, so a crash leaves no backup that looks finished.
 */
export async function createBackup(ctx: AppContext, dir: string, now: Date = new Date()): Promise<BackupResult> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = stampOf(now);
  const payloadName = `cardflow-${ctx.db.engine}-${stamp}.dump.sm4`;
  const payloadPath = path.join(dir, payloadName);
  const manifestPath = path.join(dir, `cardflow-${ctx.db.engine}-${stamp}${MANIFEST_SUFFIX}`);
  const partial = `${payloadPath}.partial`;
  try {
    const source = ctx.db.engine === 'postgres' ? await postgresDump(ctx) : await pgliteDump(ctx);
    const [sealed, facts] = await Promise.all([sealStream(ctx.keyring, source.stream, createWriteStream(partial, { mode: 0o600 })), source.finished]);
    const manifest = signManifest(ctx.keyring, {
      format: BACKUP_FORMAT,
      engine: ctx.db.engine,
      createdAt: now.toISOString(),
      content: source.content,
      keyId: sealed.keyId,
      cipher: 'SM4-CBC',
      iv: sealed.iv,
      payload: { file: payloadName, bytes: sealed.bytes, plainBytes: sealed.plainBytes, plainSm3: sealed.plainSm3, mac: sealed.mac },
      migrations: facts.migrations,
      tables: facts.tables,
    });
    renameSync(partial, payloadPath);
    writeFileSync(`${manifestPath}.partial`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${manifestPath}.partial`, manifestPath);
    return { manifestPath, manifest };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

function readManifest(keyring: Keyring, manifestPath: string): BackupManifest {
  if (!existsSync(manifestPath)) throw new AppError('BACKUP_MANIFEST_INVALID', { params: { reason: `${manifestPath} does not exist` } });
  return openManifest(keyring, readFileSync(manifestPath, 'utf8'));
}

/** Authenticates a backup end to end (manifest, ciphertext) without decrypting it anywhere. */
export async function verifyBackup(keyring: Keyring, manifestPath: string): Promise<BackupManifest> {
  const manifest = readManifest(keyring, manifestPath);
  await checkPayload(keyring, manifest, path.join(path.dirname(manifestPath), manifest.payload.file));
  return manifest;
}

export type RestoreTarget = { engine: 'pglite'; dataDir: string | null } | { engine: 'postgres'; databaseUrl: string };

export interface RestoreResult {
  manifest: BackupManifest;
  /** The restored database, open; the caller closes it. */
  db: Database;
  tables: Record<string, TableFingerprint>;
}

function checkRestorable(manifest: BackupManifest, target: RestoreTarget, shippedMigrations: number): void {
  if (manifest.engine !== target.engine) throw new AppError('BACKUP_ENGINE_MISMATCH', { params: { backup: manifest.engine, target: target.engine } });
  if (manifest.migrations > shippedMigrations) throw new AppError('BACKUP_NEWER_THAN_CODE', { params: { backup: manifest.migrations, code: shippedMigrations } });
  if (target.engine === 'pglite' && target.dataDir && existsSync(target.dataDir) && readdirSync(target.dataDir).length > 0) {
    throw new AppError('BACKUP_TARGET_NOT_EMPTY', { params: { dir: target.dataDir } });
  }
}

/**
 * Restores into an empty PGlite data directory (or memory) or into a PostgreSQL database (pg_restore
 * --clean in one transaction: a failure changes nothing), then compares every table with the manifest.
 * Nothing is touched until the manifest, the ciphertext and the decrypted content have all been proven intact.
 */
export async function restoreBackup(keyring: Keyring, manifestPath: string, target: RestoreTarget, shippedMigrations: number): Promise<RestoreResult> {
  const manifest = readManifest(keyring, manifestPath);
  checkRestorable(manifest, target, shippedMigrations);
  const work = await mkdtemp(path.join(tmpdir(), 'cardflow-restore-'));
  try {
    const plain = path.join(work, 'dump');
    await openPayload(keyring, manifest, path.join(path.dirname(manifestPath), manifest.payload.file), plain);
    let db: Database;
    if (target.engine === 'pglite') {
      if (target.dataDir) {
        mkdirSync(target.dataDir, { recursive: true, mode: 0o700 });
        await (await PGlite.create({ dataDir: target.dataDir, loadDataDir: new Blob([readFileSync(plain)]) })).close();
        db = await openDatabase({ databaseUrl: null, dataDir: target.dataDir });
      } else {
        db = await openDatabase({ databaseUrl: null, dataDir: null, loadDataDir: new Blob([readFileSync(plain)]) });
      }
    } else {
      const env: NodeJS.ProcessEnv = { ...libpqEnv(target.databaseUrl), PGOPTIONS: '-c client_min_messages=warning' };
      // pg_restore insists on --dbname; the name alone keeps the password in the environment.
      await runTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${env.PGDATABASE}`, plain], env).done;
      db = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: null, poolSize: 2 });
    }
    const tables = await fingerprintTables(db);
    const differ = fingerprintDifferences(manifest.tables, tables);
    if (differ.length > 0) {
      await db.close();
      throw new AppError('BACKUP_RESTORE_MISMATCH', { params: { tables: differ.slice(0, 10).join(', ') } });
    }
    return { manifest, db, tables };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Keeps the newest `keep` backups in `dir` and deletes the rest (manifest and payload together). */
export function pruneBackups(dir: string, keep: number): string[] {
  if (!existsSync(dir)) return [];
  const manifests = readdirSync(dir)
    .filter((f) => f.startsWith('cardflow-') && f.endsWith(MANIFEST_SUFFIX))
    .sort();
  const removed = manifests.slice(0, Math.max(0, manifests.length - keep));
  for (const m of removed) {
    rmSync(path.join(dir, m.replace(MANIFEST_SUFFIX, '.dump.sm4')), { force: true });
    rmSync(path.join(dir, m), { force: true });
  }
  return removed;
}
