import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { shanghaiDate } from '../../src/modules/calendar/zone.ts';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import { smsMessages } from '../../src/modules/notify/schema.ts';
import { smsWordLists } from '../../src/modules/notify/words-schema.ts';
import { ALERT_SLOT_MS, alertHeldMessages, holdAlertText } from '../../src/modules/notify/words-holds.ts';
import { seedCity, useHarness, type Session } from '../helpers/app.ts';
import { mobile, notice } from './fixtures.ts';

const DUTY_PHONE = '13900009999';
const h = useHarness({ smsDutyPhone: DUTY_PHONE });
let city: Awaited<ReturnType<typeof seedCity>>;
let manager: Session;
let clerk: Session;
const today = shanghaiDate(new Date());

interface Hold {
  id: string;
  phoneMasked: string;
  text: string;
  senderOrgId: string;
  hits: Array<{ word: string; start: number; end: number }>;
  listVersion: number;
}

async function saveWords(words: string[], session = manager) {
  return h().request('POST', '/api/v1/sms/word-lists', { session, body: { words, note: 'test' } });
}

async function enqueue(text: string, n: number, senderOrgId = city.city.id) {
  const [r] = await enqueueSms(h().ctx, h().ctx.db.orm, [notice(senderOrgId, mobile(n), { text })]);
  return r!;
}

async function holds(): Promise<{ total: number; items: Hold[] }> {
  const res = await h().request('GET', '/api/v1/sms/holds', { session: manager });
  expect(res.statusCode).toBe(200);
  return res.json() as { total: number; items: Hold[] };
}

beforeAll(async () => {
  city = await seedCity(h().ctx);
  manager = await h().login(city.usernames.AUTHORITY_MANAGER);
  clerk = await h().login(city.usernames.OUTLET_CLERK);
  const saved = await saveWords(['代开发票', 'VX加我', '  ', '代开发票']);
  expect(saved.statusCode).toBe(201);
});

