import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { createOrg, ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { batchRules, productionBatches } from '../../src/modules/production/schema.ts';
import { runDueRules } from '../../src/modules/production/scheduler.ts';
import { shanghaiInstant } from '../../src/modules/calendar/zone.ts';
import { useHarness } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { approvedApplications, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';

const h = useHarness();
let lc: Lifecycle;

beforeAll(async () => {
  lc = await seedLifecycle(h());
});

interface Batch {
  id: string;
  batchNo: string;
  cardCount: number;
  status: string;
  sla: string;
  productionDueAt: string;
}

describe('ordering batches through the API', () => {
  it('shows what waits, creates batches split by the programme batch size, lists and details them', async () => {
    await approvedApplications(h(), lc, 'rp', 1, 3);
    const waiting = await h().request('GET', `/api/v1/production/waiting?programmeId=${lc.rp.id}`, { session: lc.sessions.manager });
    expect(waiting.statusCode).toBe(200);
    expect((waiting.json() as { items: { waiting: number }[] }).items).toMatchObject([{ waiting: 3, producers: [{ producerOrgId: lc.city.producer.id, remakes: 0 }] }]);

    const patched = await h().request('PATCH', `/api/v1/programmes/${lc.rp.id}`, { session: lc.sessions.admin, body: { batchSizeLimit: 2 } });
    expect(patched.statusCode, patched.body).toBe(200);
    const res = await h().request('POST', '/api/v1/batches', { session: lc.sessions.manager, body: { programmeId: lc.rp.id, producerOrgId: lc.city.producer.id } });
    expect(res.statusCode, res.body).toBe(201);
    const made = (res.json() as { items: Batch[] }).items;
    expect(made.map((b) => b.cardCount)).toEqual([2, 1]);
    expect(made.every((b) => b.status === 'OPEN' && b.sla === 'ON_TIME')).toBe(true);
    expect((await auditEntryFor(h().ctx, res)).details).toMatchObject({ cards: 3, batches: made.map((b) => b.batchNo) });

    const list = await h().request('GET', `/api/v1/batches?programmeId=${lc.rp.id}&status=OPEN`, { session: lc.sessions.producer });
    expect((list.json() as { total: number }).total).toBe(2);
    const detail = await h().request('GET', `/api/v1/batches/${made[0]!.id}`, { session: lc.sessions.manager });
    expect(detail.json()).toMatchObject({ batchNo: made[0]!.batchNo, cardsByStatus: { ORDERED: 2 }, firstDownloadedAt: null, destroyedAt: null });

    const cards = await h().request('GET', `/api/v1/batches/${made[0]!.id}/cards?limit=1&offset=1`, { session: lc.sessions.producer });
    const body = cards.json() as { total: number; items: { packingSeq: number; nameMasked: string; applicationNo: string; status: string }[] };
    expect(body.total).toBe(2);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]!.packingSeq).toBe(2);
    expect(body.items[0]!.nameMasked).toContain('*');
    // Only masked names leave the server.
    expect(cards.body).not.toMatch(/申[零一二三四五六七八九]+"/);
    const after = await h().request('GET', '/api/v1/production/waiting', { session: lc.sessions.manager });
    expect((after.json() as { items: { programmeId: string; waiting: number }[] }).items.find((i) => i.programmeId === lc.rp.id)!.waiting).toBe(0);
  });

  it('refuses an empty order, a producer that does not make the programme’s cards, and one outside the production region', async () => {
    expectError(await h().request('POST', '/api/v1/batches', { session: lc.sessions.manager, body: { programmeId: lc.rp.id, producerOrgId: lc.city.producer.id } }), 409, 'BATCH_NOTHING_WAITING');
    expectError(await h().request('POST', '/api/v1/batches', { session: lc.sessions.manager, body: { programmeId: lc.rp.id, producerOrgId: lc.city.bank.id } }), 400, 'BATCH_PRODUCER_INVALID');
    const root = await ensureRootOrg(h().ctx);
    const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'seed', roles: ['ADMIN'] }, root, 'CLI');
    const shanghai = await createOrg(h().ctx, cli, { name: '上海制卡厂', kind: 'PRODUCER', parentId: lc.city.city.id, regionCode: '310000' });
    const patched = await h().request('PATCH', `/api/v1/programmes/${lc.rp.id}`, { session: lc.sessions.admin, body: { producerOrgIds: [lc.city.producer.id, shanghai.id] } });
    expect(patched.statusCode, patched.body).toBe(200);
    await approvedApplications(h(), lc, 'rp', 20, 1);
    const err = expectError(await h().request('POST', '/api/v1/batches', { session: lc.sessions.manager, body: { programmeId: lc.rp.id, producerOrgId: shanghai.id } }), 409, 'PRODUCER_OUT_OF_REGION');
    expect(err.message).toContain('310000');
    expect(await h().ctx.db.orm.select().from(productionBatches).where(eq(productionBatches.producerOrgId, shanghai.id))).toHaveLength(0);
    expectError(await h().request('POST', '/api/v1/batches', { session: lc.sessions.producer, body: { programmeId: lc.rp.id, producerOrgId: lc.city.producer.id } }), 403, 'FORBIDDEN');
    expectError(await h().request('POST', '/api/v1/batches', { session: lc.sessions.manager, body: { programmeId: lc.rp.id, producerOrgId: lc.city.producer.id, maxCards: 0 } }), 400, 'VALIDATION_FAILED');
  });
});

