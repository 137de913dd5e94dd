import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { buildCalendar } from '../calendar/rules.ts';
import { officialDaysFromChineseDays } from '../calendar/seed-data.ts';
import type { ClockView, TicketClocks } from './sla.ts';
import {
  dueDate,
  dueInstant,
  endedPeriods,
  isLate,
  lateReportClock,
  nextReportStatus,
  nominalDueDate,
  percentile,
  periodContaining,
  periodStartingOn,
  reportContent,
  type ReportInput,
} from './reports-rules.ts';

const official = officialDaysFromChineseDays();
const cal = buildCalendar(official.days, official.years);
const term = { termStart: '2025-01-01', termEnd: '2026-12-31' };

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return null;
};

describe('report periods', () => {
  it('weeks run Monday to Sunday, clipped to the term', () => {
    expect(periodContaining('WEEKLY', term, '2025-10-01')).toEqual({ start: '2025-09-29', end: '2025-10-05' });
    // 2025-01-01 is a Wednesday: the first week of the term starts with the term.
    expect(periodContaining('WEEKLY', term, '2025-01-02')).toEqual({ start: '2025-01-01', end: '2025-01-05' });
    expect(periodContaining('WEEKLY', term, '2026-12-31')).toEqual({ start: '2026-12-28', end: '2026-12-31' });
  });

  it('months are calendar months, contract years run from the anniversaries of the term start', () => {
    expect(periodContaining('MONTHLY', term, '2026-02-10')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    const beijing = { termStart: '2026-03-15', termEnd: '2027-03-14' };
    expect(periodContaining('ANNUAL', beijing, '2026-12-01')).toEqual({ start: '2026-03-15', end: '2027-03-14' });
    expect(periodContaining('ANNUAL', term, '2026-06-30')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
  });

  it('a period is named by its first day; another day or a day outside the term is refused', () => {
    expect(periodStartingOn('MONTHLY', term, '2025-09-01')).toEqual({ start: '2025-09-01', end: '2025-09-30' });
    expect(codeOf(() => periodStartingOn('MONTHLY', term, '2025-09-02'))).toBe('MAINTENANCE_REPORT_PERIOD_INVALID');
    expect(codeOf(() => periodStartingOn('WEEKLY', term, '2025-10-01'))).toBe('MAINTENANCE_REPORT_PERIOD_INVALID');
    expect(codeOf(() => periodStartingOn('MONTHLY', term, '2027-01-01'))).toBe('MAINTENANCE_REPORT_OUTSIDE_TERM');
    expect(codeOf(() => periodStartingOn('MONTHLY', term, '2025-02-30'))).toBe('MAINTENANCE_REPORT_PERIOD_INVALID');
  });

  it('lists the periods that have ended since a day, none before it, none still running', () => {
    expect(endedPeriods('MONTHLY', term, '2025-08-15', '2025-11-01').map((p) => p.start)).toEqual(['2025-09-01', '2025-10-01']);
    expect(endedPeriods('WEEKLY', term, '2025-10-06', '2025-10-20').map((p) => p.start)).toEqual(['2025-10-06', '2025-10-13']);
    expect(endedPeriods('ANNUAL', term, '2025-01-01', '2027-01-20').map((p) => p.end)).toEqual(['2025-12-31', '2026-12-31']);
    expect(endedPeriods('MONTHLY', term, '2027-01-01', '2027-06-01')).toEqual([]);
  });
});

describe('due dates (seed 001: the Tuesday after the week, the 21st of the next month; seed 002: 15 days after the year)', () => {
  it('computes the nominal dates', () => {
    expect(nominalDueDate('WEEKLY', { start: '2025-10-13', end: '2025-10-19' })).toBe('2025-10-21');
    expect(nominalDueDate('WEEKLY', { start: '2026-12-28', end: '2026-12-31' })).toBe('2027-01-05');
    expect(nominalDueDate('MONTHLY', { start: '2025-12-01', end: '2025-12-31' })).toBe('2026-01-21');
    expect(nominalDueDate('ANNUAL', { start: '2026-01-01', end: '2026-12-31' })).toBe('2027-01-15');
  });

  it('rolls a due date inside a holiday to the next working day', () => {
    // Tue 2025-10-07 is inside the National Day holiday (10-01..10-08).
    expect(dueDate(cal, 'WEEKLY', { start: '2025-09-29', end: '2025-10-05' }, true)).toBe('2025-10-09');
    // Tue 2026-02-17 and Sat 2026-02-21 are inside the Spring Festival (02-15..02-23).
    expect(dueDate(cal, 'WEEKLY', { start: '2026-02-09', end: '2026-02-15' }, true)).toBe('2026-02-24');
    expect(dueDate(cal, 'MONTHLY', { start: '2026-01-01', end: '2026-01-31' }, true)).toBe('2026-02-24');
    // Tue 2026-10-06 is inside the 2026 National Day holiday (10-01..10-07).
    expect(dueDate(cal, 'WEEKLY', { start: '2026-09-28', end: '2026-10-04' }, true)).toBe('2026-10-08');
    // A working day stays; a contract that does not roll keeps the nominal date.
    expect(dueDate(cal, 'MONTHLY', { start: '2025-09-01', end: '2025-09-30' }, true)).toBe('2025-10-21');
    expect(dueDate(cal, 'MONTHLY', { start: '2026-01-01', end: '2026-01-31' }, false)).toBe('2026-02-21');
  });

  it('fails closed when rolling needs a year with no published calendar', () => {
    expect(codeOf(() => dueDate(cal, 'WEEKLY', { start: '2026-12-28', end: '2026-12-31' }, true))).toBe('CALENDAR_YEAR_UNPUBLISHED');
    expect(dueDate(cal, 'WEEKLY', { start: '2026-12-28', end: '2026-12-31' }, false)).toBe('2027-01-05');
  });

  it('a report is in time through the last minute of its due date in Shanghai', () => {
    expect(dueInstant('2025-10-21').toISOString()).toBe('2025-10-21T16:00:00.000Z');
    expect(isLate('2025-10-21', new Date('2025-10-21T15:59:59Z'))).toBe(false);
    expect(isLate('2025-10-21', new Date('2025-10-21T16:00:00Z'))).toBe(true);
  });

  it('measures a late report from the end of the period', () => {
    const clock = lateReportClock({ start: '2025-09-01', end: '2025-09-30' }, '2025-10-21', new Date('2025-10-22T02:00:00Z'));
    expect(clock.occurredAt.toISOString()).toBe('2025-10-21T16:00:00.000Z');
    expect(clock.allowedMinutes).toBe(21 * 24 * 60);
    expect(clock.usedMinutes).toBe(21 * 24 * 60 + 10 * 60);
  });
});

describe('the report state machine', () => {
  it('drafts are submitted, then accepted or returned; a returned report is corrected and submitted again', () => {
    expect(nextReportStatus('DRAFT', 'SUBMIT')).toBe('SUBMITTED');
    expect(nextReportStatus('SUBMITTED', 'ACCEPT')).toBe('ACCEPTED');
    expect(nextReportStatus('SUBMITTED', 'RETURN')).toBe('RETURNED');
    expect(nextReportStatus('RETURNED', 'GENERATE')).toBe('DRAFT');
    expect(nextReportStatus('RETURNED', 'SUBMIT')).toBe('SUBMITTED');
    expect(codeOf(() => nextReportStatus('SUBMITTED', 'GENERATE'))).toBe('MAINTENANCE_REPORT_STATE_INVALID');
    expect(codeOf(() => nextReportStatus('ACCEPTED', 'RETURN'))).toBe('MAINTENANCE_REPORT_STATE_INVALID');
    expect(codeOf(() => nextReportStatus('DRAFT', 'ACCEPT'))).toBe('MAINTENANCE_REPORT_STATE_INVALID');
  });
});

function clock(used: number, allowed: number, stopped: boolean): ClockView {
  return {
    kind: 'RESPONSE',
    allowedMinutes: allowed,
    usedMinutes: used,
    leftMinutes: allowed - used,
    percent: Math.floor((used * 100) / allowed),
    deadline: null,
    stoppedAt: stopped ? new Date('2025-09-10T02:00:00Z') : null,
    paused: false,
    breached: used > allowed,
    state: used > allowed ? 'BREACHED' : stopped ? 'MET' : 'RUNNING',
    deadlineError: null,
  };
}

describe('the report content', () => {
  const at = (s: string) => new Date(s);
  const input: ReportInput = {
    period: { start: '2025-09-01', end: '2025-09-30' },
    asOf: at('2025-09-30T16:00:00Z'),
    outlets: 3,
    visits: [
      { month: '2025-09', kind: 'PREVENTIVE', signedAt: at('2025-09-10T03:00:00Z') },
      { month: '2025-09', kind: 'PREVENTIVE', signedAt: at('2025-09-30T15:59:00Z') },
      // Signed after the month ended: late, so the outlet counts as missed.
      { month: '2025-09', kind: 'PREVENTIVE', signedAt: at('2025-10-02T03:00:00Z') },
      { month: '2025-09', kind: 'PHOTO_AT_HOME', signedAt: at('2025-09-12T03:00:00Z') },
    ],
    tickets: [
      { category: '读卡机故障', assetType: 'CARD_READER', clocks: { response: clock(30.5, 120, true), fix: null } satisfies TicketClocks, resolved: true },
      { category: '读卡机故障', assetType: 'CARD_READER', clocks: { response: clock(200, 120, true), fix: null }, resolved: true },
      { category: '网络故障', assetType: null, clocks: { response: clock(60, 120, true), fix: null }, resolved: false },
      { category: '打印机卡纸', assetType: 'CARD_PRINTER', clocks: { response: clock(10, 180, false), fix: null }, resolved: false },
      { category: '网络故障', assetType: null, clocks: null, resolved: false },
    ],
    breaches: [{ kind: 'LATE_RESPONSE' }, { kind: 'MISSED_VISIT' }],
    breachesInTerm: 4,
    terminationThreshold: 5,
    assets: [
      { status: 'IN_SERVICE', count: 40 },
      { status: 'FAULTY', count: 2 },
    ],
  };

  it('counts visits signed in the period and the outlets left without a signed visit in the month', () => {
    const c = reportContent(input);
    expect(c.visits).toEqual({ preventiveSigned: 2, photoSigned: 1, months: [{ month: '2025-09', outlets: 3, signed: 2, missing: 1 }] });
  });

  it('shows a month still running with the outlets not visited so far', () => {
    const early = reportContent({ ...input, asOf: at('2025-09-20T00:00:00Z'), visits: input.visits.slice(0, 1) });
    expect(early.visits.months).toEqual([{ month: '2025-09', outlets: 3, signed: 1, missing: 2 }]);
  });

  it('shows no month that ends outside the period', () => {
    expect(reportContent({ ...input, period: { start: '2025-09-01', end: '2025-09-07' } }).visits.months).toEqual([]);
  });

  it('counts tickets by category and equipment, response times met and missed with percentiles', () => {
    const c = reportContent(input);
    expect(c.tickets.opened).toBe(5);
    expect(c.tickets.resolved).toBe(2);
    expect(c.tickets.byCategory).toEqual([
      // Equal counts in pinyin order (du < wang).
      { category: '读卡机故障', count: 2 },
      { category: '网络故障', count: 2 },
      { category: '打印机卡纸', count: 1 },
    ]);
    expect(c.tickets.byAssetType).toEqual([
      { type: 'CARD_READER', count: 2 },
      { type: 'CARD_PRINTER', count: 1 },
    ]);
    // Stopped clocks used 30, 60 and 200 minutes: the median is 60, the 90th percentile 200.
    expect(c.tickets.response).toEqual({ met: 2, missed: 1, running: 1, p50Minutes: 60, p90Minutes: 200 });
    expect(c.tickets.fix).toBeNull();
    expect(c.tickets.clocksUnknown).toBe(1);
  });

  it('counts breaches by kind and the term against the termination threshold', () => {
    const c = reportContent(input);
    expect(c.breaches).toEqual({ byKind: { LATE_RESPONSE: 1, LATE_FIX: 0, MISSED_VISIT: 1, LATE_REPORT: 0 }, total: 2, inTerm: 4, terminationThreshold: 5, standing: 'APPROACHING' });
    expect(c.assets).toEqual({ total: 42, byStatus: { IN_SERVICE: 40, FAULTY: 2 } });
    expect(c.spareShortfalls).toBeUndefined();
    expect(reportContent({ ...input, spareShortfalls: [{ type: 'DESKTOP_PC', required: 4, inStock: 1, shortfall: 3 }] }).spareShortfalls).toHaveLength(1);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });
});
