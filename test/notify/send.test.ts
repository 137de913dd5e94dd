import { count, eq, like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardAttempts } from '../../src/modules/cards/schema.ts';
import { smsMessages } from '../../src/modules/notify/schema.ts';
import { smsCampaigns } from '../../src/modules/notify/templates-schema.ts';
import { DEFAULT_DAILY_QUOTA } from '../../src/modules/notify/send-service.ts';
import type { Session } from '../helpers/app.ts';
import { useHarness } from '../helpers/app.ts';
import { expectError } from '../helpers/http.ts';
import { approvedApplications, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { apiKeyFor } from '../reports/fixtures.ts';
import { approvedTemplate, colleague, draftTemplate, registerSignature, type TemplateBody } from './send-fixtures.ts';

const h = useHarness();
let lc: Lifecycle;
let author: Session;
let pickup: TemplateBody;
let promo: TemplateBody;
let reminder: TemplateBody;
let draft: TemplateBody;
let long: TemplateBody;
const DAY = 86_400_000;

async function messages(prefix: string) {
  const [row] = await h().ctx.db.orm.select({ n: count() }).from(smsMessages).where(like(smsMessages.idempotencyKey, `${prefix}%`));
  return row!.n;
}

const send = (body: Record<string, unknown>, session: Session | null = author, apiKey?: string) =>
  h().request('POST', '/api/v1/sms/send', { session, apiKey, body: { templateId: pickup.id, phone: '13800000001', values: { name: '张三' }, ...body } });

beforeAll(async () => {
  lc = await seedLifecycle(h());
  author = lc.manager;
  const approver = await colleague(h(), 'send_approver', lc.city.city.id);
  const signatureId = await registerSignature(h(), author, '常州市公安局');
  pickup = await approvedTemplate(h(), author, approver, { name: 'pickup', signatureId, body: '{name}您好，您的证件已可领取。' });
  promo = await approvedTemplate(h(), author, approver, { name: 'promo', signatureId, body: '网上预约服务已开通', category: 'MARKETING' });
  reminder = await approvedTemplate(h(), author, approver, { name: 'reminder', signatureId, body: '您的证件（受理号{applicationNo}）已在{outletName}等候超过{days}天，请尽快领取。' });
  long = await approvedTemplate(h(), author, approver, { name: 'long', signatureId, body: `${'字'.repeat(440)}{x}` });
  draft = await draftTemplate(h(), author, { name: 'draft', signatureId, body: '尚未审批' });
});

describe('sending one message', () => {
  it('queues it with segments and cost, and the same key again sends nothing', async () => {
    const first = await send({ idempotencyKey: 'one-1' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'QUEUED', created: true, phoneMasked: '138****0001', segments: 1, costMilliFen: 3500, text: '【常州市公安局】张三您好，您的证件已可领取。' });
    const again = await send({ idempotencyKey: 'one-1', phone: '13800000002' });
    expect(again.json()).toMatchObject({ id: (first.json() as { id: string }).id, created: false });
    const [row] = await h().ctx.db.orm.select().from(smsMessages).where(eq(smsMessages.id, (first.json() as { id: string }).id));
    expect(row).toMatchObject({ templateId: pickup.id, senderOrgId: lc.city.city.id, category: 'NOTIFICATION', phoneMasked: '138****0001' });
    expect(row!.phoneEnc.startsWith('v1.')).toBe(true);
  });

  it('refuses landlines and numbers that are not mobile numbers', async () => {
    expectError(await send({ idempotencyKey: 'bad-1', phone: '0519-88881234' }), 400, 'SMS_PHONE_LANDLINE');
    expectError(await send({ idempotencyKey: 'bad-2', phone: '1234567' }), 400, 'PHONE_INVALID');
  });

  it('refuses a missing placeholder, an unknown one and a text over the limit', async () => {
    expectError(await send({ idempotencyKey: 'bad-3', values: {} }), 400, 'SMS_PLACEHOLDER_MISSING');
    expectError(await send({ idempotencyKey: 'bad-4', values: { name: '张三', nmae: '李四' } }), 400, 'SMS_PLACEHOLDER_UNKNOWN');
    expectError(await send({ idempotencyKey: 'bad-5', templateId: long.id, values: { x: '甲'.repeat(60) } }), 400, 'SMS_TEXT_OVER_LIMIT');
  });

  it('refuses a template that is not approved', async () => {
    expectError(await send({ idempotencyKey: 'bad-6', templateId: draft.id, values: {} }), 409, 'SMS_TEMPLATE_NOT_APPROVED');
  });

  it('refuses a marketing template in the notification channel and adds the opt-out line in the marketing one', async () => {
    expectError(await send({ idempotencyKey: 'bad-7', templateId: promo.id, values: {} }), 400, 'SMS_MARKETING_IN_NOTIFICATION');
    const ok = await send({ idempotencyKey: 'promo-1', templateId: promo.id, values: {}, channel: 'MARKETING' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((ok.json() as { text: string }).text).toBe('【常州市公安局】网上预约服务已开通。回T退订');
    expect(await messages('send:USER:')).toBe(2);
  });

  it('works for another government system with an API key; its keys do not collide with the console’s', async () => {
    const apiKey = await apiKeyFor(h(), lc, ['AUTHORITY_MANAGER']);
    const res = await send({ idempotencyKey: 'one-1', phone: '13900000009' }, null, apiKey);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: true, phoneMasked: '139****0009' });
    const retry = await send({ idempotencyKey: 'one-1', phone: '13900000009' }, null, apiKey);
    expect(retry.json()).toMatchObject({ id: (res.json() as { id: string }).id, created: false });
    expect(await messages('send:API_KEY:')).toBe(1);
    const byId = await h().request('GET', `/api/v1/sms/messages/${(res.json() as { id: string }).id}`, { apiKey });
    expect(byId.statusCode, byId.body).toBe(200);
    expect(byId.json()).toMatchObject({ status: 'QUEUED', phoneMasked: '139****0009', templateId: pickup.id });
  });

  it('stops an API key at its daily quota; retries of a used key are not counted', async () => {
    const apiKey = await apiKeyFor(h(), lc, ['AUTHORITY_MANAGER']);
    const prefix = apiKey.split('_')[1]!;
    const quotas = (await h().request('GET', '/api/v1/sms/quotas', { session: author })).json() as { items: { apiKeyId: string; prefix: string; dailyLimit: number; custom: boolean }[] };
    const mine = quotas.items.find((q) => q.prefix === prefix)!;
    expect(mine).toMatchObject({ dailyLimit: DEFAULT_DAILY_QUOTA, custom: false });
    const set = await h().request('PUT', `/api/v1/sms/quotas/${mine.apiKeyId}`, { session: author, body: { dailyLimit: 2 } });
    expect(set.statusCode, set.body).toBe(204);
    expect((await send({ idempotencyKey: 'q-1', phone: '13900000011' }, null, apiKey)).statusCode).toBe(200);
    expect((await send({ idempotencyKey: 'q-2', phone: '13900000012' }, null, apiKey)).statusCode).toBe(200);
    const over = expectError(await send({ idempotencyKey: 'q-3', phone: '13900000013' }, null, apiKey), 429, 'SMS_QUOTA_EXCEEDED');
    expect(over.message).toContain('2');
    expect((await send({ idempotencyKey: 'q-2', phone: '13900000012' }, null, apiKey)).json()).toMatchObject({ created: false });
    const after = (await h().request('GET', '/api/v1/sms/quotas', { session: author })).json() as { items: { apiKeyId: string; sentToday: number; custom: boolean }[] };
    expect(after.items.find((q) => q.apiKeyId === mine.apiKeyId)).toMatchObject({ sentToday: 2, custom: true });
    expect(await messages(`send:API_KEY:${mine.apiKeyId}:`)).toBe(2);
    expectError(await h().request('PUT', `/api/v1/sms/quotas/${lc.city.city.id}`, { session: author, body: { dailyLimit: 5 } }), 404, 'NOT_FOUND');
  });

  it('is refused to a role without sms.send', async () => {
    expectError(await send({ idempotencyKey: 'x' }, lc.sessions.auditor), 403, 'FORBIDDEN');
  });
});

describe('campaigns from a CSV', () => {
  const csv = 'phone,name\n13800000101,张三\n13800000102,李四\n13800000103,王五\n';

  it('preview counts, segments, cost and masked samples without queuing anything', async () => {
    const res = await h().request('POST', '/api/v1/sms/campaigns/preview', { session: author, body: { templateId: pickup.id, channel: 'NOTIFICATION', recipients: { source: 'CSV', csv } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ recipients: 3, segments: 3, costMilliFen: 10_500, bySegments: { 1: 3 } });
    expect((res.json() as { samples: { phoneMasked: string }[] }).samples.map((s) => s.phoneMasked)).toEqual(['138****0101', '138****0102', '138****0103']);
    expect(await messages('campaign:')).toBe(0);
  });

  it('refuse the whole file when any row is bad, listing every bad row', async () => {
    const bad = 'phone,name\n13800000201,张三\n0519-88881234,李四\n12345,王五\n13800000204,\n';
    const body = { templateId: pickup.id, channel: 'NOTIFICATION', name: '坏文件', requestKey: 'bad-file', recipients: { source: 'CSV', csv: bad } };
    const err = expectError(await h().request('POST', '/api/v1/sms/campaigns', { session: author, body }), 400, 'SMS_CSV_ROWS_INVALID');
    expect((err.details as { errors: { row: number; code: string }[] }).errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'SMS_PHONE_LANDLINE'],
      [4, 'PHONE_INVALID'],
      [5, 'SMS_PLACEHOLDER_MISSING'],
    ]);
    expect(await messages('campaign:')).toBe(0);
    expect((await h().ctx.db.orm.select({ n: count() }).from(smsCampaigns))[0]!.n).toBe(0);
  });

  it('refuse an unapproved template and marketing through the notification channel', async () => {
    const base = { channel: 'NOTIFICATION', name: 'x', requestKey: 'refused', recipients: { source: 'CSV', csv: 'phone\n13800000301\n' } };
    expectError(await h().request('POST', '/api/v1/sms/campaigns', { session: author, body: { ...base, templateId: draft.id } }), 409, 'SMS_TEMPLATE_NOT_APPROVED');
    expectError(await h().request('POST', '/api/v1/sms/campaigns', { session: author, body: { ...base, templateId: promo.id } }), 400, 'SMS_MARKETING_IN_NOTIFICATION');
  });

  it('queue every message once; the same confirm again returns the same campaign', async () => {
    const body = { templateId: pickup.id, channel: 'NOTIFICATION', name: '六月领证提醒', requestKey: 'june-1', recipients: { source: 'CSV', csv } };
    const res = await h().request('POST', '/api/v1/sms/campaigns', { session: author, body });
    expect(res.statusCode, res.body).toBe(201);
    const campaign = res.json() as { id: string };
    expect(campaign).toMatchObject({ name: '六月领证提醒', templateName: 'pickup', source: 'CSV', recipients: 3, queued: 3, segments: 3, costMilliFen: 10_500, createdByName: 'AUTHORITY_MANAGER' });
    expect(await messages(`campaign:${campaign.id}:`)).toBe(3);
    const again = await h().request('POST', '/api/v1/sms/campaigns', { session: author, body });
    expect((again.json() as { id: string }).id).toBe(campaign.id);
    expect(await messages('campaign:')).toBe(3);
    const list = (await h().request('GET', '/api/v1/sms/campaigns', { session: lc.sessions.auditor })).json() as { items: { id: string }[] };
    expect(list.items.map((c) => c.id)).toEqual([campaign.id]);
  });
});

