import { describe, expect, it } from 'vitest';
import { shanghaiInstant } from '../calendar/zone.ts';
import { billing, failureReport, monthlyStatement, parseMonth, parseQuarter, percent, percentile, type StatementMessage } from './statements-rules.ts';

const PRICE = 3500;
const ORG_A = 'a0000000-0000-4000-8000-000000000001';
const ORG_B = 'b0000000-0000-4000-8000-000000000002';
const T1 = 'c0000000-0000-4000-8000-000000000003';

interface Spec {
  org?: string;
  template?: string | null;
  phone?: string;
  text?: string;
  segments: number;
  status: StatementMessage['status'];
  /** Shanghai date and minute of day of creation. */
  at: [string, number];
  /** ms from submit to the final receipt; undefined = never submitted, null = submitted without receipt. */
  latency?: number | null;
  code?: string;
}

/** One outbox row; submitted one second after creation when it was accepted. */
function msg(s: Spec): StatementMessage {
  const createdAt = shanghaiInstant(s.at[0], s.at[1]);
  const submittedAt = s.latency === undefined ? null : new Date(createdAt.getTime() + 1000);
  const receiptAt = submittedAt && s.latency !== null && s.latency !== undefined ? new Date(submittedAt.getTime() + s.latency) : null;
  return {
    phoneIdx: s.phone ?? `idx-${s.at[1]}-${s.segments}`,
    text: s.text ?? `text ${s.at[1]}`,
    templateId: s.template === undefined ? T1 : s.template,
    senderOrgId: s.org ?? ORG_A,
    segments: s.segments,
    costMilliFen: s.segments * PRICE,
    status: s.status,
    failureCode: s.code ?? null,
    createdAt,
    submittedAt,
    deliveredAt: s.status === 'DELIVERED' ? receiptAt : null,
    finishedAt: ['DELIVERED', 'FAILED', 'EXPIRED', 'BLOCKED'].includes(s.status) ? (receiptAt ?? createdAt) : null,
  };
}

const D2 = '2026-03-02';
const D3 = '2026-03-03';
// Minutes of day: 600 = 10:00.
const MARCH: StatementMessage[] = [
  // Organisation A, template T1
  msg({ segments: 1, status: 'DELIVERED', at: [D2, 600], phone: 'p1', text: 'a', latency: 2000 }), // m1 billed
  msg({ segments: 2, status: 'DELIVERED', at: [D2, 601], latency: 4000 }), // m2 billed
  msg({ segments: 3, status: 'FAILED', at: [D2, 602], latency: 6000, code: 'UNDELIV' }), // m3 billed: failed after acceptance
  msg({ segments: 1, status: 'DELIVERED', at: [D2, 605], phone: 'p1', text: 'a', latency: 500 }), // m4 duplicate of m1 (5 min later)
  msg({ segments: 1, status: 'BLOCKED', at: [D2, 606], code: 'BLOCKLIST' }), // m5 never sent
  // Organisation A, no template
  msg({ template: null, segments: 2, status: 'SUBMITTED', at: [D2, 610], latency: null }), // m6 billed, no receipt yet
  msg({ template: null, segments: 1, status: 'EXPIRED', at: [D2, 611] }), // m7 expired before submit
  msg({ template: null, segments: 1, status: 'DELIVERED', at: [D2, 630], phone: 'p1', text: 'a', latency: 8000 }), // m8: 30 min after m1, not a duplicate
  // Organisation B, template T1
  msg({ org: ORG_B, segments: 3, status: 'FAILED', at: [D3, 600], latency: 10_000, code: 'MK:0001' }), // m9 billed, number at fault
  msg({ org: ORG_B, segments: 1, status: 'FAILED', at: [D3, 601], code: 'SMS_DESTINATION_INVALID' }), // m10 refused submit
  msg({ org: ORG_B, segments: 2, status: 'DELIVERED', at: [D3, 602], latency: 1000 }), // m11 billed
  msg({ org: ORG_B, segments: 1, status: 'HELD', at: [D3, 603] }), // m12 held for review
];

