import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { enqueueSms } from '../../src/modules/notify/outbox.ts';
import { smsMessages } from '../../src/modules/notify/schema.ts';
import type { SmsStatus } from '../../src/modules/notify/states.ts';
import { shanghaiInstant } from '../../src/modules/calendar/zone.ts';
import { seedCity, useHarness, type Session } from '../helpers/app.ts';
import { pdfPages } from '../helpers/pdf.ts';
import { mobile, notice } from './fixtures.ts';

const h = useHarness();
let city: Awaited<ReturnType<typeof seedCity>>;
let manager: Session;

interface Sim {
  org: 'city' | 'outletB';
  phone: number;
  segments: number;
  status: SmsStatus;
  /** Shanghai date and minute of day of creation. */
  at: [string, number];
  /** ms from submit to the final receipt; undefined = never submitted, null = no receipt. */
  latency?: number | null;
  code?: string;
}

/** Every text is the same, so only number and time tell content duplicates apart. */
const SIMULATED: Sim[] = [
  { org: 'city', phone: 1, segments: 1, status: 'DELIVERED', at: ['2025-03-10', 600], latency: 2000 }, // r1 billed
  { org: 'city', phone: 1, segments: 1, status: 'DELIVERED', at: ['2025-03-10', 605], latency: 2000 }, // r2 duplicate of r1
  { org: 'city', phone: 2, segments: 2, status: 'DELIVERED', at: ['2025-03-10', 610], latency: 4000 }, // r3 billed
  { org: 'city', phone: 3, segments: 3, status: 'FAILED', at: ['2025-03-10', 620], latency: 6000, code: 'UNDELIV' }, // r4 billed
  { org: 'city', phone: 4, segments: 1, status: 'BLOCKED', at: ['2025-03-10', 630], code: 'BLOCKLIST' }, // r5 not sent
  { org: 'city', phone: 5, segments: 1, status: 'FAILED', at: ['2025-03-10', 640], code: 'SMS_GATEWAY_REJECTED' }, // r6 refused
  { org: 'outletB', phone: 6, segments: 3, status: 'SUBMITTED', at: ['2025-03-10', 650], latency: null }, // r7 billed
  { org: 'outletB', phone: 7, segments: 1, status: 'EXPIRED', at: ['2025-03-10', 660] }, // r8 expired unsent
  { org: 'city', phone: 8, segments: 1, status: 'DELIVERED', at: ['2025-04-01', 0], latency: 1000 }, // r9 April: outside
];

/** Rewrites an enqueued message into the simulated state: the statements only read what the dispatcher wrote. */
async function simulate(id: string, s: Sim) {
  const createdAt = shanghaiInstant(s.at[0], s.at[1]);
  const submittedAt = s.latency === undefined ? null : new Date(createdAt.getTime() + 1000);
  const receiptAt = submittedAt && typeof s.latency === 'number' ? new Date(submittedAt.getTime() + s.latency) : null;
  const finished = ['DELIVERED', 'FAILED', 'EXPIRED', 'BLOCKED'].includes(s.status);
  await h()
    .ctx.db.orm.update(smsMessages)
    .set({
      segments: s.segments,
      costMilliFen: s.segments * 3500,
      status: s.status,
      provider: submittedAt ? 'sim' : null,
      attempts: submittedAt ? 1 : 0,
      failureCode: s.code ?? null,
      createdAt,
      submittedAt,
      deliveredAt: s.status === 'DELIVERED' ? receiptAt : null,
      finishedAt: finished ? (receiptAt ?? createdAt) : null,
    })
    .where(eq(smsMessages.id, id));
}

beforeAll(async () => {
  city = await seedCity(h().ctx);
  manager = await h().login(city.usernames.AUTHORITY_MANAGER);
  const orgs = { city: city.city.id, outletB: city.outletB.id };
  const results = await enqueueSms(
    h().ctx,
    h().ctx.db.orm,
    SIMULATED.map((s) => notice(orgs[s.org], mobile(s.phone))),
  );
  for (const [i, r] of results.entries()) await simulate(r.id, SIMULATED[i]!);
});