describe('batch rules and the scheduler', () => {
  let ruleId = '';

  it('validates rules: a trigger is required, one rule per programme and producer, the producer must make the programme’s cards', async () => {
    expectError(await h().request('POST', '/api/v1/batch-rules', { session: lc.sessions.manager, body: { programmeId: lc.rp.id, producerOrgId: lc.city.producer.id } }), 400, 'BATCH_RULE_TRIGGER_REQUIRED');
    expectError(await h().request('POST', '/api/v1/batch-rules', { session: lc.sessions.manager, body: { programmeId: lc.rp.id, producerOrgId: lc.city.producer.id, dailyAt: '25:00' } }), 400, 'VALIDATION_FAILED');
    expectError(await h().request('POST', '/api/v1/batch-rules', { session: lc.sessions.manager, body: { programmeId: lc.rp.id, producerOrgId: lc.city.bank.id, dailyAt: '09:00' } }), 400, 'BATCH_PRODUCER_INVALID');
    const res = await h().request('POST', '/api/v1/batch-rules', { session: lc.sessions.manager, body: { programmeId: lc.rp.id, producerOrgId: lc.city.producer.id, dailyAt: '09:30' } });
    expect(res.statusCode, res.body).toBe(201);
    ruleId = (res.json() as { id: string }).id;
    expect(res.json()).toMatchObject({ dailyAt: '09:30', whenWaiting: null, enabled: true, lastRunAt: null });
    expectError(await h().request('POST', '/api/v1/batch-rules', { session: lc.sessions.manager, body: { programmeId: lc.rp.id, producerOrgId: lc.city.producer.id, whenWaiting: 5 } }), 409, 'BATCH_RULE_EXISTS');
    const list = await h().request('GET', '/api/v1/batch-rules', { session: lc.sessions.manager });
    expect((list.json() as { items: { id: string }[] }).items.map((r) => r.id)).toEqual([ruleId]);
  });

  it('runs a daily rule once at its time in Asia/Shanghai, even when two processes try at once, and audits the run with counts', async () => {
    const day = '2030-03-04';
    const before = shanghaiInstant(day, 9 * 60 + 29);
    const at = shanghaiInstant(day, 9 * 60 + 31);
    expect(await runDueRules(h().ctx, before)).toEqual([]);
    // A rule made after today's time waits for tomorrow.
    await h().ctx.db.orm.update(batchRules).set({ createdAt: shanghaiInstant(day, 10 * 60) }).where(eq(batchRules.id, ruleId));
    expect(await runDueRules(h().ctx, shanghaiInstant(day, 10 * 60 + 30))).toEqual([]);
    await h().ctx.db.orm.update(batchRules).set({ createdAt: shanghaiInstant('2030-03-03', 0) }).where(eq(batchRules.id, ruleId));
    const runs = await Promise.all([runDueRules(h().ctx, at), runDueRules(h().ctx, at)]);
    const all = runs.flat();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ ruleId, trigger: 'DAILY', waiting: 1, cards: 1 });
    expect(await runDueRules(h().ctx, new Date(at.getTime() + 60_000))).toEqual([]);
    const [rule] = await h().ctx.db.orm.select().from(batchRules).where(eq(batchRules.id, ruleId));
    expect(rule!.lastRunAt!.getTime()).toBe(at.getTime());
    const made = await h().ctx.db.orm.select().from(productionBatches).where(eq(productionBatches.ruleId, ruleId));
    expect(made).toHaveLength(1);
    const audits = await h().ctx.db.orm.select().from(auditLog).where(and(eq(auditLog.action, 'batch.rule.run'), eq(auditLog.targetId, ruleId)));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ trigger: 'DAILY', waiting: 1, batches: 1, cards: 1 });
    expect(audits[0]!.actorType).toBe('SYSTEM');
    // The next day it is due again.
    const next = await runDueRules(h().ctx, shanghaiInstant('2030-03-05', 9 * 60 + 30));
    expect(next).toMatchObject([{ ruleId, trigger: 'DAILY', waiting: 0, cards: 0 }]);
  });

  it('runs a waiting-count rule as soon as enough applications wait', async () => {
    const patched = await h().request('PATCH', `/api/v1/batch-rules/${ruleId}`, { session: lc.sessions.manager, body: { dailyAt: null, whenWaiting: 2 } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ dailyAt: null, whenWaiting: 2 });
    await approvedApplications(h(), lc, 'rp', 30, 1);
    const now = new Date('2030-03-06T02:00:00Z');
    expect(await runDueRules(h().ctx, now)).toEqual([]);
    await approvedApplications(h(), lc, 'rp', 31, 1);
    expect(await runDueRules(h().ctx, now)).toMatchObject([{ ruleId, trigger: 'WAITING', waiting: 2, cards: 2 }]);
    expect(await runDueRules(h().ctx, now)).toEqual([]);
    const off = await h().request('PATCH', `/api/v1/batch-rules/${ruleId}`, { session: lc.sessions.manager, body: { enabled: false } });
    expect(off.statusCode).toBe(200);
    await approvedApplications(h(), lc, 'rp', 32, 2);
    expect(await runDueRules(h().ctx, new Date('2030-03-07T02:00:00Z'))).toEqual([]);
    expect((await h().request('DELETE', `/api/v1/batch-rules/${ruleId}`, { session: lc.sessions.manager })).statusCode).toBe(204);
    expect(await h().ctx.db.orm.select().from(batchRules)).toHaveLength(0);
  });
});