describe('campaigns from a card query', () => {
  beforeAll(async () => {
    const ids = await approvedApplications(h(), lc, 'rp', 501, 3);
    const now = Date.now();
    await h().ctx.db.orm.insert(cardAttempts).values(
      ids.map((applicationId, i) => ({
        applicationId,
        programmeId: lc.rp.id,
        cardKind: 'RESIDENCE_PERMIT' as const,
        attemptNo: 1,
        mode: 'INSTANT' as const,
        receiverOrgId: lc.city.outletA.id,
        status: 'RECEIVED' as const,
        cardNo: `RP00000${i}`,
        receivedAt: new Date(now - (i === 2 ? 3 : 20) * DAY),
      })),
    );
  });

  it('reach the holders whose card has waited more than N days at the outlet', async () => {
    const recipients = { source: 'CARD_QUERY', outletOrgId: lc.city.outletA.id, minDays: 14 };
    const preview = await h().request('POST', '/api/v1/sms/campaigns/preview', { session: author, body: { templateId: reminder.id, channel: 'NOTIFICATION', recipients } });
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json() as { recipients: number; samples: { text: string }[] };
    expect(body.recipients).toBe(2);
    expect(body.samples[0]!.text).toMatch(/^【常州市公安局】您的证件（受理号\S+）已在湖塘派出所受理点等候超过14天，请尽快领取。$/);
    const res = await h().request('POST', '/api/v1/sms/campaigns', { session: author, body: { templateId: reminder.id, channel: 'NOTIFICATION', name: '超期未领', requestKey: 'overdue-1', recipients } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ source: 'CARD_QUERY', recipients: 2, queued: 2, sourceDetail: { outletName: '湖塘派出所受理点', minDays: 14 } });
  });

  it('say so when nobody matches', async () => {
    const body = { templateId: reminder.id, channel: 'NOTIFICATION', name: '无人', requestKey: 'nobody', recipients: { source: 'CARD_QUERY', outletOrgId: lc.city.outletB.id, minDays: 14 } };
    expectError(await h().request('POST', '/api/v1/sms/campaigns', { session: author, body }), 409, 'SMS_CAMPAIGN_NO_RECIPIENTS');
  });
});
