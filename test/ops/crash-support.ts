import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { loadConfig } from '../../src/platform/config/config.ts';
import { createLogger } from '../../src/platform/logging/logger.ts';
import { startPlatform } from '../../src/platform/bootstrap.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { checkDigit } from '../../src/platform/validators/citizen-id.ts';
import { readKeyFile } from '../../src/platform/crypto/keyring.ts';
import { decryptBytes, decryptField, tokenKeyId } from '../../src/platform/crypto/field-cipher.ts';
import { ENCRYPTED_COLUMNS } from '../../src/platform/crypto/encrypted-columns.ts';
import { keyUsage } from '../../src/platform/crypto/rotation.ts';
import { createOrg, ensureRootOrg, findOrg } from '../../src/modules/orgs/service.ts';
import { createProgramme } from '../../src/modules/programmes/service.ts';
import { approveApplications } from '../../src/modules/applications/service.ts';
import { applications } from '../../src/modules/applications/schema.ts';
import { createPackageKey } from '../../src/modules/production/keys.ts';
import { createBatches } from '../../src/modules/production/batches.ts';
import { productionBatches, packageLinks } from '../../src/modules/production/schema.ts';
import { decryptPackage, verifyPackage } from '../../src/modules/production/package.ts';
import { auditLog } from '../../src/platform/audit/schema.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * kill -9 of a `cardflow` process in the middle of its work, then the checks after the restart: the
 * bulk import (all or nothing), the package export (no package file unless complete) and the key
 * rotation (resumable, nothing lost or double-encrypted). Shared by test/ops/crash.test.ts (CI sizes)
 * and bench/crash.bench.ts (full sizes); plain node:assert so both can use it.
 */
export interface CrashWorkspace {
  /** Environment of the `cardflow` processes: a PGlite data directory or a PostgreSQL DATABASE_URL. */
  env: NodeJS.ProcessEnv;
  dir: string;
}

/** A small deterministic generator (mulberry32): the kill points are random but the same for a seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A valid 18-digit ID for applicant n: a distinct (birth day, sequence) pair per n (odd sequence: male). */
export function citizenIdFor(n: number): { citizenId: string; birthDate: string } {
  const birth = new Date(Date.UTC(1965, 0, 1) + (n % 12_000) * 86_400_000);
  const birthDate = birth.toISOString().slice(0, 10);
  const body = `320412${birthDate.replace(/-/g, '')}${String(Math.floor(n / 12_000) * 2 + 1).padStart(3, '0')}`;
  return { citizenId: body + checkDigit(body), birthDate };
}

/** A name of Chinese characters only (digits are refused in names): 申 and n in 零…九. */
export function applicantName(n: number): string {
  return `申${[...String(n)].map((d) => '零一二三四五六七八九'[Number(d)]).join('')}`;
}