describe('SMS monthly statement', () => {
  it('bills a simulated month to the fen (hand-checked)', async () => {
    const res = await h().request('GET', '/api/v1/sms/statements/monthly?month=2025-03', { session: manager });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({ month: '2025-03', from: '2025-03-01', to: '2025-03-31', readyOn: '2025-04-01', dueBy: '2025-04-10' });
    // City: r1 + r3 + r4 = 1 + 2 + 3 = 6 segments × 3500 = 21,000 milli-fen = 21 fen; r2 duplicate; r5, r6 not sent.
    // Outlet B: r7 = 3 segments × 3500 = 10,500 milli-fen = 10.5 fen → 11 fen; r8 not sent. r9 is April.
    expect(s.lines).toHaveLength(2);
    expect(s.lines).toEqual(expect.arrayContaining([
      expect.objectContaining({ senderOrgId: city.city.id, templateId: null, messages: 6, billedMessages: 3, billedSegments: 6, duplicates: 1, notSent: 2, costMilliFen: 21_000, costFen: 21 }),
      expect.objectContaining({ senderOrgId: city.outletB.id, messages: 2, billedMessages: 1, billedSegments: 3, duplicates: 0, notSent: 1, costMilliFen: 10_500, costFen: 11 }),
    ]));
    expect(s.totals).toEqual({ messages: 8, billedMessages: 4, billedSegments: 9, duplicates: 1, notSent: 3, costMilliFen: 31_500, costFen: 32 });
    // Billed r1 D, r3 D, r4 F, r7 S → 2 of 4; latencies 2000, 4000, 6000 → p50 rank 2 = 4000.
    expect(s.deliveryRate).toEqual({ delivered: 2, basis: 4, percent: '50.00' });
    expect(s.latencyMs).toEqual({ p50: 4000, p95: 6000, p99: 6000 });
    expect(s.lines.map((l: { senderOrgName: string }) => l.senderOrgName)).toContain('牛塘派出所受理点');
  });

  it('prints the statement as a PDF with the total and as a workbook with the lines', async () => {
    const pdf = await h().request('GET', '/api/v1/sms/statements/monthly?month=2025-03&format=pdf', { session: manager });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = (await pdfPages(pdf.rawPayload)).join('\n');
    expect(text).toContain('短信服务月度使用清单');
    expect(text).toContain('2025-04-10');
    expect(text).toMatch(/合计[\s\S]*0\.32/);

    const xlsx = await h().request('GET', '/api/v1/sms/statements/monthly?month=2025-03&format=xlsx', { session: manager });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0]!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    expect(rows).toContainEqual(['牛塘派出所受理点', '（无模板）', 2, 1, 3, 0, 1, 0.11]);
    expect(rows).toContainEqual(['合计', '', 8, 4, 9, 1, 3, 0.32]);
  });

  it('refuses malformed and future months and callers without sms.read', async () => {
    const bad = await h().request('GET', '/api/v1/sms/statements/monthly?month=2025-3', { session: manager });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('SMS_STATEMENT_MONTH_INVALID');
    const future = await h().request('GET', '/api/v1/sms/statements/monthly?month=2999-01', { session: manager });
    expect(future.json().error.code).toBe('SMS_STATEMENT_PERIOD_FUTURE');
    const clerk = await h().login('clerk_b');
    expect((await h().request('GET', '/api/v1/sms/statements/monthly?month=2025-03', { session: clerk })).statusCode).toBe(403);
  });
});

describe('SMS quarterly failure report', () => {
  it('counts failures per reason and month, and the delivery rate per day', async () => {
    const res = await h().request('GET', '/api/v1/sms/reports/failures?quarter=2025-Q1', { session: manager });
    expect(res.statusCode).toBe(200);
    // r4 UNDELIV, r6 SMS_GATEWAY_REJECTED, r8 EXPIRED: 1 of 3 each = 33.33 %.
    expect(res.json()).toEqual({
      quarter: '2025-Q1',
      from: '2025-01-01',
      to: '2025-03-31',
      months: ['2025-01', '2025-02', '2025-03'],
      failures: 3,
      reasons: [
        { reason: 'EXPIRED', handsetFault: false, count: 1, share: '33.33', byMonth: [0, 0, 1] },
        { reason: 'SMS_GATEWAY_REJECTED', handsetFault: false, count: 1, share: '33.33', byMonth: [0, 0, 1] },
        { reason: 'UNDELIV', handsetFault: false, count: 1, share: '33.33', byMonth: [0, 0, 1] },
      ],
      days: [{ date: '2025-03-10', delivered: 2, basis: 4, percent: '50.00' }],
    });
    const pdf = await h().request('GET', '/api/v1/sms/reports/failures?quarter=2025-Q1&format=pdf', { session: manager });
    const text = (await pdfPages(pdf.rawPayload)).join('\n');
    expect(text).toContain('季度发送失败报告');
    expect(text).toContain('UNDELIV');
    const bad = await h().request('GET', '/api/v1/sms/reports/failures?quarter=2025-Q5', { session: manager });
    expect(bad.json().error.code).toBe('SMS_STATEMENT_QUARTER_INVALID');
  });
});