describe('sensitive-word lists', () => {
  it('saves versions, keeps old ones and shows what changed', async () => {
    const res = await saveWords(['代开发票', '刷单返利']);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ version: 2, active: true, words: 2 });
    const list = (await h().request('GET', '/api/v1/sms/word-lists', { session: manager })).json() as { items: Array<{ version: number; active: boolean; words: number }> };
    expect(list.items.map((l) => [l.version, l.active, l.words])).toEqual([
      [2, true, 2],
      [1, false, 2],
    ]);
    const v2 = (await h().request('GET', '/api/v1/sms/word-lists/2', { session: manager })).json() as { words: string[]; diff: { previousVersion: number; added: string[]; removed: string[] } };
    expect(v2.diff).toEqual({ previousVersion: 1, added: ['刷单返利'], removed: ['VX加我'] });
    expect((await h().request('GET', '/api/v1/sms/word-lists/99', { session: manager })).json().error.code).toBe('SMS_WORD_LIST_NOT_FOUND');
  });

  it('refuses a file with bad lines, listing every one, and saves nothing', async () => {
    const before = await h().ctx.db.orm.select().from(smsWordLists);
    const file = ['好词', '', 'a'.repeat(51), '坏\u0007词', '***', '另一个'].join('\n');
    const res = await h().request('POST', '/api/v1/sms/word-lists', { session: manager, body: file, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('SMS_WORD_LIST_INVALID');
    expect(res.json().error.details.lines).toEqual([
      { line: 3, text: 'a'.repeat(51), reason: 'TOO_LONG' },
      { line: 4, text: '坏\u0007词', reason: 'CONTROL_CHARACTER' },
      { line: 5, text: '***', reason: 'NO_LETTER_OR_DIGIT' },
    ]);
    expect(await h().ctx.db.orm.select().from(smsWordLists)).toHaveLength(before.length);

    const good = await h().request('POST', '/api/v1/sms/word-lists?note=file', { session: manager, body: '\uFEFF代开发票\r\n\r\n  VX加我  \r\n', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(good.statusCode).toBe(201);
    expect(good.json()).toMatchObject({ version: before.length + 1, note: 'file', words: 2, active: true });
  });

  it('a clerk may read the lists but not save one', async () => {
    expect((await h().request('GET', '/api/v1/sms/word-lists', { session: clerk })).statusCode).toBe(403);
    expect((await saveWords(['x1'], clerk)).statusCode).toBe(403);
  });
});

describe('holding messages', () => {
  it('holds a message with a listed word, noise and full-width included, and queues clean ones', async () => {
    await saveWords(['代开发票', 'VX加我']);
    const noisy = await enqueue('【常州公安】代*开 发\u200b票请联系', 101);
    const fullWidth = await enqueue('【常州公安】ＶＸ加我领取', 102);
    const clean = await enqueue('【常州公安】您的居住证已制作完成，请到受理点领取。', 103);
    expect([noisy.status, fullWidth.status, clean.status]).toEqual(['HELD', 'HELD', 'QUEUED']);

    const list = await holds();
    const held = list.items.find((m) => m.id === noisy.id)!;
    expect(held.hits).toEqual([{ word: '代开发票', start: 6, end: 13 }]);
    expect(held.text.slice(6, 13)).toBe('代*开 发\u200b票');
    expect(held.phoneMasked).toBe('139****0101');
    expect(list.items.find((m) => m.id === fullWidth.id)!.hits[0]!.word).toBe('VX加我');
    expect(list.total).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(list)).not.toContain(mobile(101));
  });

  it('a new list version changes the screening', async () => {
    expect((await enqueue('【常州公安】刷单返利', 110)).status).toBe('QUEUED');
    await saveWords(['刷单返利']);
    expect((await enqueue('【常州公安】刷单返利', 111)).status).toBe('HELD');
    expect((await enqueue('【常州公安】代开发票', 112)).status).toBe('QUEUED');
    const [row] = await h().ctx.db.orm.select().from(smsMessages).where(like(smsMessages.phoneMasked, '%0111'));
    const [latest] = await h().ctx.db.orm.select().from(smsWordLists).where(eq(smsWordLists.active, true));
    expect(row!.heldListVersion).toBe(latest!.version);
    await saveWords(['代开发票', 'VX加我']);
  });

  it('releases a held message to the queue and rejects another, audited; refuses one that is not held', async () => {
    const a = await enqueue('【常州公安】代开发票A', 120);
    const b = await enqueue('【常州公安】代开发票B', 121);
    const clean = await enqueue('【常州公安】您好', 122);

    expect((await h().request('POST', `/api/v1/sms/messages/${a.id}/release`, { session: clerk })).statusCode).toBe(403);

    const released = await h().request('POST', `/api/v1/sms/messages/${a.id}/release`, { session: manager });
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({ status: 'QUEUED', decidedBy: city.usernames.AUTHORITY_MANAGER });
    const rejected = await h().request('POST', `/api/v1/sms/messages/${b.id}/reject`, { session: manager });
    expect(rejected.json()).toMatchObject({ status: 'FAILED', failureCode: 'SENSITIVE_WORD' });
    const [rowB] = await h().ctx.db.orm.select().from(smsMessages).where(eq(smsMessages.id, b.id));
    expect(rowB!.finishedAt).not.toBeNull();

    const again = await h().request('POST', `/api/v1/sms/messages/${a.id}/reject`, { session: manager });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SMS_NOT_HELD');
    expect((await h().request('POST', `/api/v1/sms/messages/${clean.id}/release`, { session: manager })).json().error.code).toBe('SMS_NOT_HELD');

    const audit = await h().ctx.db.orm.select().from(auditLog).where(and(eq(auditLog.action, 'sms.hold.release'), eq(auditLog.targetId, a.id)));
    expect(audit.map((e) => e.outcome).sort()).toEqual(['DENIED', 'SUCCESS']);
    const ids = (await holds()).items.map((m) => m.id);
    expect(ids).not.toContain(a.id);
    expect(ids).not.toContain(b.id);
  });

  it('opt-out blocking wins over holding', async () => {
    const add = await h().request('POST', '/api/v1/sms/blocklist', { session: manager, body: { phone: mobile(130), signature: '常州公安' } });
    expect(add.statusCode).toBe(201);
    expect((await enqueue('【常州公安】代开发票', 130)).status).toBe('BLOCKED');
  });
});

describe('alerts and statistics', () => {
  it('queues one duty-phone alert per ten-minute slot, itself never held', async () => {
    const now = new Date();
    const first = await alertHeldMessages(h().ctx, now);
    expect(first.held).toBeGreaterThan(0);
    expect(first.queued).not.toBeNull();
    expect(first.queued!.status).toBe('QUEUED');
    expect((await alertHeldMessages(h().ctx, new Date(now.getTime() + 1000))).queued).toBeNull();
    const nextSlot = await alertHeldMessages(h().ctx, new Date(now.getTime() + ALERT_SLOT_MS));
    expect(nextSlot.queued).not.toBeNull();
    const alerts = await h().ctx.db.orm.select().from(smsMessages).where(like(smsMessages.idempotencyKey, 'sms-hold-alert:%'));
    expect(alerts).toHaveLength(2);
    expect(alerts[0]!.phoneMasked).toBe('139****9999');
    expect(alerts[0]!.text).toMatch(/^【cardflow】短信敏感词拦截：\d+ 条待审核（最早 \d\d:\d\d）$/);
    expect(alerts[0]!.quietHoursExempt).toBe(true);
  });

  it('the alert text names the count and the oldest time in Shanghai', () => {
    expect(holdAlertText(3, new Date('2026-12-01T01:05:00Z'))).toBe('【cardflow】短信敏感词拦截：3 条待审核（最早 09:05）');
  });

  it('counts held messages per word, sender and day', async () => {
    await enqueue('【常州公安】代开发票 ＶＸ加我', 140, city.outletB.id);
    const res = await h().request('GET', `/api/v1/sms/holds/stats?from=${today}&to=${today}`, { session: manager });
    expect(res.statusCode).toBe(200);
    const stats = res.json() as { held: number; pending: number; released: number; rejected: number; byWord: Array<{ word: string; messages: number }>; bySender: Array<{ orgId: string; messages: number }>; byDay: Array<{ date: string; messages: number }> };
    const rows = await h().ctx.db.orm.select().from(smsMessages);
    const everHeld = rows.filter((r) => r.heldWords !== null);
    expect(stats.held).toBe(everHeld.length);
    expect(stats.rejected).toBe(1);
    expect(stats.pending).toBe(everHeld.filter((r) => r.status === 'HELD').length);
    const perWord = (w: string) => everHeld.filter((r) => r.heldWords!.some((x) => x.word === w)).length;
    expect(stats.byWord).toEqual(expect.arrayContaining([{ word: '代开发票', messages: perWord('代开发票') }, { word: 'VX加我', messages: perWord('VX加我') }]));
    expect(stats.bySender.find((s) => s.orgId === city.outletB.id)!.messages).toBe(1);
    expect(stats.byDay).toEqual([{ date: today, messages: everHeld.length }]);
    expect((await h().request('GET', '/api/v1/sms/holds/stats?from=2020-01-01&to=2020-01-02', { session: manager })).json().held).toBe(0);
  });
});