describe('monthly SMS statement (hand-checked March 2026, 3500 milli-fen per segment)', () => {
  const s = monthlyStatement('2026-03', parseMonth('2026-03', '2026-04-05'), MARCH);

  it('bills accepted, non-duplicate messages per segment and rounds each line to the fen once', () => {
    expect(s.lines).toEqual([
      // A/null: m6 (2 seg) + m8 (1 seg) = 3 seg × 3500 = 10,500 milli-fen = 10.5 fen → 11 fen; m7 not sent.
      { senderOrgId: ORG_A, templateId: null, messages: 3, billedMessages: 2, billedSegments: 3, duplicates: 0, notSent: 1, costMilliFen: 10_500, costFen: 11 },
      // A/T1: m1 + m2 + m3 = 1 + 2 + 3 = 6 seg × 3500 = 21,000 milli-fen = 21 fen; m4 duplicate; m5 blocked.
      { senderOrgId: ORG_A, templateId: T1, messages: 5, billedMessages: 3, billedSegments: 6, duplicates: 1, notSent: 1, costMilliFen: 21_000, costFen: 21 },
      // B/T1: m9 + m11 = 3 + 2 = 5 seg × 3500 = 17,500 milli-fen = 17.5 fen → 18 fen; m10 refused, m12 held.
      { senderOrgId: ORG_B, templateId: T1, messages: 4, billedMessages: 2, billedSegments: 5, duplicates: 0, notSent: 2, costMilliFen: 17_500, costFen: 18 },
    ]);
    // Total = 11 + 21 + 18 = 50 fen (the lines' sum, not 49,000 milli-fen rounded once = 49 fen).
    expect(s.totals).toEqual({ messages: 12, billedMessages: 7, billedSegments: 14, duplicates: 1, notSent: 4, costMilliFen: 49_000, costFen: 50 });
  });

  it('computes delivery rate without handset faults, latency percentiles and the due date', () => {
    // Billed: m1 D, m2 D, m3 F, m6 S, m8 D, m9 F (MK:0001, left out), m11 D → 4 delivered of 6 = 66.666…% → 66.67.
    expect(s.deliveryRate).toEqual({ delivered: 4, basis: 6, percent: '66.67' });
    // Billed with a receipt: 1000, 2000, 4000, 6000, 8000, 10000 (m4's 500 is a duplicate).
    // p50 = rank ⌈3⌉ = 4000; p95 = rank ⌈5.7⌉ = 6 → 10000; p99 = rank 6 → 10000.
    expect(s.latencyMs).toEqual({ p50: 4000, p95: 10_000, p99: 10_000 });
    expect({ from: s.from, to: s.to, readyOn: s.readyOn, dueBy: s.dueBy }).toEqual({ from: '2026-03-01', to: '2026-03-31', readyOn: '2026-04-01', dueBy: '2026-04-10' });
  });

  it('treats a chain of repeats within 10 minutes of the kept message as duplicates, and only accepted ones', () => {
    const chain = [
      msg({ segments: 1, status: 'DELIVERED', at: [D2, 0], phone: 'p', text: 'x', latency: 1 }),
      msg({ segments: 1, status: 'DELIVERED', at: [D2, 10], phone: 'p', text: 'x', latency: 1 }), // exactly 10 min: duplicate
      msg({ segments: 1, status: 'DELIVERED', at: [D2, 11], phone: 'p', text: 'x', latency: 1 }), // 11 min after the kept one: billed
      msg({ segments: 1, status: 'DELIVERED', at: [D2, 12], phone: 'p', text: 'y', latency: 1 }), // other text: billed
      msg({ segments: 1, status: 'BLOCKED', at: [D2, 13], phone: 'p', text: 'x' }), // never sent: not a duplicate
    ];
    expect(billing(chain)).toEqual([
      { billed: true, duplicate: false },
      { billed: false, duplicate: true },
      { billed: true, duplicate: false },
      { billed: true, duplicate: false },
      { billed: false, duplicate: false },
    ]);
  });
});

