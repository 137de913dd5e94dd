import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { sm2 } from 'sm-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { createOrg, createUser, ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { batchRecords, packageKeys, packageLinks, productionBatches } from '../../src/modules/production/schema.ts';
import { destroyExpiredBatches } from '../../src/modules/production/retention.ts';
import { runPackageDecrypt } from '../../src/cli/package.ts';
import { USER_PASSWORD, useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { completeBatch, download, link, permitBatch, sm4Key } from './package-fixtures.ts';

const h = useHarness();
let lc: Lifecycle;
let secret = '';
let batchId = '';
let otherProducer: Session;

beforeAll(async () => {
  lc = await seedLifecycle(h());
  secret = await sm4Key(h(), lc);
  batchId = (await permitBatch(h(), lc, 1, 2)).id;
  const root = await ensureRootOrg(h().ctx);
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'seed', roles: ['ADMIN'] }, root, 'CLI');
  const org = await createOrg(h().ctx, cli, { name: '苏州制卡厂', kind: 'PRODUCER', parentId: lc.city.city.id, regionCode: '320500' });
  await createUser(h().ctx, cli, { username: 'other_producer', displayName: '苏州制卡员', orgId: org.id, roles: ['PRODUCER_OPERATOR'], password: USER_PASSWORD });
  otherProducer = await h().login('other_producer');
});

describe('package keys', () => {
  it('lists fingerprints only, never the secret, and rotates: a new key retires the previous one', async () => {
    const list = await h().request('GET', '/api/v1/package-keys', { session: lc.sessions.producer });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(secret);
    const rows = await h().ctx.db.orm.select().from(packageKeys).where(eq(packageKeys.producerOrgId, lc.city.producer.id));
    expect(rows.every((r) => !r.secretEnc || !r.secretEnc.toString('hex').includes(secret))).toBe(true);
    const again = await h().request('POST', '/api/v1/package-keys', { session: lc.sessions.producer, body: { kind: 'SM4' } });
    expect(again.statusCode).toBe(201);
    const second = (again.json() as { secretHex: string; key: { id: string } });
    const after = await h().ctx.db.orm.select().from(packageKeys).where(and(eq(packageKeys.producerOrgId, lc.city.producer.id), eq(packageKeys.active, true)));
    expect(after.map((k) => k.id)).toEqual([second.key.id]);
    const retired = await h().request('POST', `/api/v1/package-keys/${second.key.id}/retire`, { session: lc.sessions.producer, body: {} });
    expect(retired.statusCode).toBe(200);
    expectError(await h().request('POST', `/api/v1/package-keys/${second.key.id}/retire`, { session: lc.sessions.producer, body: {} }), 409, 'PACKAGE_KEY_RETIRED');
    // With no active key a link cannot be made: the producer could not open the package.
    expectError(await h().request('POST', `/api/v1/batches/${batchId}/package-links`, { session: lc.sessions.producer, body: {} }), 409, 'PACKAGE_KEY_MISSING');
    secret = await sm4Key(h(), lc);
  });

  it('refuses an SM2 public key that is not a point on the curve', async () => {
    const pair = sm2.generateKeyPairHex();
    const offCurve = `${pair.publicKey.slice(0, -2)}${((parseInt(pair.publicKey.slice(-2), 16) + 1) % 256).toString(16).padStart(2, '0')}`;
    expectError(await h().request('POST', '/api/v1/package-keys', { session: lc.sessions.producer, body: { kind: 'SM2', publicKey: offCurve } }), 400, 'PACKAGE_KEY_SM2_INVALID');
    expectError(await h().request('POST', '/api/v1/package-keys', { session: lc.sessions.producer, body: { kind: 'SM2', publicKey: '04abcd' } }), 400, 'PACKAGE_KEY_SM2_INVALID');
    expectError(await h().request('POST', '/api/v1/package-keys', { session: lc.sessions.producer, body: { kind: 'AES' } }), 400, 'VALIDATION_FAILED');
  });

  it('another producer does not see or retire this producer’s keys', async () => {
    const [active] = await h().ctx.db.orm.select().from(packageKeys).where(and(eq(packageKeys.producerOrgId, lc.city.producer.id), eq(packageKeys.active, true)));
    const list = await h().request('GET', '/api/v1/package-keys', { session: otherProducer });
    expect((list.json() as { items: unknown[] }).items).toEqual([]);
    expectError(await h().request('POST', `/api/v1/package-keys/${active!.id}/retire`, { session: otherProducer, body: {} }), 404, 'OUT_OF_SCOPE');
  });
});

