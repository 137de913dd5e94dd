import { assertValidContract, contractBase, findPrice, periodProblems, unitPriceOf, type Contract, type PriceEntry, type PriceUnit } from './contract-rules.ts';
import { checkEvidence, evidenceInvalid, requireCount, type PenaltyEvidence, type UsageEvidence } from './evidence.ts';
import { allocateByRates, formatRate, formatUnitPrice, formatYuan, lineAmount, sumFen, toSafe, type Fen, type MilliFen } from './money.ts';
import { checkEvidenceHasRule, evaluatePenalty, type PenaltyResult } from './penalties.ts';
import { throwIfProblems } from './problems.ts';

/**
 * A statement of one contract and period, computed from recorded evidence only.
 *
 * What counts (issue 6 §3): a card accepted at the outlet, or wasted because of the authority's data
 * (seed 000 §5.2, seed 004 "非因采购人…原始生产数据有误而产生的废卡由中标人负责"), never a card the producer
 * wasted; the billed segments of a message, never of a resend (seed 003 §5.8); a milestone once.
 * Caps clamp what the period bills to what remains of each lot's budget and of the contract total.
 * Deductions are then taken of what the period bills; the net may go below zero, which means the
 * supplier owes the difference (it is shown, not hidden).
 */

export interface StatementInput {
  contract: Contract;
  period: { start: string; end: string };
  usage: readonly UsageEvidence[];
  penaltyEvidence: readonly PenaltyEvidence[];
  /** What earlier statements billed (after their caps), in total and per lot. */
  billedToDate: { total: Fen; byLot: Record<string, Fen> };
  /** What earlier statements charged under each penalty rule, by rule id. */
  penaltiesToDate: Record<string, Fen>;
  /** Breaches registered before this period. */
  priorBreaches: number;
}

export interface StatementLine {
  item: string;
  lot: string | null;
  label: string;
  unit: PriceUnit;
  count: number;
  unitPrice: MilliFen;
  amount: Fen;
  evidenceIds: string[];
  formula: string;
}

export interface ExcludedUsage {
  evidenceId: string;
  reason: 'PRODUCER_WASTE' | 'DUPLICATE_MESSAGE';
}

export interface CapCheck {
  /** 'CONTRACT', or the lot whose budget it is. */
  scope: string;
  limit: Fen;
  billedBefore: Fen;
  requested: Fen;
  allowed: Fen;
}

export interface Statement {
  contractId: string;
  period: { start: string; end: string };
  lines: StatementLine[];
  excluded: ExcludedUsage[];
  /** Sum of the lines. */
  gross: Fen;
  caps: CapCheck[];
  /** Gross after the caps: what the period bills, and the base of period-amount deductions. */
  billable: Fen;
  penalties: PenaltyResult[];
  deductions: Fen;
  additions: Fen;
  netPayable: Fen;
}

/** Cards and messages are counted one by one, so the waste and resend exclusions can be shown; a bare quantity is only for years of service. */
const UNIT_OF_KIND: Record<UsageEvidence['kind'], readonly PriceUnit[]> = {
  CARD: ['CARD'],
  SMS: ['MESSAGE_SEGMENT'],
  MILESTONE: ['MILESTONE'],
  QUANTITY: ['YEAR'],
};

interface Tally {
  entry: PriceEntry;
  unit: PriceUnit;
  count: number;
  evidenceIds: string[];
}

function priceFor(contract: Contract, e: UsageEvidence): { entry: PriceEntry; unit: PriceUnit } {
  const lot = e.kind === 'CARD' || e.kind === 'QUANTITY' ? e.lot : null;
  const entry = findPrice(contract, e.item, lot);
  const unit = entry?.unit;
  if (!entry || !unit || !UNIT_OF_KIND[e.kind].includes(unit)) {
    throw evidenceInvalid(e.id, `the price list has no ${e.kind} item ${e.item}${lot === null ? '' : ` in lot ${lot}`}`);
  }
  return { entry, unit };
}

/** How many units one piece of evidence adds, or why it adds none. */
function unitsOf(e: UsageEvidence, acceptedCards: Set<string>): number | ExcludedUsage['reason'] {
  switch (e.kind) {
    case 'CARD':
      if (e.outcome === 'WASTED') {
        if (e.wasteCause === null) throw evidenceInvalid(e.id, 'a wasted card needs its cause');
        return e.wasteCause === 'PRODUCER' ? 'PRODUCER_WASTE' : 1;
      }
      if (e.cardNo === null) throw evidenceInvalid(e.id, 'an accepted card needs its card number');
      if (acceptedCards.has(e.cardNo)) throw evidenceInvalid(e.id, `card ${e.cardNo} is accepted twice`);
      acceptedCards.add(e.cardNo);
      return 1;
    case 'SMS':
      if (requireCount(e.id, 'segments', e.segments) === 0) throw evidenceInvalid(e.id, 'a message has at least one segment');
      return e.duplicateOf === null ? e.segments : 'DUPLICATE_MESSAGE';
    case 'MILESTONE':
      return 1;
    case 'QUANTITY':
      return requireCount(e.id, 'quantity', e.quantity);
  }
}

