import { AppError } from '../../platform/errors/app-error.ts';
import { addDaysToDate, shanghaiDate } from '../calendar/zone.ts';
import { milliFenToFen } from './pricing.ts';
import type { SmsStatus } from './states.ts';

/** The fields of one sms_messages row that statements and failure reports read. */
export interface StatementMessage {
  phoneIdx: string;
  text: string;
  templateId: string | null;
  senderOrgId: string;
  segments: number;
  costMilliFen: number;
  status: SmsStatus;
  failureCode: string | null;
  createdAt: Date;
  submittedAt: Date | null;
  deliveredAt: Date | null;
  finishedAt: Date | null;
}

/** Two messages to one number with the same text this close together are one message sent twice. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/**
 * Failure codes that blame the number or the handset, not the channel: the number does not exist
 * (CMPP MK:0001, 空号) or its owner blocked it at the operator (MBBLACK). These messages say nothing
 * about the provider's delivery, so they leave the delivery-rate denominator.
 */
export const HANDSET_FAULT_CODES: readonly string[] = ['MK:0001', 'MBBLACK'];

/** The day of the following month by which the monthly statement must reach the authority. */
export const STATEMENT_DUE_DAY = 10;

export interface Period {
  /** First and last Shanghai calendar day, both included. */
  from: string;
  to: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

const pad2 = (n: number) => String(n).padStart(2, '0');

function monthPeriod(year: number, month: number): Period {
  const from = `${year}-${pad2(month)}-01`;
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${pad2(month + 1)}-01`;
  return { from, to: addDaysToDate(next, -1) };
}

function notInFuture(period: Period, today: string, label: string): void {
  if (period.from > today) throw new AppError('SMS_STATEMENT_PERIOD_FUTURE', { params: { period: label } });
}

/** A YYYY-MM month that has begun by `today` (the running month is allowed: figures so far). */
export function parseMonth(month: string, today: string): Period {
  const m = MONTH.exec(month);
  if (!m) throw new AppError('SMS_STATEMENT_MONTH_INVALID', { params: { month } });
  const period = monthPeriod(Number(m[1]), Number(m[2]));
  notInFuture(period, today, month);
  return period;
}

/** A YYYY-Qn quarter that has begun by `today`, with its three months. */
export function parseQuarter(quarter: string, today: string): Period & { months: string[] } {
  const m = QUARTER.exec(quarter);
  if (!m) throw new AppError('SMS_STATEMENT_QUARTER_INVALID', { params: { quarter } });
  const year = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3 + 1;
  const months = [first, first + 1, first + 2];
  const period = { from: monthPeriod(year, first).from, to: monthPeriod(year, first + 2).to };
  notInFuture(period, today, quarter);
  return { ...period, months: months.map((n) => `${year}-${pad2(n)}`) };
}

/**
 * Percent with two decimals, computed in integers and rounded half up: 2 of 3 → "66.67".
 * Null when there is nothing to divide by.
 */
export function percent(part: number, whole: number): string | null {
  if (whole === 0) return null;
  const basisPoints = Math.floor((part * 20_000 + whole) / (2 * whole));
  return `${Math.floor(basisPoints / 100)}.${pad2(basisPoints % 100)}`;
}

/** Nearest-rank percentile (the value at rank ⌈p·n⌉), like PostgreSQL's percentile_disc. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1]!;
}

/** The SMSC took the message: it has a submit time, whatever happened afterwards. */
const accepted = (m: StatementMessage) => m.submittedAt !== null;

/**
 * Marks the content duplicates among accepted messages: after the first message of a number and
 * text, every further one within DUPLICATE_WINDOW_MS of the message it repeats (the last one kept)
 * is a duplicate. The idempotency key already stops the same key twice; this catches an outside
 * system that sends the same notice twice under two keys.
 */
export function duplicateFlags(rows: readonly StatementMessage[]): boolean[] {
  const flags = rows.map(() => false);
  const lastKept = new Map<string, number>();
  const order = rows
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => accepted(m))
    .sort((a, b) => a.m.createdAt.getTime() - b.m.createdAt.getTime() || a.i - b.i);
  for (const { m, i } of order) {
    const key = `${m.phoneIdx}\u0000${m.text}`;
    const kept = lastKept.get(key);
    if (kept !== undefined && m.createdAt.getTime() - kept <= DUPLICATE_WINDOW_MS) flags[i] = true;
    else lastKept.set(key, m.createdAt.getTime());
  }
  return flags;
}

/**
 * The billing rule: a message is billed, per segment at the cost it was priced at, when the SMSC
 * accepted it (SUBMITTED, DELIVERED, or FAILED/EXPIRED after acceptance) and it is not a content
 * duplicate. Never billed: QUEUED, HELD, BLOCKED, expired before submit, refused submits.
 */
export interface Billing {
  billed: boolean;
  duplicate: boolean;
}

export function billing(rows: readonly StatementMessage[]): Billing[] {
  const dup = duplicateFlags(rows);
  return rows.map((m, i) => ({ duplicate: dup[i]!, billed: accepted(m) && !dup[i] }));
}

const failureReason = (m: StatementMessage) => m.failureCode ?? m.status;

export interface DeliveryRate {
  delivered: number;
  /** Billed messages less those that failed for a handset or number fault. */
  basis: number;
  percent: string | null;
}

function deliveryRate(rows: readonly StatementMessage[], bills: readonly Billing[]): DeliveryRate {
  let delivered = 0;
  let basis = 0;
  rows.forEach((m, i) => {
    if (!bills[i]!.billed) return;
    if (m.status === 'FAILED' && HANDSET_FAULT_CODES.includes(failureReason(m))) return;
    basis++;
    if (m.status === 'DELIVERED') delivered++;
  });
  return { delivered, basis, percent: percent(delivered, basis) };
}

/** Submit → final receipt in ms of the billed messages that have one (delivered or failed by receipt). */
function latencies(rows: readonly StatementMessage[], bills: readonly Billing[]): number[] {
  const out: number[] = [];
  rows.forEach((m, i) => {
    const receiptAt = m.deliveredAt ?? (m.status === 'FAILED' ? m.finishedAt : null);
    if (bills[i]!.billed && m.submittedAt && receiptAt) out.push(receiptAt.getTime() - m.submittedAt.getTime());
  });
  return out.sort((a, b) => a - b);
}

export interface StatementLine {
  senderOrgId: string;
  templateId: string | null;
  messages: number;
  billedMessages: number;
  billedSegments: number;
  duplicates: number;
  /** Messages the SMSC never took: queued, held, blocked, expired unsent, refused. */
  notSent: number;
  costMilliFen: number;
  /** costMilliFen rounded half up to the fen, once for the line. */
  costFen: number;
}

export interface MonthlyStatement {
  month: string;
  from: string;
  to: string;
  /** The statement can be drawn up once the month is over, and must reach the authority by the 10th. */
  readyOn: string;
  dueBy: string;
  lines: StatementLine[];
  totals: Omit<StatementLine, 'senderOrgId' | 'templateId'>;
  deliveryRate: DeliveryRate;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
}

function emptyTotals(): MonthlyStatement['totals'] {
  return { messages: 0, billedMessages: 0, billedSegments: 0, duplicates: 0, notSent: 0, costMilliFen: 0, costFen: 0 };
}

function addTo(t: MonthlyStatement['totals'], m: StatementMessage, b: Billing): void {
  t.messages++;
  if (b.duplicate) t.duplicates++;
  else if (!accepted(m)) t.notSent++;
  if (!b.billed) return;
  t.billedMessages++;
  t.billedSegments += m.segments;
  t.costMilliFen += m.costMilliFen;
}

/**
 * The monthly usage statement: one line per sending organisation and template, each priced by
 * summing its messages' milli-fen and rounding to fen once; the total is the sum of the lines, so
 * the printed lines add up to the printed total.
 */
export function monthlyStatement(month: string, period: Period, rows: readonly StatementMessage[]): MonthlyStatement {
  const bills = billing(rows);
  const lines = new Map<string, StatementLine>();
  rows.forEach((m, i) => {
    const key = `${m.senderOrgId}/${m.templateId ?? ''}`;
    let line = lines.get(key);
    if (!line) {
      line = { senderOrgId: m.senderOrgId, templateId: m.templateId, ...emptyTotals() };
      lines.set(key, line);
    }
    addTo(line, m, bills[i]!);
  });
  const sorted = [...lines.values()].sort((a, b) => a.senderOrgId.localeCompare(b.senderOrgId) || (a.templateId ?? '').localeCompare(b.templateId ?? ''));
  const totals = emptyTotals();
  for (const line of sorted) {
    line.costFen = milliFenToFen(line.costMilliFen);
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += line[k];
  }
  const readyOn = addDaysToDate(period.to, 1);
  const lat = latencies(rows, bills);
  return {
    month,
    ...period,
    readyOn,
    dueBy: addDaysToDate(readyOn, STATEMENT_DUE_DAY - 1),
    lines: sorted,
    totals,
    deliveryRate: deliveryRate(rows, bills),
    latencyMs: { p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99) },
  };
}

export interface FailureLine {
  reason: string;
  handsetFault: boolean;
  count: number;
  share: string;
  /** Count per month of the quarter, in order. */
  byMonth: number[];
}

export interface FailureReport {
  quarter: string;
  from: string;
  to: string;
  months: string[];
  failures: number;
  reasons: FailureLine[];
  /** Days with billed messages, with that day's delivery rate. */
  days: Array<{ date: string } & DeliveryRate>;
}

/**
 * The quarterly failure report: every FAILED or EXPIRED message by reason (receipt stat or error
 * code, submit refusal code, or the status when no code was recorded), its share of all failures and
 * its count per month; then the delivery rate of each day by the statement's rule.
 */
export function failureReport(quarter: string, period: Period & { months: string[] }, rows: readonly StatementMessage[]): FailureReport {
  const failed = rows.filter((m) => m.status === 'FAILED' || m.status === 'EXPIRED');
  const byReason = new Map<string, number[]>();
  for (const m of failed) {
    const reason = failureReason(m);
    const counts = byReason.get(reason) ?? period.months.map(() => 0);
    counts[period.months.indexOf(shanghaiDate(m.createdAt).slice(0, 7))]! += 1;
    byReason.set(reason, counts);
  }
  const reasons = [...byReason.entries()]
    .map(([reason, byMonth]) => {
      const count = byMonth.reduce((a, b) => a + b, 0);
      return { reason, handsetFault: HANDSET_FAULT_CODES.includes(reason), count, share: percent(count, failed.length)!, byMonth };
    })
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));

  const bills = billing(rows);
  const perDay = new Map<string, { rows: StatementMessage[]; bills: Billing[] }>();
  rows.forEach((m, i) => {
    if (!bills[i]!.billed) return;
    const date = shanghaiDate(m.createdAt);
    const day = perDay.get(date) ?? { rows: [], bills: [] };
    day.rows.push(m);
    day.bills.push(bills[i]!);
    perDay.set(date, day);
  });
  const days = [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, d]) => ({ date, ...deliveryRate(d.rows, d.bills) }));
  return { quarter, ...period, failures: failed.length, reasons, days };
}
