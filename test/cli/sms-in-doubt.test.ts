import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import { smsSubmitAttempts } from '../../src/modules/notify/schema.ts';
import { ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { useCliWorkspace } from '../helpers/cli.ts';

const ws = useCliWorkspace('sms-in-doubt');

describe('cardflow sms in-doubt / decide', { timeout: 180_000 }, () => {
  it('lists the messages in doubt and resends one and closes another, audited; refuses what is not in doubt', async () => {
    await ws.ok('migrate');
    const [resend, close] = await ws.withDb(async (ctx) => {
      const org = (await ensureRootOrg(ctx)).id;
      const queued = await enqueueSms(
        ctx,
        ctx.db.orm,
        ['13900000001', '13900000002'].map((phone, i) => ({ phone, text: '【常州公安】您的居住证已制作完成，请到受理点领取。', templateId: null, senderOrgId: org, category: 'NOTIFICATION' as const, idempotencyKey: `cli-doubt:${i}`, quietHoursExempt: true })),
      );
      // Twice the default reconcile window ago: a submit the gateway never answered, long settled as UNKNOWN.
      const startedAt = new Date(Date.now() - 20 * 60_000);
      for (const m of queued) await ctx.db.orm.insert(smsSubmitAttempts).values({ messageId: m.id, provider: 'smpp:x@gw', startedAt, outcome: 'UNKNOWN', errorCode: 'SMS_GATEWAY_TIMEOUT', finishedAt: startedAt });
      return queued.map((m) => m.id);
    });

    const listed = await ws.ok('sms', 'in-doubt');
    expect(listed).toContain(`${resend}  `);
    expect(listed).toContain(`${close}  `);
    expect(listed).toContain('139****0001');
    expect(listed).not.toContain('13900000001');
    expect(listed).toMatch(/^2 messages in doubt$/m);

    const bad = await ws.cardflow('sms', 'decide', resend!, '--decision', 'maybe', '--reason', '供应商确认未收到');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('one of resend, close');
    const noReason = await ws.cardflow('sms', 'decide', resend!, '--decision', 'resend', '--reason', ' ');
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toContain('--reason must have 2 to 200 characters');

    expect(await ws.ok('sms', 'decide', resend!, '--decision', 'resend', '--reason', '供应商确认未收到')).toBe(`${resend} resend: now QUEUED\n`);
    expect(await ws.ok('sms', 'decide', close!, '--decision', 'close', '--reason', '供应商确认已下发')).toBe(`${close} close: now EXPIRED (SUBMIT_UNCONFIRMED)\n`);
    const again = await ws.cardflow('sms', 'decide', close!, '--decision', 'resend', '--reason', '再试一次');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('SMS_NOT_IN_DOUBT');
    expect(await ws.ok('sms', 'in-doubt')).toBe('0 messages in doubt\n');

    const audited = await ws.withDb((ctx) => ctx.db.orm.select().from(auditLog).where(eq(auditLog.action, 'sms.in_doubt.decide')));
    expect(audited.map((e) => [e.targetId, e.actorType, (e.details as { decision: string; reason: string }).reason]).sort()).toEqual(
      [
        [resend, 'CLI', '供应商确认未收到'],
        [close, 'CLI', '供应商确认已下发'],
      ].sort(),
    );
  });
});