function tally(contract: Contract, usage: readonly UsageEvidence[]): { tallies: Tally[]; excluded: ExcludedUsage[] } {
  const byEntry = new Map<PriceEntry, Tally>();
  const excluded: ExcludedUsage[] = [];
  const acceptedCards = new Set<string>();
  for (const e of usage) {
    const { entry, unit } = priceFor(contract, e);
    const units = unitsOf(e, acceptedCards);
    if (typeof units === 'string') {
      excluded.push({ evidenceId: e.id, reason: units });
      continue;
    }
    const t = byEntry.get(entry) ?? { entry, unit, count: 0, evidenceIds: [] };
    if (unit === 'MILESTONE' && t.count > 0) throw evidenceInvalid(e.id, `milestone ${e.item} is reached once`);
    t.count = toSafe(BigInt(t.count) + BigInt(units), 'the count');
    t.evidenceIds.push(e.id);
    byEntry.set(entry, t);
  }
  const order = new Map(contract.prices.map((p, i) => [p, i]));
  return { tallies: [...byEntry.values()].sort((a, b) => (order.get(a.entry) ?? 0) - (order.get(b.entry) ?? 0)), excluded };
}

/** Each milestone's share of the fixed total, split so the shares add up to the total to the fen. */
function milestoneAmounts(contract: Contract): Map<PriceEntry, Fen> {
  const milestones = contract.prices.flatMap((entry) => (entry.price.kind === 'SHARE_OF_TOTAL' ? [{ entry, share: entry.price.share }] : []));
  if (milestones.length === 0) return new Map();
  const amounts = allocateByRates(contractBase(contract) ?? 0, milestones.map((m) => m.share));
  return new Map(milestones.map((m, i) => [m.entry, amounts[i] ?? 0]));
}

function line(contract: Contract, t: Tally, milestones: Map<PriceEntry, Fen>): StatementLine {
  const { entry, unit, count, evidenceIds } = t;
  const base = { item: entry.item, lot: entry.lot, label: entry.label, unit, count, evidenceIds };
  if (entry.price.kind === 'SHARE_OF_TOTAL') {
    const amount = milestones.get(entry) ?? 0;
    return { ...base, unitPrice: toSafe(BigInt(amount) * 1000n, 'the milestone amount'), amount, formula: `${formatYuan(contractBase(contract) ?? 0)} × ${formatRate(entry.price.share)} = ${formatYuan(amount)}` };
  }
  const unitPrice = unitPriceOf(contract, entry);
  const amount = lineAmount(count, unitPrice);
  return { ...base, unitPrice, amount, formula: `${count} × ${formatUnitPrice(unitPrice)} = ${formatYuan(amount)}` };
}

function clamp(scope: string, limit: Fen, billedBefore: Fen, requested: Fen): CapCheck {
  return { scope, limit, billedBefore, requested, allowed: Math.min(requested, Math.max(0, limit - billedBefore)) };
}

/** Lot budgets first, then the contract total (a cap, or the fixed total that can never be exceeded). */
function applyCaps(contract: Contract, lines: readonly StatementLine[], billedToDate: StatementInput['billedToDate']): { caps: CapCheck[]; billable: Fen } {
  const caps: CapCheck[] = [];
  const perLot = [...new Set(lines.map((l) => l.lot))].map((lot) => {
    const requested = sumFen(lines.filter((l) => l.lot === lot).map((l) => l.amount));
    const limit = lot === null ? undefined : contract.lotCaps[lot];
    if (lot === null || limit === undefined) return requested;
    const check = clamp(lot, limit, billedToDate.byLot[lot] ?? 0, requested);
    caps.push(check);
    return check.allowed;
  });
  const afterLots = sumFen(perLot);
  const total = contractBase(contract);
  if (total === null) return { caps, billable: afterLots };
  const check = clamp('CONTRACT', total, billedToDate.total, afterLots);
  return { caps: [...caps, check], billable: check.allowed };
}

/** The statement of one period; refuses an invalid contract, a period outside its term and foreign evidence. */
export function buildStatement(input: StatementInput): Statement {
  const { contract, period } = input;
  assertValidContract(contract);
  throwIfProblems(periodProblems(contract, period));
  checkEvidence(contract.id, period, input.usage);
  checkEvidence(contract.id, period, input.penaltyEvidence);
  checkEvidenceHasRule(contract.penalties, input.penaltyEvidence);

  const { tallies, excluded } = tally(contract, input.usage);
  const milestones = milestoneAmounts(contract);
  const lines = tallies.map((t) => line(contract, t, milestones));
  const gross = sumFen(lines.map((l) => l.amount));
  const { caps, billable } = applyCaps(contract, lines, input.billedToDate);

  const penalties = contract.penalties.map((rule) =>
    evaluatePenalty(rule, input.penaltyEvidence, {
      contractBase: contractBase(contract),
      periodAmount: billable,
      priorCharged: input.penaltiesToDate[rule.id] ?? 0,
      priorBreaches: input.priorBreaches,
    }),
  );
  const deductions = sumFen(penalties.filter((p) => p.effect === 'DEDUCTION').map((p) => p.amount));
  const additions = sumFen(penalties.filter((p) => p.effect === 'ADDITION').map((p) => p.amount));
  return { contractId: contract.id, period, lines, excluded, gross, caps, billable, penalties, deductions, additions, netPayable: billable - deductions + additions };
}
