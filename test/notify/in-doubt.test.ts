import { and, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import { smsMessages, smsSubmitAttempts } from '../../src/modules/notify/schema.ts';
import { seedCity, useHarness, type Session } from '../helpers/app.ts';
import { mobile, notice } from './fixtures.ts';
import { acceptedPerNumber, dispatcherFor, gatewayTo, simulator, untilAll } from './harness.ts';

const RECONCILE_SECONDS = 60;
const PROVIDER = 'in-doubt-sim';
const h = useHarness({ smsReconcileSeconds: RECONCILE_SECONDS });
let city: Awaited<ReturnType<typeof seedCity>>;
let manager: Session;
let clerk: Session;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(async () => {
  city = await seedCity(h().ctx);
  manager = await h().login(city.usernames.AUTHORITY_MANAGER);
  clerk = await h().login(city.usernames.OUTLET_CLERK);
});

/** A queued message behind a submit whose answer never came (a timeout), started `agoSeconds` ago. */
async function inDoubt(n: number, agoSeconds: number, outcome: 'UNKNOWN' | null = 'UNKNOWN') {
  const [message] = await enqueueSms(h().ctx, h().ctx.db.orm, [notice(city.city.id, mobile(n))]);
  const startedAt = new Date(Date.now() - agoSeconds * 1000);
  const [attempt] = await h()
    .ctx.db.orm.insert(smsSubmitAttempts)
    .values({ messageId: message!.id, provider: PROVIDER, startedAt, outcome, errorCode: outcome ? 'SMS_GATEWAY_TIMEOUT' : null, finishedAt: outcome ? startedAt : null })
    .returning({ id: smsSubmitAttempts.id });
  await h().ctx.db.orm.update(smsMessages).set({ attempts: 1, provider: PROVIDER }).where(eq(smsMessages.id, message!.id));
  return { id: message!.id, attemptId: attempt!.id, phone: mobile(n) };
}

const decide = (id: string, body: unknown, session = manager, headers: Record<string, string> = {}) =>
  h().request('POST', `/api/v1/sms/messages/${id}/in-doubt`, { session, body, headers });

async function listedInDoubt(): Promise<string[]> {
  const res = await h().request('GET', '/api/v1/sms/messages?inDoubt=true', { session: manager });
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: Array<{ id: string }> }).items.map((m) => m.id);
}

describe('messages in doubt: an operator decides after checking with the provider', () => {
  it('resend: the message goes out again and is delivered once; the decision and its reason are audited', async () => {
    const m = await inDoubt(1, 2 * RECONCILE_SECONDS);
    expect(await listedInDoubt()).toContain(m.id);
    // The operator's view counts it: the status page and the Prometheus gauge.
    const status = await h().request('GET', '/api/v1/ops/status', { session: manager });
    expect(status.json().queues.sms.inDoubt).toBe(1);
    const metrics = await h().app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('cardflow_sms_in_doubt 1\n');
    const detail = await h().request('GET', `/api/v1/sms/messages/${m.id}`, { session: manager });
    expect(detail.json()).toMatchObject({ status: 'QUEUED', inDoubt: true });

    expect((await decide(m.id, { decision: 'resend', reason: '供应商确认未收到' }, clerk)).statusCode).toBe(403);
    const blank = await decide(m.id, { decision: 'resend', reason: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.code).toBe('VALIDATION_FAILED');
    expect((await decide(m.id, { decision: 'maybe', reason: '供应商确认未收到' })).statusCode).toBe(400);

    const res = await decide(m.id, { decision: 'resend', reason: '供应商确认未收到' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ decision: 'resend', status: 'QUEUED', abandonedAttempts: [m.attemptId] });
    const [attempt] = await h().ctx.db.orm.select().from(smsSubmitAttempts).where(eq(smsSubmitAttempts.id, m.attemptId));
    expect(attempt!.outcome).toBe('ABANDONED');
    expect(await listedInDoubt()).not.toContain(m.id);

    const again = await decide(m.id, { decision: 'close', reason: '重复操作' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SMS_NOT_IN_DOUBT');

    const sim = await simulator();
    cleanups.push(() => sim.stop());
    const gateway = gatewayTo(sim);
    const dispatcher = dispatcherFor(h().ctx, gateway, { provider: PROVIDER });
    dispatcher.attach();
    await gateway.start();
    dispatcher.start();
    cleanups.push(async () => {
      await dispatcher.stop();
      await gateway.stop({ graceMs: 0 });
    });
    await untilAll(h().ctx, [m.id], 'DELIVERED');
    expect(acceptedPerNumber(sim).get(m.phone)).toBe(1);

    const audit = await h().ctx.db.orm.select().from(auditLog).where(and(eq(auditLog.action, 'sms.in_doubt.decide'), eq(auditLog.targetId, m.id)));
    const success = audit.filter((e) => e.outcome === 'SUCCESS');
    expect(success).toHaveLength(1);
    expect(success[0]!.details).toMatchObject({ decision: 'resend', reason: '供应商确认未收到', abandonedAttempts: [m.attemptId] });
    expect(audit.some((e) => e.outcome === 'DENIED')).toBe(true);
  });

  it('close: the message ends EXPIRED with SUBMIT_UNCONFIRMED, out of the queue; a submit still inside its window is refused', async () => {
    const recent = await inDoubt(2, 5, null);
    expect(await listedInDoubt()).not.toContain(recent.id);
    const early = await decide(recent.id, { decision: 'close', reason: '供应商确认已下发' }, manager, { 'accept-language': 'en-US' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('SMS_IN_DOUBT_TOO_EARLY');
    expect(early.json().error.message).toMatch(/within 5[0-9] s/);
    const [untouched] = await h().ctx.db.orm.select().from(smsSubmitAttempts).where(eq(smsSubmitAttempts.id, recent.attemptId));
    expect(untouched!.outcome).toBeNull();

    const crashed = await inDoubt(4, 2 * RECONCILE_SECONDS, null);
    const closed = await decide(crashed.id, { decision: 'close', reason: '供应商确认已下发' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ decision: 'close', status: 'EXPIRED', failureCode: 'SUBMIT_UNCONFIRMED', abandonedAttempts: [crashed.attemptId] });
    const [row] = await h().ctx.db.orm.select().from(smsMessages).where(eq(smsMessages.id, crashed.id));
    expect(row!.finishedAt).not.toBeNull();
    expect(await listedInDoubt()).not.toContain(crashed.id);

    const [plain] = await enqueueSms(h().ctx, h().ctx.db.orm, [notice(city.city.id, mobile(3))]);
    const notInDoubt = await decide(plain!.id, { decision: 'resend', reason: '试一下' });
    expect(notInDoubt.statusCode).toBe(409);
    expect(notInDoubt.json().error.message).toContain('没有结果未知的提交');
    const [stillQueued] = await h().ctx.db.orm.select().from(smsMessages).where(eq(smsMessages.id, plain!.id));
    expect(stillQueued!.status).toBe('QUEUED');
  });
});