describe('quarterly failure report (hand-checked 2026-Q1)', () => {
  const rows = [
    ...MARCH,
    msg({ segments: 1, status: 'FAILED', at: ['2026-01-15', 600], latency: 3000, code: 'UNDELIV' }), // m13
    msg({ segments: 1, status: 'EXPIRED', at: ['2026-02-10', 600], latency: null }), // m14 expired after submit, no code
  ];
  const r = failureReport('2026-Q1', parseQuarter('2026-Q1', '2026-04-05'), rows);

  it('counts failures per reason and month with shares in two decimals', () => {
    // Failures: m3 UNDELIV, m7 EXPIRED, m9 MK:0001, m10 SMS_DESTINATION_INVALID (March), m13 UNDELIV (Jan), m14 EXPIRED (Feb) = 6.
    // 2/6 = 33.333…% → 33.33; 1/6 = 16.666…% → 16.67.
    expect(r.failures).toBe(6);
    expect(r.months).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(r.reasons).toEqual([
      { reason: 'EXPIRED', handsetFault: false, count: 2, share: '33.33', byMonth: [0, 1, 1] },
      { reason: 'UNDELIV', handsetFault: false, count: 2, share: '33.33', byMonth: [1, 0, 1] },
      { reason: 'MK:0001', handsetFault: true, count: 1, share: '16.67', byMonth: [0, 0, 1] },
      { reason: 'SMS_DESTINATION_INVALID', handsetFault: false, count: 1, share: '16.67', byMonth: [0, 0, 1] },
    ]);
  });

  it('gives the delivery rate of each day with billed messages', () => {
    expect(r.days).toEqual([
      { date: '2026-01-15', delivered: 0, basis: 1, percent: '0.00' },
      { date: '2026-02-10', delivered: 0, basis: 1, percent: '0.00' },
      // m1, m2, m8 delivered of m1, m2, m3, m6, m8 = 3/5.
      { date: D2, delivered: 3, basis: 5, percent: '60.00' },
      // m11 of m11 (m9 is a number fault).
      { date: D3, delivered: 1, basis: 1, percent: '100.00' },
    ]);
  });
});

describe('periods and integer arithmetic', () => {
  it('parses months and quarters and refuses malformed or future ones', () => {
    expect(parseMonth('2024-02', '2026-01-01')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(parseMonth('2026-01', '2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(parseQuarter('2025-Q4', '2026-01-01')).toEqual({ from: '2025-10-01', to: '2025-12-31', months: ['2025-10', '2025-11', '2025-12'] });
    expect(() => parseMonth('2026-13', '2026-12-31')).toThrow(expect.objectContaining({ code: 'SMS_STATEMENT_MONTH_INVALID' }));
    expect(() => parseMonth('2026-02', '2026-01-31')).toThrow(expect.objectContaining({ code: 'SMS_STATEMENT_PERIOD_FUTURE' }));
    expect(() => parseQuarter('2026-Q5', '2026-12-31')).toThrow(expect.objectContaining({ code: 'SMS_STATEMENT_QUARTER_INVALID' }));
    expect(() => parseQuarter('2026-Q2', '2026-03-31')).toThrow(expect.objectContaining({ code: 'SMS_STATEMENT_PERIOD_FUTURE' }));
  });

  it('rounds percentages half up and takes nearest-rank percentiles', () => {
    expect(percent(1, 8)).toBe('12.50');
    expect(percent(1, 3)).toBe('33.33');
    expect(percent(1, 200_000)).toBe('0.00');
    expect(percent(1, 20_000)).toBe('0.01');
    expect(percent(0, 0)).toBeNull();
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([], 50)).toBeNull();
  });
});