/** A residence-permit import file of `count` applicants numbered from `from`. */
export function applicantCsv(from: number, count: number): string {
  const lines = ['kind,name,citizenId,phone,sex,ethnicity,birthDate,hukouAddress,residenceAddress,basis'];
  for (let n = from; n < from + count; n++) {
    const { citizenId, birthDate } = citizenIdFor(n);
    lines.push(`NEW,${applicantName(n)},${citizenId},139${String(n).padStart(8, '0')},M,01,${birthDate},安徽省合肥市蜀山区某路1号,常州市武进区湖塘镇某路2号,EMPLOYMENT`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

export interface Running {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function startCardflow(ws: CrashWorkspace, ...args: string[]): Running {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/cardflow.js'), ...args], { cwd: ws.dir, env: ws.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Runs a `cardflow` command that must succeed; answers its output. */
export async function cardflowOk(ws: CrashWorkspace, ...args: string[]): Promise<string> {
  const run = startCardflow(ws, ...args);
  const code = await run.exited;
  assert.equal(code, 0, `cardflow ${args.join(' ')}:\n${run.output()}`);
  return run.output();
}

/**
 * Polls `reached` until it holds, then sends SIGKILL. Fails if the process ends by itself first: the
 * kill must land while the work is under way.
 */
export async function killWhen(run: Running, what: string, reached: () => boolean): Promise<void> {
  let ended = false;
  void run.exited.then(() => (ended = true));
  for (;;) {
    if (ended) assert.fail(`the process ended before ${what}; nothing was interrupted:\n${run.output()}`);
    if (reached()) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  run.child.kill('SIGKILL');
  assert.equal(await run.exited, null, 'killed by the signal, not ended by itself');
  assert.equal(run.child.signalCode, 'SIGKILL');
}

/** How far a process has read a file: the offset of its open descriptor (Linux /proc). */
export function readOffset(pid: number, file: string): number {
  const fds = `/proc/${pid}/fd`;
  let names: string[];
  try {
    names = readdirSync(fds);
  } catch {
    return 0;
  }
  for (const fd of names) {
    try {
      if (readlinkSync(path.join(fds, fd)) !== file) continue;
      const pos = /^pos:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      return pos ? Number(pos[1]) : 0;
    } catch {
      // the descriptor closed meanwhile
    }
  }
  return 0;
}

/** Opens the workspace's database in this process (no `cardflow` process may hold a PGlite directory meanwhile). */
export async function withDatabase<T>(ws: CrashWorkspace, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig(ws.env);
  const ctx = await startPlatform(config, createLogger('error', { write: () => undefined }));
  try {
    return await fn(ctx);
  } finally {
    await ctx.db.close();
  }
}

export interface CrashCity {
  programmeId: string;
  outletId: string;
  producerId: string;
}

/** The authority, an outlet, a producer and a residence-permit programme whose batches take every card at once. */
export async function seedCrashCity(ctx: AppContext, batchSizeLimit: number): Promise<CrashCity> {
  const root = await ensureRootOrg(ctx);
  const admin = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'crash-test', roles: ['ADMIN'] }, root, 'CLI');
  const city = await createOrg(ctx, admin, { name: '常州市公安局', kind: 'AUTHORITY', parentId: root.id, regionCode: '320400' });
  const outlet = await createOrg(ctx, admin, { name: '湖塘派出所受理点', kind: 'OUTLET', parentId: city.id, regionCode: '320412' });
  const producer = await createOrg(ctx, admin, { name: '江苏制卡中心', kind: 'PRODUCER', parentId: city.id, regionCode: '320100' });
  const programme = await createProgramme(ctx, admin, {
    kind: 'RESIDENCE_PERMIT',
    name: '常州市居住证',
    authorityOrgId: city.id,
    producerOrgIds: [producer.id],
    receiverOrgIds: [outlet.id],
    batchSizeLimit,
  });
  return { programmeId: programme.id, outletId: outlet.id, producerId: producer.id };
}

async function adminOf(ctx: AppContext) {
  return principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'crash-test', roles: ['ADMIN'] }, await ensureRootOrg(ctx), 'CLI');
}

async function countApplications(ctx: AppContext, programmeId: string): Promise<number> {
  const [row] = await ctx.db.rows<{ n: number }>(null, sql`select count(*)::int as n from applications where programme_id = ${programmeId}::uuid`);
  return row!.n;
}

async function auditCount(ctx: AppContext, action: string): Promise<number> {
  const [row] = await ctx.db.orm.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.action, action));
  return row!.n;
}

export interface CrashMeasure {
  scenario: string;
  /** Where the kill landed, in the scenario's own unit. */
  killedAt: string;
  /** Time of the run that finished the work after the crash. */
  redoMs: number;
}

/**
 * kill -9 while `applications import` is writing `rows` rows (killed once it has read a seeded share of
 * the file, between 20 % and 70 %): nothing of the file is kept, and the same import then succeeds whole.
 */
