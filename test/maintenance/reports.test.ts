import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { maintenanceBreaches } from '../../src/modules/maintenance/schema.ts';
import { maintenanceReports } from '../../src/modules/maintenance/reports-schema.ts';
import { maintenanceTick } from '../../src/modules/maintenance/scheduler.ts';
import { maintenanceVisits } from '../../src/modules/maintenance/visits-schema.ts';
import { sweepMissedVisits } from '../../src/modules/maintenance/visits-service.ts';
import { encryptBytes, encryptField } from '../../src/platform/crypto/field-cipher.ts';
import { useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { pdfPages } from '../helpers/pdf.ts';
import { act, addAsset, openAt, seedMaintenance, type Maintenance, type TicketBody } from './fixtures.ts';

const h = useHarness();
let m: Maintenance;

interface Sla {
  met: number;
  missed: number;
  running: number;
  p50Minutes: number | null;
  p90Minutes: number | null;
}
interface ReportBody {
  id: string;
  kind: string;
  status: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  overdue: boolean;
  late: boolean;
  lateBreachId: string | null;
  reviewNote: string | null;
  maySubmit: boolean;
  mayReview: boolean;
  content: {
    outlets: number;
    visits: { preventiveSigned: number; photoSigned: number; months: { month: string; outlets: number; signed: number; missing: number }[] };
    tickets: { opened: number; resolved: number; byCategory: { category: string; count: number }[]; byAssetType: { type: string; count: number }[]; response: Sla; fix: Sla | null };
    breaches: { byKind: Record<string, number>; total: number; inTerm: number; terminationThreshold: number | null; standing: string };
    assets: { total: number; byStatus: Record<string, number> };
    spareShortfalls?: { type: string; required: number; inStock: number; shortfall: number }[];
  };
}

const generate = (session: Session, body: Record<string, unknown>) => h().request('POST', '/api/v1/maintenance/reports', { session, body: { contractId: m.contract.id, ...body } });
const post = (session: Session, id: string, action: string, body?: unknown) => h().request('POST', `/api/v1/maintenance/reports/${id}/${action}`, { session, ...(body ? { body } : {}) });
const lateBreaches = () => h().ctx.db.orm.select().from(maintenanceBreaches).where(and(eq(maintenanceBreaches.contractId, m.contract.id), eq(maintenanceBreaches.kind, 'LATE_REPORT')));

/** A preventive visit of September 2025 as the database holds it, signed at `signedAt` or still planned. */
async function septemberVisit(siteOrgId: string, signedAt: Date | null) {
  const ctx = h().ctx;
  await ctx.db.orm.insert(maintenanceVisits).values({
    contractId: m.contract.id,
    siteOrgId,
    month: '2025-09',
    kind: 'PREVENTIVE',
    services: ['SOCIAL_SECURITY_CARD'],
    status: signedAt ? 'SIGNED' : 'PLANNED',
    ...(signedAt
      ? { signerNameEnc: encryptField(ctx.keyring, '张三'), signerNameMasked: '张*', signatureEnc: encryptBytes(ctx.keyring, Buffer.from('png')), signatureSm3: '00', signedAt }
      : {}),
  });
}

/**
 * September 2025, checked by hand (outlets open 09:00–17:00; urban A answers within 2 working hours,
 * suburban B within 3):
 * - visits: A signed on 20 September, B never → 2 outlets, 1 signed, 1 missing (a MISSED_VISIT at month end);
 * - tickets: A 10 Sep 09:00 acknowledged 10:00 (60 min, met); A 11 Sep 09:00 acknowledged 12:00 (180 min,
 *   late: LATE_RESPONSE at 11:00); B 12 Sep 09:00 acknowledged 11:30 (150 min of 180, met); A 30 Sep 16:30
 *   still unanswered at month end (30 min, running). Stopped clocks 60, 150, 180 → median 150, p90 180.
 */
beforeAll(async () => {
  m = await seedMaintenance(h());
  const { outletA, outletB } = m.city;
  const reader = await addAsset(h(), m.sessions.engineer, outletA.id);
  await septemberVisit(outletA.id, new Date('2025-09-20T03:00:00Z'));
  await septemberVisit(outletB.id, null);
  const tickets: [Session, string, string, string | null, Record<string, unknown>][] = [
    [m.sessions.clerkA, outletA.id, '2025-09-10T09:00', '2025-09-10T10:00', { assetId: reader }],
    [m.sessions.clerkA, outletA.id, '2025-09-11T09:00', '2025-09-11T12:00', {}],
    [m.sessions.clerkB, outletB.id, '2025-09-12T09:00', '2025-09-12T11:30', { category: '网络故障', description: '网点网络中断' }],
    [m.sessions.clerkA, outletA.id, '2025-09-30T16:30', null, { category: '打印机卡纸', description: '制卡机卡纸' }],
  ];
  for (const [session, site, opened, acknowledged, extra] of tickets) {
    const res = await openAt(h(), session, site, opened, extra);
    expect(res.statusCode, res.body).toBe(201);
    if (acknowledged) expect((await act(h(), m.sessions.engineer, (res.json() as TicketBody).id, 'acknowledge', acknowledged)).statusCode).toBe(200);
  }
  expect(await sweepMissedVisits(h().ctx, new Date('2025-10-02T02:00:00Z'))).toBe(1);
});

describe('the monthly report of September 2025', () => {
  let report: ReportBody;

  it('the maintainer generates it from the data: visits, tickets, SLA, breaches, equipment', async () => {
    const res = await generate(m.sessions.engineer, { kind: 'MONTHLY', periodStart: '2025-09-01' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('maintenance.report.generate');
    report = res.json() as ReportBody;
    expect(report).toMatchObject({ kind: 'MONTHLY', status: 'DRAFT', periodStart: '2025-09-01', periodEnd: '2025-09-30', dueDate: '2025-10-21', overdue: true, late: false, maySubmit: true });
    const c = report.content;
    expect(c.outlets).toBe(2);
    expect(c.visits).toEqual({ preventiveSigned: 1, photoSigned: 0, months: [{ month: '2025-09', outlets: 2, signed: 1, missing: 1 }] });
    expect(c.tickets.opened).toBe(4);
    expect(c.tickets.byCategory).toEqual([
      { category: '读卡机故障', count: 2 },
      { category: '打印机卡纸', count: 1 },
      { category: '网络故障', count: 1 },
    ]);
    expect(c.tickets.byAssetType).toEqual([{ type: 'CARD_READER', count: 1 }]);
    expect(c.tickets.response).toEqual({ met: 2, missed: 1, running: 1, p50Minutes: 150, p90Minutes: 180 });
    expect(c.tickets.fix).toBeNull();
    expect(c.breaches).toEqual({ byKind: { LATE_RESPONSE: 1, LATE_FIX: 0, MISSED_VISIT: 1, LATE_REPORT: 0 }, total: 2, inTerm: 2, terminationThreshold: 5, standing: 'OK' });
    expect(c.assets).toEqual({ total: 1, byStatus: { IN_SERVICE: 1 } });
    // No depot holds any spare yet: every type with a required level shows its whole level short (seed 001 table 2, ratio × 2 outlets, rounded up).
    expect(c.spareShortfalls).toContainEqual({ type: 'DESKTOP_PC', required: 1, inStock: 0, shortfall: 1 });
  });

  it('lists it as overdue for the maintainer and the authority; an outlet sees no reports', async () => {
    const list = (await h().request('GET', `/api/v1/maintenance/reports?contractId=${m.contract.id}&overdue=true`, { session: m.sessions.manager })).json() as { items: ReportBody[]; total: number };
    expect(list.items.map((r) => [r.periodStart, r.overdue])).toEqual([['2025-09-01', true]]);
    expect(((await h().request('GET', '/api/v1/maintenance/reports', { session: m.sessions.clerkA })).json() as { total: number }).total).toBe(0);
    expectError(await h().request('GET', `/api/v1/maintenance/reports/${report.id}`, { session: m.sessions.clerkA }), 404, 'NOT_FOUND');
  });

  it('the PDF opens and shows the numbers', async () => {
    const res = await h().request('GET', `/api/v1/maintenance/reports/${report.id}/report.pdf`, { session: m.sessions.manager });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = (await pdfPages(res.rawPayload)).join('\n');
    expect(text).toContain('网点运维月报表');
    expect(text).toContain('2025-09-01 ~ 2025-09-30');
    expect(text).toContain('2025-10-21');
    expect(text).toMatch(/2025-09\s+2\s+1\s+1/);
    expect(text).toMatch(/响应\s+2\s+1\s+1\s+150\s+180/);
    expect(text).toMatch(/读卡机故障\s+2/);
    expect(text).toMatch(/响应超时\s+1/);
    expect(text).toMatch(/备件缺口[\s\S]*桌面计算机\s+1\s+0\s+1/);
    const en = await h().request('GET', `/api/v1/maintenance/reports/${report.id}/report.pdf`, { session: m.sessions.manager, headers: { 'accept-language': 'en-US' } });
    expect((await pdfPages(en.rawPayload)).join('\n')).toContain('Monthly maintenance report');
  });

  it('the XLSX has the same numbers, as numbers', async () => {
    const res = await h().request('GET', `/api/v1/maintenance/reports/${report.id}/report.xlsx`, { session: m.sessions.engineer });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(['网点运维月报表']);
    expect(rows).toContainEqual(['2025-09', 2, 1, 1]);
    expect(rows).toContainEqual(['响应', 2, 1, 1, 150, 180]);
    expect(rows).toContainEqual(['读卡机故障', 2]);
    expect(rows).toContainEqual(['未按月维护', 1]);
  });

  it('only the maintainer submits; submitted after its due date it registers one LATE_REPORT breach with evidence', async () => {
    expectError(await post(m.sessions.manager, report.id, 'submit'), 403, 'FORBIDDEN');
    const res = await post(m.sessions.engineer, report.id, 'submit');
    expect(res.statusCode, res.body).toBe(200);
    const submitted = res.json() as ReportBody;
    expect(submitted).toMatchObject({ status: 'SUBMITTED', late: true, overdue: false, maySubmit: false });
    const [breach, ...more] = await lateBreaches();
    expect(more).toEqual([]);
    expect(breach!.id).toBe(submitted.lateBreachId);
    expect(breach!.occurredAt.toISOString()).toBe('2025-10-21T16:00:00.000Z');
    expect(breach!.evidence).toMatchObject({ reportId: report.id, dueDate: '2025-10-21', kind: 'MONTHLY' });
    expect(typeof breach!.evidence.submittedAt).toBe('string');
    expectError(await generate(m.sessions.engineer, { kind: 'MONTHLY', periodStart: '2025-09-01' }), 409, 'MAINTENANCE_REPORT_STATE_INVALID');
  });

  it('the authority returns it with a note; corrected and submitted again it is not late a second time; then accepted', async () => {
    expectError(await post(m.sessions.engineer, report.id, 'accept'), 403, 'FORBIDDEN');
    const returned = await post(m.sessions.manager, report.id, 'return', { note: '请补充故障分析' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'RETURNED', reviewNote: '请补充故障分析' });
    expect((await generate(m.sessions.engineer, { kind: 'MONTHLY', periodStart: '2025-09-01' })).json()).toMatchObject({ status: 'DRAFT' });
    expect((await post(m.sessions.engineer, report.id, 'submit')).statusCode).toBe(200);
    expect(await lateBreaches()).toHaveLength(1);
    const accepted = await post(m.sessions.manager, report.id, 'accept');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'ACCEPTED', late: true, mayReview: false });
    expectError(await post(m.sessions.manager, report.id, 'return', { note: 'x' }), 409, 'MAINTENANCE_REPORT_STATE_INVALID');
  });
});

describe('due dates and the sweep', () => {
  it('a due date on a holiday rolls to the next working day unless the contract says otherwise', async () => {
    // January 2026 is due on Saturday 21 February, inside the Spring Festival (15–23 February).
    const rolled = (await generate(m.sessions.engineer, { kind: 'MONTHLY', periodStart: '2026-01-01' })).json() as ReportBody;
    expect(rolled.dueDate).toBe('2026-02-24');
    const weekly = (await generate(m.sessions.engineer, { kind: 'WEEKLY', periodStart: '2025-09-29' })).json() as ReportBody;
    expect(weekly).toMatchObject({ periodEnd: '2025-10-05', dueDate: '2025-10-09' });
    const settings = await h().request('PUT', `/api/v1/maintenance/contracts/${m.contract.id}/report-settings`, { session: m.sessions.manager, body: { kinds: ['MONTHLY'], rollDueDates: false, requiredFrom: '2025-10-01' } });
    expect(settings.statusCode, settings.body).toBe(200);
    expect((await generate(m.sessions.engineer, { kind: 'MONTHLY', periodStart: '2026-01-01' })).json()).toMatchObject({ dueDate: '2026-02-21' });
    expectError(await h().request('PUT', `/api/v1/maintenance/contracts/${m.contract.id}/report-settings`, { session: m.sessions.engineer, body: { kinds: [], rollDueDates: true } }), 403, 'FORBIDDEN');
  });

  it('refuses a period that does not start a report period or lies outside the term', async () => {
    expectError(await generate(m.sessions.engineer, { kind: 'WEEKLY', periodStart: '2025-10-01' }), 400, 'MAINTENANCE_REPORT_PERIOD_INVALID');
    expectError(await generate(m.sessions.engineer, { kind: 'MONTHLY', periodStart: '2027-01-01' }), 409, 'MAINTENANCE_REPORT_OUTSIDE_TERM');
  });

  it('fails closed when the due date needs a calendar year not yet published', async () => {
    await h().request('PUT', `/api/v1/maintenance/contracts/${m.contract.id}/report-settings`, { session: m.sessions.manager, body: { kinds: ['MONTHLY'], rollDueDates: true, requiredFrom: '2025-10-01' } });
    // December 2026 is due on 21 January 2027.
    expectError(await generate(m.sessions.engineer, { kind: 'MONTHLY', periodStart: '2026-12-01' }), 409, 'CALENDAR_YEAR_UNPUBLISHED');
  });

  it('the scheduler drafts each required report once its period has ended and registers the ones not submitted by their due date, once', async () => {
    // 25 November 2025: October (due 21 November) is late, November still running.
    const tick = await maintenanceTick(h().ctx, new Date('2025-11-25T02:00:00Z'));
    expect(tick).toMatchObject({ reportDrafts: 1, lateReports: 1 });
    const [october] = await h().ctx.db.orm.select().from(maintenanceReports).where(and(eq(maintenanceReports.contractId, m.contract.id), eq(maintenanceReports.periodStart, '2025-10-01')));
    expect(october).toMatchObject({ kind: 'MONTHLY', status: 'DRAFT', dueDate: '2025-11-21' });
    const breaches = await lateBreaches();
    expect(breaches).toHaveLength(2);
    const swept = breaches.find((b) => b.id === october!.lateBreachId)!;
    expect(swept.evidence).toMatchObject({ reportId: october!.id, dueDate: '2025-11-21', submittedAt: null });
    expect(await maintenanceTick(h().ctx, new Date('2025-11-26T02:00:00Z'))).toMatchObject({ reportDrafts: 0, lateReports: 0 });
    // Submitting it now adds no second breach for it.
    const res = await post(m.sessions.engineer, october!.id, 'submit');
    expect(res.json()).toMatchObject({ status: 'SUBMITTED', late: true });
    expect(await lateBreaches()).toHaveLength(2);
  });
});