describe('download links', () => {
  it('default to 24 hours and 3 downloads, store only a hash of the token, and count and audit each download', async () => {
    const l = await link(h(), lc, batchId);
    expect(l.maxDownloads).toBe(3);
    expect(new Date(l.expiresAt).getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    const stored = await h().ctx.db.orm.select().from(packageLinks).where(eq(packageLinks.batchId, batchId));
    expect(stored.some((s) => s.tokenHash === l.token)).toBe(false);
    const res = await h().request('GET', l.url, { session: lc.sessions.producer });
    expect(res.statusCode).toBe(200);
    const [batch] = await h().ctx.db.orm.select().from(productionBatches).where(eq(productionBatches.id, batchId));
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${batch!.batchNo}.cfpkg"`);
    expect(batch!.firstDownloadedAt).not.toBeNull();
    const entry = await auditEntryFor(h().ctx, res);
    expect(entry.action).toBe('package.download');
    expect(entry.details).toMatchObject({ batchNo: batch!.batchNo, download: 1, maxDownloads: 3 });
    const counted = await h().ctx.db.orm.select().from(packageLinks).where(eq(packageLinks.batchId, batchId));
    expect(counted.map((c) => c.downloads)).toEqual([1]);
  });

  it('answers 410 PACKAGE_LINK_EXHAUSTED after the last allowed download', async () => {
    const l = await link(h(), lc, batchId, { maxDownloads: 2 });
    expect((await h().request('GET', l.url, { session: lc.sessions.producer })).statusCode).toBe(200);
    expect((await h().request('GET', l.url, { session: lc.sessions.producer })).statusCode).toBe(200);
    expectError(await h().request('GET', l.url, { session: lc.sessions.producer }), 410, 'PACKAGE_LINK_EXHAUSTED');
  });

  it('answers 410 PACKAGE_LINK_EXPIRED after the link expired', async () => {
    const l = await link(h(), lc, batchId, { expiresInHours: 1 });
    await h().ctx.db.orm.update(packageLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(packageLinks.batchId, batchId));
    expectError(await h().request('GET', l.url, { session: lc.sessions.producer }), 410, 'PACKAGE_LINK_EXPIRED');
  });

  it('refuses out-of-range link settings', async () => {
    expectError(await h().request('POST', `/api/v1/batches/${batchId}/package-links`, { session: lc.sessions.producer, body: { maxDownloads: 1000 } }), 400, 'VALIDATION_FAILED');
    expectError(await h().request('POST', `/api/v1/batches/${batchId}/package-links`, { session: lc.sessions.producer, body: { expiresInHours: 0 } }), 400, 'VALIDATION_FAILED');
  });

  it('another producer gets 404 for the link and for the batch; an auditor may read but not make links', async () => {
    const l = await link(h(), lc, batchId);
    expectError(await h().request('GET', l.url, { session: otherProducer }), 404, 'OUT_OF_SCOPE');
    expectError(await h().request('POST', `/api/v1/batches/${batchId}/package-links`, { session: otherProducer, body: {} }), 404, 'OUT_OF_SCOPE');
    expectError(await h().request('GET', `/api/v1/batches/${batchId}`, { session: otherProducer }), 404, 'OUT_OF_SCOPE');
    expectError(await h().request('GET', '/api/v1/packages/not-a-token', { session: lc.sessions.producer }), 404, 'OUT_OF_SCOPE');
    expect((await h().request('GET', `/api/v1/batches/${batchId}`, { session: lc.sessions.auditor })).statusCode).toBe(200);
    expectError(await h().request('POST', `/api/v1/batches/${batchId}/package-links`, { session: lc.sessions.auditor, body: {} }), 403, 'FORBIDDEN');
    // The authority may make a link for its producer; only the producer can use it.
    const res = await h().request('POST', `/api/v1/batches/${batchId}/package-links`, { session: lc.sessions.manager, body: {} });
    expect(res.statusCode).toBe(201);
    expectError(await h().request('GET', (res.json() as { url: string }).url, { session: lc.sessions.manager }), 403, 'FORBIDDEN');
  });
});

describe('destruction after the retention time', () => {
  it('deletes the batch records, marks the batch DESTROYED, audits it; downloads answer 410; a package saved before still opens', async () => {
    const before = await download(h(), lc, batchId);
    const pending = await link(h(), lc, batchId);
    const completedAt = new Date(Date.now() - 25 * 3_600_000);
    await completeBatch(h(), batchId, completedAt, new Date(completedAt.getTime() + 24 * 3_600_000));
    const notYet = await destroyExpiredBatches(h().ctx, new Date(completedAt.getTime() + 23 * 3_600_000));
    expect(notYet.batches).toEqual([]);
    expect(await h().ctx.db.orm.select().from(batchRecords).where(eq(batchRecords.batchId, batchId))).toHaveLength(2);

    const done = await destroyExpiredBatches(h().ctx, new Date());
    expect(done.batches).toMatchObject([{ id: batchId, records: 2, photos: 2 }]);
    expect(done.vacuumed).toBe(true);
    expect(await h().ctx.db.orm.select().from(batchRecords).where(eq(batchRecords.batchId, batchId))).toHaveLength(0);
    const [batch] = await h().ctx.db.orm.select().from(productionBatches).where(eq(productionBatches.id, batchId));
    expect(batch!.status).toBe('DESTROYED');
    expect(batch!.destroyedAt).not.toBeNull();
    const audits = await h().ctx.db.orm.select().from(auditLog).where(and(eq(auditLog.action, 'batch.data.destroy'), eq(auditLog.targetId, batchId)));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ records: 2, photos: 2 });
    // A second run (another process) finds nothing left to do.
    expect((await destroyExpiredBatches(h().ctx, new Date())).batches).toEqual([]);

    expectError(await h().request('GET', pending.url, { session: lc.sessions.producer }), 410, 'PACKAGE_DESTROYED');
    expectError(await h().request('POST', `/api/v1/batches/${batchId}/package-links`, { session: lc.sessions.producer, body: {} }), 410, 'PACKAGE_DESTROYED');
    const detail = await h().request('GET', `/api/v1/batches/${batchId}`, { session: lc.sessions.manager });
    expect(detail.json()).toMatchObject({ status: 'DESTROYED', cardsByStatus: { PRODUCED: 2 } });

    const dir = mkdtempSync(path.join(tmpdir(), 'cfpkg-destroyed-'));
    writeFileSync(path.join(dir, 'p.cfpkg'), before);
    const sink = { write: () => undefined };
    expect(await runPackageDecrypt(path.join(dir, 'p.cfpkg'), { key: secret, out: path.join(dir, 'out') }, sink, sink)).toBe(0);
    expect(readFileSync(path.join(dir, 'out', 'records.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