export async function crashDuringImport(ws: CrashWorkspace, city: CrashCity, rows: number, random: () => number): Promise<CrashMeasure> {
  const file = path.join(ws.dir, `import-${rows}.csv`);
  writeFileSync(file, applicantCsv(0, rows));
  const size = statSync(file).size;
  const before = await withDatabase(ws, async (ctx) => ({ apps: await countApplications(ctx, city.programmeId), audits: await auditCount(ctx, 'application.import') }));
  assert.equal(before.apps, 0);
  const target = Math.floor(size * (0.2 + random() * 0.5));
  const run = startCardflow(ws, 'applications', 'import', file, '--programme', city.programmeId, '--outlet', city.outletId);
  let offset = 0;
  await killWhen(run, `reading ${target} of ${size} bytes`, () => (offset = readOffset(run.child.pid!, file)) >= target);

  await withDatabase(ws, async (ctx) => {
    assert.equal(await countApplications(ctx, city.programmeId), 0, 'an interrupted import keeps nothing');
    assert.equal(await auditCount(ctx, 'application.import'), before.audits, 'no import is recorded as done');
  });
  const t0 = performance.now();
  const out = await cardflowOk(ws, 'applications', 'import', file, '--programme', city.programmeId, '--outlet', city.outletId);
  const redoMs = performance.now() - t0;
  assert.match(out, new RegExp(`imported ${rows} applications`));
  await withDatabase(ws, async (ctx) => {
    assert.equal(await countApplications(ctx, city.programmeId), rows);
    const [distinct] = await ctx.db.rows<{ n: number }>(null, sql`select count(distinct citizen_id_idx)::int as n from applications where programme_id = ${city.programmeId}::uuid`);
    assert.equal(distinct!.n, rows, 'no applicant twice');
    assert.equal(await auditCount(ctx, 'application.import'), before.audits + 1);
  });
  return { scenario: `import ${rows} rows`, killedAt: `${Math.round((offset / size) * 100)} % of the file read`, redoMs };
}

/**
 * The imported applications approved and ordered in one batch, then kill -9 while `package export`
 * writes it (once a seeded number of bytes is on disk): no package file appears, only the .partial,
 * which is no valid package; the batch is unchanged; the export then completes and decrypts whole.
 */
export async function crashDuringPackageExport(ws: CrashWorkspace, city: CrashCity, random: () => number): Promise<CrashMeasure> {
  const prepared = await withDatabase(ws, async (ctx) => {
    const admin = await adminOf(ctx);
    const ids = (await ctx.db.orm.select({ id: applications.id }).from(applications).where(eq(applications.programmeId, city.programmeId))).map((r) => r.id);
    await approveApplications(ctx, admin, ids);
    const producerOrg = await findOrg(ctx, city.producerId);
    assert.ok(producerOrg);
    const producer = principalFor({ id: '00000000-0000-0000-0000-000000000001', username: 'producer', roles: ['PRODUCER_OPERATOR'] }, producerOrg, 'CLI');
    const key = await createPackageKey(ctx, producer, { kind: 'SM4' });
    const [batch] = await createBatches(ctx, admin, { programmeId: city.programmeId, producerOrgId: city.producerId });
    assert.ok(batch, 'one batch ordered');
    assert.equal(batch.cardCount, ids.length);
    return { batch, secret: Buffer.from(key.secretHex!, 'hex'), audits: await auditCount(ctx, 'package.export') };
  });
  const { batch, secret } = prepared;
  const out = path.join(ws.dir, `${batch.batchNo}.cfpkg`);
  const partial = `${out}.partial`;
  const target = 16_384 + Math.floor(random() * batch.cardCount * 60);
  const run = startCardflow(ws, 'package', 'export', batch.id, '--out', out);
  let written = 0;
  await killWhen(run, `writing ${target} bytes of the package`, () => (written = existsSync(partial) ? statSync(partial).size : 0) >= target);

  assert.equal(existsSync(out), false, 'no package file stands as if complete');
  await assert.rejects(verifyPackage(partial, { secret }), 'the partial file is no valid package');
  await withDatabase(ws, async (ctx) => {
    const [after] = await ctx.db.orm.select().from(productionBatches).where(eq(productionBatches.id, batch.id));
    assert.equal(after!.status, batch.status);
    assert.equal(after!.firstDownloadedAt, null);
    assert.equal(after!.cardCount, batch.cardCount);
    assert.equal((await ctx.db.orm.select().from(packageLinks).where(eq(packageLinks.batchId, batch.id))).length, 0);
    assert.equal(await auditCount(ctx, 'package.export'), prepared.audits, 'no export recorded as done');
  });

  const t0 = performance.now();
  await cardflowOk(ws, 'package', 'export', batch.id, '--out', out);
  const redoMs = performance.now() - t0;
  assert.equal(existsSync(partial), false);
  const result = await decryptPackage(out, { secret }, path.join(ws.dir, 'package-out'));
  assert.equal(result.header.batchNo, batch.batchNo);
  assert.equal(result.manifest.counts.records, batch.cardCount);
  await withDatabase(ws, async (ctx) => assert.equal(await auditCount(ctx, 'package.export'), prepared.audits + 1));
  return { scenario: `package export ${batch.cardCount} cards`, killedAt: `${written} bytes written`, redoMs };
}

