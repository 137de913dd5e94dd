import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup, pruneBackups, restoreBackup, verifyBackup, type RestoreTarget } from '../../src/modules/ops/backup-service.ts';
import { backupIfDue } from '../../src/modules/ops/backup-jobs.ts';
import { opsBackups } from '../../src/modules/ops/schema.ts';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { fingerprintTables } from '../../src/modules/ops/fingerprint.ts';
import { generateKeyFile, Keyring } from '../../src/platform/crypto/keyring.ts';
import { verifyAuditChain } from '../../src/platform/audit/service.ts';
import { AppError } from '../../src/platform/errors/app-error.ts';
import type { Database } from '../../src/platform/db/engine.ts';
import { seedCity, useHarness } from '../helpers/app.ts';

const h = useHarness();
const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-backup-test-'));
const shipped = readdirSync(new URL('../../drizzle', import.meta.url)).filter((f) => f.endsWith('.sql')).length;
let manifestPath: string;
let before: Awaited<ReturnType<typeof fingerprintTables>>;

beforeAll(async () => {
  await seedCity(h().ctx);
  // Some activity that writes encrypted fields, events and the audit chain.
  const admin = await h().login('admin');
  expect((await h().request('GET', '/api/v1/orgs', { session: admin })).statusCode).toBe(200);
  before = await fingerprintTables(h().ctx.db);
  ({ manifestPath } = await createBackup(h().ctx, dir, new Date('2026-12-01T02:00:00Z')));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function targetFor(db: Database): RestoreTarget {
  return db.engine === 'pglite' ? { engine: 'pglite', dataDir: null } : { engine: 'postgres', databaseUrl: db.pool!.options.connectionString! };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'no error';
}

function payloadOf(manifest: string): string {
  return path.join(dir, (JSON.parse(readFileSync(manifest, 'utf8')) as { payload: { file: string } }).payload.file);
}

describe('backup', () => {
  it('records every table with its row count and checksum as they were, and the payload keeps no plaintext', async () => {
    const manifest = await verifyBackup(h().ctx.keyring, manifestPath);
    expect(manifest.engine).toBe(h().ctx.db.engine);
    expect(manifest.tables).toEqual(before);
    expect(manifest.tables['public.users']!.rows).toBeGreaterThanOrEqual(11);
    expect(manifest.migrations).toBe(shipped);
    const payload = readFileSync(payloadOf(manifestPath));
    expect(payload.length).toBe(manifest.payload.bytes);
    // Org names and user names are stored in clear in the database: the backup must not show them.
    for (const clear of ['常州市公安局', 'u_outlet_clerk', 'PGDMP', 'PG_VERSION']) expect(payload.includes(Buffer.from(clear))).toBe(false);
    const text = readFileSync(manifestPath, 'utf8');
    const active = h().ctx.keyring.active;
    for (const secret of [active.enc.toString('hex'), active.mac.toString('hex')]) expect(text).not.toContain(secret);
  });

  it('survives the drill: destroy the database, restore, and every table matches', async () => {
    const target = targetFor(h().ctx.db);
    if (target.engine === 'postgres') {
      await h().ctx.db.rows(null, sql`drop schema public cascade`);
      await h().ctx.db.rows(null, sql`drop schema drizzle cascade`);
      await h().ctx.db.rows(null, sql`create schema public`);
      expect(Object.keys(await fingerprintTables(h().ctx.db))).toEqual([]);
    }
    const restored = await restoreBackup(h().ctx.keyring, manifestPath, target, shipped);
    try {
      expect(restored.tables).toEqual(before);
      expect((await verifyAuditChain({ ...h().ctx, db: restored.db })).ok).toBe(true);
    } finally {
      await restored.db.close();
    }
  }, 120_000);

  it('refuses a payload with one byte changed, before touching anything', async () => {
    const copyDir = mkdtempSync(path.join(tmpdir(), 'cardflow-backup-tamper-'));
    try {
      const manifestCopy = path.join(copyDir, path.basename(manifestPath));
      writeFileSync(manifestCopy, readFileSync(manifestPath));
      const bytes = readFileSync(payloadOf(manifestPath));
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      writeFileSync(path.join(copyDir, path.basename(payloadOf(manifestPath))), bytes);
      expect(await codeOf(verifyBackup(h().ctx.keyring, manifestCopy))).toBe('BACKUP_TAMPERED');
      const fresh = path.join(copyDir, 'data');
      const target: RestoreTarget = h().ctx.db.engine === 'pglite' ? { engine: 'pglite', dataDir: fresh } : targetFor(h().ctx.db);
      const current = h().ctx.db.engine === 'postgres' ? await fingerprintTables(h().ctx.db) : null;
      expect(await codeOf(restoreBackup(h().ctx.keyring, manifestCopy, target, shipped))).toBe('BACKUP_TAMPERED');
      if (current) expect(await fingerprintTables(h().ctx.db)).toEqual(current);
      else expect(existsSync(fresh)).toBe(false);
    } finally {
      rmSync(copyDir, { recursive: true, force: true });
    }
  });

  it('refuses an edited manifest, a key file without the backup key, a newer backup and a non-empty data directory', async () => {
    const edited = `${manifestPath}.edited.json`;
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { tables: Record<string, { rows: number }> };
    m.tables['public.users']!.rows += 1;
    writeFileSync(edited, JSON.stringify(m));
    expect(await codeOf(verifyBackup(h().ctx.keyring, edited))).toBe('BACKUP_TAMPERED');
    rmSync(edited);
    // A key file made on another day has other key ids; one with the same id but other material fails the MAC.
    expect(await codeOf(verifyBackup(Keyring.fromKeyFile(generateKeyFile(new Date('2020-01-01T00:00:00Z'))), manifestPath))).toBe('BACKUP_KEY_MISSING');
    expect(await codeOf(verifyBackup(Keyring.fromKeyFile(generateKeyFile()), manifestPath))).toBe('BACKUP_TAMPERED');
    expect(await codeOf(restoreBackup(h().ctx.keyring, manifestPath, targetFor(h().ctx.db), shipped - 1))).toBe('BACKUP_NEWER_THAN_CODE');
    if (h().ctx.db.engine === 'pglite') {
      const busy = mkdtempSync(path.join(tmpdir(), 'cardflow-busy-'));
      writeFileSync(path.join(busy, 'PG_VERSION'), '17');
      expect(await codeOf(restoreBackup(h().ctx.keyring, manifestPath, { engine: 'pglite', dataDir: busy }, shipped))).toBe('BACKUP_TARGET_NOT_EMPTY');
      expect(readFileSync(path.join(busy, 'PG_VERSION'), 'utf8')).toBe('17');
      rmSync(busy, { recursive: true, force: true });
    } else {
      expect(await codeOf(restoreBackup(h().ctx.keyring, manifestPath, { engine: 'pglite', dataDir: null }, shipped))).toBe('BACKUP_ENGINE_MISMATCH');
    }
  });

  it('keeps only the newest backups when pruning', async () => {
    const pruneDir = mkdtempSync(path.join(tmpdir(), 'cardflow-prune-'));
    try {
      for (const day of ['2026-11-28', '2026-11-29', '2026-11-30']) {
        for (const suffix of ['.manifest.json', '.dump.sm4']) writeFileSync(path.join(pruneDir, `cardflow-pglite-${day.replace(/-/g, '')}T020000Z${suffix}`), 'x');
      }
      writeFileSync(path.join(pruneDir, 'notes.txt'), 'kept');
      expect(pruneBackups(pruneDir, 1)).toEqual(['cardflow-pglite-20261128T020000Z.manifest.json', 'cardflow-pglite-20261129T020000Z.manifest.json']);
      expect(readdirSync(pruneDir).sort()).toEqual(['cardflow-pglite-20261130T020000Z.dump.sm4', 'cardflow-pglite-20261130T020000Z.manifest.json', 'notes.txt']);
    } finally {
      rmSync(pruneDir, { recursive: true, force: true });
    }
  });
});

describe('scheduled backups', () => {
  it('take one when due, record it with an audit entry, skip while the last is fresh, and keep the newest', async () => {
    const scheduled = mkdtempSync(path.join(tmpdir(), 'cardflow-scheduled-'));
    const ctx = { ...h().ctx, config: { ...h().ctx.config, backupDir: scheduled, backupIntervalHours: 24, backupKeep: 1 } };
    try {
      const first = await backupIfDue(ctx, new Date('2026-12-02T02:00:00Z'));
      expect(first).not.toBeNull();
      expect(await backupIfDue(ctx, new Date('2026-12-02T12:00:00Z'))).toBeNull();
      const rows = await ctx.db.orm.select().from(opsBackups).where(eq(opsBackups.trigger, 'SCHEDULED'));
      expect(rows.map((r) => [r.status, r.manifestPath, r.tableCount])).toEqual([['SUCCEEDED', first!.manifestPath, Object.keys(first!.manifest.tables).length]]);
      const audit = await ctx.db.orm.select().from(auditLog).where(eq(auditLog.targetId, rows[0]!.id));
      expect(audit.map((a) => [a.action, a.outcome, a.actorType])).toEqual([['ops.backup', 'SUCCESS', 'SYSTEM']]);
      // The second backup is a day later by its own clock; the interval is counted from when the first started.
      const later = new Date(rows[0]!.startedAt.getTime() + 24 * 3_600_000);
      const second = await backupIfDue(ctx, later);
      expect(second).not.toBeNull();
      expect(readdirSync(scheduled).sort()).toEqual([path.basename(second!.manifestPath).replace('.manifest.json', '.dump.sm4'), path.basename(second!.manifestPath)].sort());
    } finally {
      rmSync(scheduled, { recursive: true, force: true });
    }
  }, 120_000);
});
