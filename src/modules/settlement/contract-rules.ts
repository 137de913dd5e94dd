import { AppError } from '../../platform/errors/app-error.ts';
import { addDaysToDate, isValidDate } from '../calendar/zone.ts';
import { isValidRate, type Fen, type MilliFen, type Rate } from './money.ts';
import { penaltyRulesProblems, type PenaltyRule } from './penalties.ts';
import { throwIfProblems, type Problem } from './problems.ts';

/** What a settlement contract is made of, and the checks a contract must pass before anything is billed on it. */

export const SERVICE_KINDS = ['CARD_PRODUCTION', 'CARD_PURCHASE_PERSONALISATION', 'SMS', 'MAINTENANCE', 'SYSTEM_OM'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const BILLING_CYCLES = ['MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'MILESTONE'] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];

export const PRICE_UNITS = ['CARD', 'MESSAGE_SEGMENT', 'YEAR', 'MILESTONE'] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

/**
 * How an entry is priced. LESS_THAN_ITEM is seed 004's prefabricated card: the finished card of the
 * same lot minus the personalisation fee, so a change to the finished price moves both. SHARE_OF_TOTAL
 * is a milestone payment (seed 002: 50 % after signing, 50 % after acceptance); `dueOn` closes the
 * billing period it is paid in.
 */
export type Price =
  | { kind: 'PER_UNIT'; unitPrice: MilliFen; ceiling?: MilliFen }
  | { kind: 'LESS_THAN_ITEM'; item: string; less: MilliFen }
  | { kind: 'SHARE_OF_TOTAL'; share: Rate; dueOn: string };

export interface PriceEntry {
  /** The key usage evidence names: PERMIT_CARD, FINISHED_CARD, SMS_SEGMENT, SIGNING… */
  item: string;
  /** Seed 004 prices per lot (包组); null for contracts without lots. */
  lot: string | null;
  label: string;
  unit: PriceUnit | null;
  price: Price;
}

export type ContractValue = { kind: 'FIXED_TOTAL'; total: Fen } | { kind: 'CAP'; cap: Fen } | { kind: 'OPEN' };

export interface Term {
  start: string;
  end: string;
  /** Seed 000: one more year at a time, at most twice; only renewals taken extend the term. */
  renewal: { lengthMonths: number; max: number; taken: number } | null;
}

export interface Contract {
  id: string;
  contractNo: string;
  authorityOrgId: string;
  supplierOrgId: string;
  serviceKind: ServiceKind;
  term: Term;
  cycle: BillingCycle;
  value: ContractValue;
  /** Budget per lot (seed 004: 13,750,000 / 8,250,000 / 5,500,000 CNY), clamped like the total cap. */
  lotCaps: Record<string, Fen>;
  prices: PriceEntry[];
  penalties: PenaltyRule[];
}

export interface Period {
  index: number;
  start: string;
  end: string;
}

const CYCLE_MONTHS: Record<Exclude<BillingCycle, 'MILESTONE'>, number> = { MONTHLY: 1, QUARTERLY: 3, HALF_YEARLY: 6 };

function invalid(reason: string): Problem {
  return { code: 'SETTLEMENT_CONTRACT_INVALID', params: { reason } };
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month === 2) return leap ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `date` plus n calendar months, the day clamped to the month's end (01-31 + 1 month = 02-28). */
export function addMonths(date: string, n: number): string {
  if (!isValidDate(date)) throw new AppError('VALIDATION_FAILED', { params: { reason: `"${date}" is not a YYYY-MM-DD date` } });
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const monthIndex = y * 12 + (m - 1) + n;
  const month = (monthIndex % 12) + 1;
  const year = (monthIndex - (month - 1)) / 12;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The last day of the term, renewals taken included. */
export function termEnd(term: Term): string {
  if (!term.renewal || term.renewal.taken === 0) return term.end;
  return addDaysToDate(addMonths(addDaysToDate(term.end, 1), term.renewal.lengthMonths * term.renewal.taken), -1);
}

/**
 * The first days of the contract years that begin inside `period`: a fixed annual fee (unit YEAR) falls
 * due once per contract year, at its start, and the period holding that day bills it. Renewals taken
 * add their years; a year starting after the term has ended is not one.
 */
export function contractYearStarts(term: Term, period: { start: string; end: string }): string[] {
  const last = termEnd(term);
  const starts: string[] = [];
  for (let k = 0; ; k++) {
    const start = addMonths(term.start, 12 * k);
    if (start > last || start > period.end) return starts;
    if (start >= period.start) starts.push(start);
  }
}

/** The amount penalty rates are taken of: the fixed total, or the cap where the contract only has one. */
export function contractBase(contract: Contract): Fen | null {
  if (contract.value.kind === 'FIXED_TOTAL') return contract.value.total;
  if (contract.value.kind === 'CAP') return contract.value.cap;
  return null;
}

function milestoneDueDates(contract: Contract): string[] {
  return contract.prices.flatMap((p) => (p.price.kind === 'SHARE_OF_TOTAL' ? [p.price.dueOn] : []));
}

/**
 * Billing periods of the whole term. Cycles count from the term start, as the seeds do ("每三个月",
 * "每 6 个月结算一次"), not from calendar quarters; the last period stops at the term end. Milestone
 * contracts have one period per distinct due date, the last one's running on to the term end.
 */
export function billingPeriods(contract: Contract): Period[] {
  const last = termEnd(contract.term);
  const ends: string[] = [];
  if (contract.cycle === 'MILESTONE') {
    ends.push(...[...new Set(milestoneDueDates(contract))].filter((d) => d < last).sort(), last);
    // The last milestone's period runs to the term end: what happens after its due date is still settled.
    if (ends.length > 1 && !milestoneDueDates(contract).includes(last)) ends.splice(-2, 1);
  } else {
    const months = CYCLE_MONTHS[contract.cycle];
    for (let k = 1; ; k += 1) {
      const end = addDaysToDate(addMonths(contract.term.start, k * months), -1);
      if (end >= last) break;
      ends.push(end);
    }
    ends.push(last);
  }
  let start = contract.term.start;
  return ends.map((end, index) => {
    const period = { index, start, end };
    start = addDaysToDate(end, 1);
    return period;
  });
}

/** A statement period must be real dates inside the term (renewals taken included). */
export function periodProblems(contract: Contract, period: { start: string; end: string }): Problem[] {
  if (!isValidDate(period.start) || !isValidDate(period.end) || period.end < period.start) {
    return [invalid(`the period ${period.start} to ${period.end} is not a date range`)];
  }
  const end = termEnd(contract.term);
  if (period.start < contract.term.start || period.end > end) {
    return [{ code: 'SETTLEMENT_PERIOD_OUTSIDE_TERM', params: { start: period.start, end: period.end, termStart: contract.term.start, termEnd: end } }];
  }
  return [];
}

function termProblems(term: Term): Problem[] {
  if (!isValidDate(term.start) || !isValidDate(term.end)) return [invalid('the term needs real YYYY-MM-DD dates')];
  const problems: Problem[] = [];
  if (term.end < term.start) problems.push(invalid(`the term ends (${term.end}) before it starts (${term.start})`));
  const r = term.renewal;
  if (r && (!Number.isSafeInteger(r.lengthMonths) || r.lengthMonths < 1 || !Number.isSafeInteger(r.max) || r.max < 0 || !Number.isSafeInteger(r.taken) || r.taken < 0)) {
    problems.push(invalid('a renewal needs a length of at least one month and whole counts'));
  } else if (r && r.taken > r.max) {
    problems.push(invalid(`${r.taken} renewals taken but the contract allows ${r.max}`));
  }
  return problems;
}

function isFen(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function valueProblems(contract: Contract): Problem[] {
  const v = contract.value;
  const problems: Problem[] = [];
  if ((v.kind === 'FIXED_TOTAL' && !isFen(v.total)) || (v.kind === 'CAP' && !isFen(v.cap))) problems.push(invalid('the contract value must be a non-negative amount in fen'));
  const lots = new Set(contract.prices.map((p) => p.lot));
  for (const [lot, cap] of Object.entries(contract.lotCaps)) {
    if (!isFen(cap)) problems.push(invalid(`the budget of lot ${lot} must be a non-negative amount in fen`));
    if (!lots.has(lot)) problems.push(invalid(`lot ${lot} has a budget but no prices`));
  }
  return problems;
}

function entryName(p: PriceEntry): string {
  return p.lot === null ? p.item : `${p.item}（${p.lot}）`;
}

function priceProblems(contract: Contract): Problem[] {
  const problems: Problem[] = [];
  const byKey = new Map<string, PriceEntry>();
  for (const p of contract.prices) {
    const key = `${p.item}\u0000${p.lot ?? ''}`;
    if (byKey.has(key)) problems.push(invalid(`the price list has ${entryName(p)} twice`));
    byKey.set(key, p);
  }
  const shares: Rate[] = [];
  for (const p of contract.prices) {
    if (p.unit === null || !PRICE_UNITS.includes(p.unit)) problems.push({ code: 'SETTLEMENT_PRICE_UNIT_MISSING', params: { item: entryName(p) } });
    const price = p.price;
    if (price.kind === 'PER_UNIT') {
      if (!isFen(price.unitPrice)) problems.push(invalid(`the unit price of ${entryName(p)} must be a non-negative amount`));
      if (price.ceiling !== undefined && price.unitPrice > price.ceiling) problems.push(invalid(`the unit price of ${entryName(p)} is above its ceiling`));
    } else if (price.kind === 'LESS_THAN_ITEM') {
      const base = byKey.get(`${price.item}\u0000${p.lot ?? ''}`);
      if (!base || base.price.kind !== 'PER_UNIT') problems.push(invalid(`${entryName(p)} is priced from ${price.item}, which has no unit price in the same lot`));
      else if (!isFen(price.less) || price.less >= base.price.unitPrice) problems.push(invalid(`${entryName(p)} must cost more than nothing and less than ${price.item}`));
    } else {
      if (p.unit !== 'MILESTONE') problems.push(invalid(`${entryName(p)} is a share of the total, so its unit must be MILESTONE`));
      if (!isValidDate(price.dueOn) || price.dueOn < contract.term.start || price.dueOn > termEnd(contract.term)) problems.push(invalid(`the milestone ${entryName(p)} falls outside the term`));
      if (isValidRate(price.share)) shares.push(price.share);
      else problems.push({ code: 'SETTLEMENT_RATE_INVALID', params: { rate: `${price.share.num}/${price.share.den}` } });
    }
  }
  if (shares.length > 0) {
    if (contract.value.kind !== 'FIXED_TOTAL') problems.push(invalid('milestone shares need a fixed contract total'));
    const [num, den] = shares.reduce<[bigint, bigint]>(([n, d], r) => [n * BigInt(r.den) + BigInt(r.num) * d, d * BigInt(r.den)], [0n, 1n]);
    if (num !== den) problems.push(invalid('the milestone shares must add up to 100%'));
  }
  if (contract.cycle === 'MILESTONE' && shares.length === 0) problems.push(invalid('a milestone cycle needs milestone prices'));
  return problems;
}

/** Every problem of one contract on its own; an empty list means it can be billed on. */
export function contractProblems(contract: Contract): Problem[] {
  const problems: Problem[] = [];
  if (!SERVICE_KINDS.includes(contract.serviceKind)) problems.push(invalid(`unknown service kind ${String(contract.serviceKind)}`));
  if (!BILLING_CYCLES.includes(contract.cycle)) problems.push(invalid(`unknown billing cycle ${String(contract.cycle)}`));
  if (contract.authorityOrgId === contract.supplierOrgId) problems.push(invalid('the authority and the supplier must be different organisations'));
  const term = termProblems(contract.term);
  problems.push(...term, ...valueProblems(contract));
  if (term.length === 0) problems.push(...priceProblems(contract));
  problems.push(...penaltyRulesProblems(contract.penalties, contractBase(contract) !== null));
  return problems;
}

/**
 * Another contract of the same supplier for the same service whose term (renewals taken included)
 * shares a day with this one: the same card or message could then be billed twice.
 */
export function termOverlapProblems(contract: Contract, others: readonly Contract[]): Problem[] {
  const start = contract.term.start;
  const end = termEnd(contract.term);
  return others
    .filter((o) => o.id !== contract.id && o.supplierOrgId === contract.supplierOrgId && o.serviceKind === contract.serviceKind)
    .filter((o) => o.term.start <= end && termEnd(o.term) >= start)
    .map((o) => ({ code: 'SETTLEMENT_TERM_OVERLAP', params: { otherContract: o.contractNo, start: o.term.start, end: termEnd(o.term) } }));
}

export function assertValidContract(contract: Contract, others: readonly Contract[] = []): void {
  throwIfProblems([...contractProblems(contract), ...termOverlapProblems(contract, others)]);
}

/** The unit price of an entry in milli-fen, resolving seed 004's "finished minus personalisation fee". */
export function unitPriceOf(contract: Contract, entry: PriceEntry): MilliFen {
  const price = entry.price;
  if (price.kind === 'PER_UNIT') return price.unitPrice;
  if (price.kind === 'LESS_THAN_ITEM') {
    const base = findPrice(contract, price.item, entry.lot);
    if (!base || base.price.kind !== 'PER_UNIT') throw new AppError('SETTLEMENT_CONTRACT_INVALID', { params: { reason: `${price.item} has no unit price` } });
    return base.price.unitPrice - price.less;
  }
  throw new AppError('SETTLEMENT_CONTRACT_INVALID', { params: { reason: `${entry.item} is a milestone, not a unit price` } });
}

export function findPrice(contract: Contract, item: string, lot: string | null): PriceEntry | undefined {
  return contract.prices.find((p) => p.item === item && p.lot === lot);
}