/** Every encrypted value, decrypted (bytes as their SHA-256), by table.column and row key; and the key id each is under. */
async function plaintexts(ctx: AppContext): Promise<{ values: Map<string, string>; keys: Map<string, string> }> {
  const values = new Map<string, string>();
  const keys = new Map<string, string>();
  for (const c of ENCRYPTED_COLUMNS) {
    const rows = await ctx.db.rows<{ k: string; v: string | Uint8Array }>(
      null,
      sql`select ${sql.identifier(c.key)}::text as k, ${sql.identifier(c.column)} as v from ${sql.identifier(c.table)} where ${sql.identifier(c.column)} is not null`,
    );
    for (const r of rows) {
      const id = `${c.table}.${c.column}:${r.k}`;
      if (c.format === 'bytes') {
        const blob = Buffer.from(r.v as Uint8Array);
        values.set(id, createHash('sha256').update(decryptBytes(ctx.keyring, blob)).digest('hex'));
        keys.set(id, tokenKeyId(blob));
      } else {
        values.set(id, decryptField(ctx.keyring, r.v as string));
        keys.set(id, tokenKeyId(r.v as string));
      }
    }
  }
  return { values, keys };
}

/**
 * kill -9 during `keys rotate` (after a seeded number of committed batches): the key file is whole
 * with the new active key, every field reads under the keyring, some already on the new key and some
 * not; `keys rotate --resume` then moves the rest, and every field reads as before: none lost, none
 * encrypted twice.
 */
export async function crashDuringKeyRotation(ws: CrashWorkspace, random: () => number, batchSize: number): Promise<CrashMeasure> {
  const keyFile = ws.env.CARDFLOW_KEY_FILE!;
  const oldActive = readKeyFile(keyFile).active;
  const before = await withDatabase(ws, plaintexts);
  const fields = before.values.size;
  const batches = Math.ceil(fields / batchSize);
  assert.ok(batches >= 8, `enough batches to land a kill in the middle (${batches})`);
  const target = 2 + Math.floor(random() * Math.min(40, batches / 2));
  const run = startCardflow(ws, 'keys', 'rotate', '--batch-size', String(batchSize));
  const progressLines = () => (run.output().match(/ re-encrypted, \d+ to go/g) ?? []).length;
  await killWhen(run, `${target} re-encrypted batches`, () => progressLines() >= target);

  const file = readKeyFile(keyFile);
  assert.notEqual(file.active, oldActive, 'the new key was written before any field moved to it');
  assert.ok(oldActive in file.keys, 'the old key stays in the file');
  const halfway = await withDatabase(ws, plaintexts);
  assert.deepEqual(halfway.values, before.values, 'every field still reads as before');
  const onNew = [...halfway.keys.values()].filter((k) => k === file.active).length;
  assert.ok(onNew >= target * batchSize && onNew < fields, `interrupted part-way: ${onNew} of ${fields} on the new key`);

  const t0 = performance.now();
  const out = await cardflowOk(ws, 'keys', 'rotate', '--resume', '--batch-size', String(batchSize));
  const redoMs = performance.now() - t0;
  assert.match(out, new RegExp(`re-encrypted ${fields - onNew} fields to key ${file.active}`));
  await withDatabase(ws, async (ctx) => {
    const after = await plaintexts(ctx);
    assert.deepEqual(after.values, before.values, 'nothing lost, nothing encrypted twice');
    assert.deepEqual(await keyUsage(ctx), { [file.active]: fields });
  });
  return { scenario: `key rotation ${fields} fields`, killedAt: `${onNew} of ${fields} fields re-encrypted`, redoMs };
}
