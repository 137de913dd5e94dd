import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import { smsMessages } from '../../src/modules/notify/schema.ts';
import { ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { notifyDutyPhone } from '../../src/modules/ops/duty-alerts.ts';
import { opsBackups } from '../../src/modules/ops/schema.ts';
import { systemStatus, type SystemStatus } from '../../src/modules/ops/status.ts';
import { recordJobRun } from '../../src/platform/metrics.ts';
import { seedCity, useHarness } from '../helpers/app.ts';

const DUTY_PHONE = '13800138000';
const backupDir = mkdtempSync(path.join(tmpdir(), 'cardflow-status-test-'));
const h = useHarness({ smsDutyPhone: DUTY_PHONE, backupDir, backupIntervalHours: 24 });
const HOUR = 3_600_000;

beforeAll(async () => {
  await seedCity(h().ctx);
}, 120_000);

afterAll(() => rmSync(backupDir, { recursive: true, force: true }));

async function statusAs(username: string) {
  return h().request('GET', '/api/v1/ops/status', { session: await h().login(username) });
}

async function dutyMessages() {
  return h().ctx.db.orm.select({ key: smsMessages.idempotencyKey, text: smsMessages.text, phone: smsMessages.phoneMasked }).from(smsMessages).where(like(smsMessages.idempotencyKey, 'ops-alert:%'));
}

describe('GET /api/v1/ops/status', () => {
  it('answers with every section, and the backup directory disk figures', async () => {
    const res = await statusAs('admin');
    expect(res.statusCode).toBe(200);
    const body = res.json() as SystemStatus;
    expect(body.service.engine).toBe(h().ctx.db.engine);
    expect(body.service.version).toMatch(/^\d+/);
    expect(body.service.migrationsComplete).toBe(true);
    expect(body.service.migrationsApplied).toBeGreaterThan(0);
    expect(body.queues.noticesPending).toBe(0);
    expect(body.queues.sms.oldestQueuedAt).toBeNull();
    expect(Array.isArray(body.jobs)).toBe(true);
    expect(body.backup).toMatchObject({ intervalHours: 24, lastSuccessAt: null, lastFailureAt: null });
    expect(body.calendar.map((c) => c.year)).toEqual([body.calendar[0]!.year, body.calendar[0]!.year + 1]);
    expect(body.keys.activeKeyId).toBe(h().ctx.keyring.activeKeyId);
    expect(body.keys.keyCount).toBe(h().ctx.keyring.keyIds().length);
    const backupDisk = body.disks.find((d) => d.name === 'backup')!;
    expect(backupDisk).toMatchObject({ path: backupDir, error: null });
    expect(backupDisk.totalBytes).toBeGreaterThan(0);
    expect(body.alerts.map((a) => a.code)).not.toContain('QUEUE_STUCK');
  });

  it('counts background job runs and failures of the process', async () => {
    recordJobRun('status test job', true);
    recordJobRun('status test job', false);
    recordJobRun('status test job', true);
    const body = (await statusAs('admin')).json() as SystemStatus;
    expect(body.jobs).toContainEqual({ job: 'status test job', ok: 2, failed: 1 });
  });

  it('is readable by an auditor and an authority manager, refused to a clerk', async () => {
    expect((await statusAs('u_auditor')).statusCode).toBe(200);
    expect((await statusAs('u_authority_manager')).statusCode).toBe(200);
    const clerk = await statusAs('u_outlet_clerk');
    expect(clerk.statusCode).toBe(403);
  });
});

describe('alerts to the duty phone', () => {
  beforeAll(async () => {
    const ctx = h().ctx;
    const root = await ensureRootOrg(ctx);
    const [queued] = await enqueueSms(ctx, ctx.db.orm, [
      { phone: '13900139000', text: '【cardflow】测试', templateId: null, senderOrgId: root.id, category: 'NOTIFICATION', idempotencyKey: 'status-test-1', quietHoursExempt: true },
    ]);
    await ctx.db.orm.update(smsMessages).set({ createdAt: new Date(Date.now() - HOUR) }).where(sql`${smsMessages.id} = ${queued!.id}`);
    const at = new Date(Date.now() - 30 * HOUR);
    await ctx.db.orm.insert(opsBackups).values({ trigger: 'SCHEDULED', status: 'SUCCEEDED', engine: ctx.db.engine, startedAt: at, finishedAt: at, manifestPath: '/nowhere/manifest.json', bytes: 1234, tableCount: 3 });
  });

  it('shows a stuck queue and a missed backup at the top of the status', async () => {
    const body = (await statusAs('u_auditor')).json() as SystemStatus;
    const codes = body.alerts.map((a) => a.code);
    expect(codes.slice(0, 2)).toEqual(['QUEUE_STUCK', 'BACKUP_MISSED']);
    expect(body.queues.sms.oldestQueuedAgeSeconds).toBeGreaterThanOrEqual(3600);
    expect(body.backup).toMatchObject({ lastSuccessBytes: 1234 });
    expect(body.backup.lastSuccessAgeSeconds).toBeGreaterThanOrEqual(30 * 3600);
  });

  it('queues one SMS per alert code per hour slot', async () => {
    const ctx = h().ctx;
    const now = new Date();
    const { alerts } = await systemStatus(ctx, now);
    const sent = await notifyDutyPhone(ctx, alerts, now);
    expect(sent).toBe(alerts.length);
    expect(await notifyDutyPhone(ctx, alerts, now)).toBe(0);
    const first = await dutyMessages();
    expect(first).toHaveLength(alerts.length);
    const slot = now.toISOString().slice(0, 13);
    const stuck = first.find((m) => m.key === `ops-alert:QUEUE_STUCK:${slot}`)!;
    expect(stuck.text).toMatch(/^【cardflow】短信队列停滞/);
    expect(stuck.phone).not.toContain(DUTY_PHONE);

    const later = new Date(now.getTime() + HOUR);
    expect(await notifyDutyPhone(ctx, alerts, later)).toBe(alerts.length);
    expect(await dutyMessages()).toHaveLength(2 * alerts.length);
  });

  it('sends nothing without a duty phone', async () => {
    const ctx = h().ctx;
    const alerts = (await systemStatus(ctx)).alerts;
    const before = (await dutyMessages()).length;
    const config = { ...ctx.config, smsDutyPhone: null };
    expect(await notifyDutyPhone({ ...ctx, config }, alerts, new Date(Date.now() + 5 * HOUR))).toBe(0);
    expect(await dutyMessages()).toHaveLength(before);
  });
});
