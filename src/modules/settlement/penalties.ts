import { AppError } from '../../platform/errors/app-error.ts';
import { isValidDate, shanghaiInstant } from '../calendar/zone.ts';
import {
  evidenceInvalid,
  requireCount,
  type BreachEvidence,
  type FaultOvertimeEvidence,
  type LateBatchEvidence,
  type PenaltyEvidence,
  type RepairEvidence,
  type SmsDeliveryEvidence,
  type TerminationEvidence,
  type UsageListEvidence,
} from './evidence.ts';
import type { Problem } from './problems.ts';
import { applyRate, compareRates, formatRate, formatYuan, isValidRate, ratioBelow, sumFen, type Fen, type Rate } from './money.ts';

/**
 * Penalty rules as data, one variant per clause in the seeds, each with an evaluator that answers the
 * amount and the evidence and numbers behind it.
 *
 * - LATE_DELIVERY_PER_DAY (seed 000 §9.2): each day a batch is late costs `perDay` of the contract
 *   total; everything charged under the rule over the whole contract stays within `cap` of it.
 * - PER_BREACH (seed 001 §7): each breach costs `perBreach` of the contract value; from the
 *   `terminationAfter`-th breach the authority may terminate, and then `onTermination` more is due.
 * - DELIVERY_RATE_BELOW (seed 003 §6(3)): delivery below `threshold` for the provider's own reasons
 *   deducts `deduction` of the period amount, once per period.
 * - LATE_STATEMENT_PER_DAY (seed 003 §5.7): the usage list of a month is due on `dueDay` of the next
 *   month; each day the provider is late deducts `perDay` of the period amount.
 * - FAULT_OVERTIME (seed 003 §6(2)): each fault fixed over time deducts between `min` and `max` of the
 *   period amount. The seed gives only the range; `tiers` by minutes over time are the parties'
 *   schedule within it, and an authority's assessed rate on the evidence wins when it is in range.
 * - REPAIR_COST_SPLIT (seed 002 §3.2(4)): a repair event costing up to `supplierBearsUpTo` (inclusive)
 *   is the supplier's; a dearer one is the authority's as a whole and is added to the payment.
 */
export type PenaltyRule =
  | { id: string; kind: 'LATE_DELIVERY_PER_DAY'; perDay: Rate; cap: Rate }
  | { id: string; kind: 'PER_BREACH'; perBreach: Rate; terminationAfter: number; onTermination: Rate }
  | { id: string; kind: 'DELIVERY_RATE_BELOW'; threshold: Rate; deduction: Rate }
  | { id: string; kind: 'LATE_STATEMENT_PER_DAY'; perDay: Rate; dueDay: number }
  | { id: string; kind: 'FAULT_OVERTIME'; min: Rate; max: Rate; tiers: { fromMinutes: number; rate: Rate }[] }
  | { id: string; kind: 'REPAIR_COST_SPLIT'; supplierBearsUpTo: Fen };

export type PenaltyKind = PenaltyRule['kind'];

/** Which evidence each rule reads; the statement refuses evidence no rule of the contract reads. */
export const EVIDENCE_OF: Record<PenaltyKind, readonly PenaltyEvidence['kind'][]> = {
  LATE_DELIVERY_PER_DAY: ['LATE_BATCH'],
  PER_BREACH: ['BREACH', 'TERMINATION'],
  DELIVERY_RATE_BELOW: ['SMS_DELIVERY'],
  LATE_STATEMENT_PER_DAY: ['USAGE_LIST'],
  FAULT_OVERTIME: ['FAULT_OVERTIME'],
  REPAIR_COST_SPLIT: ['REPAIR'],
};

/** What a rule is evaluated against besides its evidence. */
export interface PenaltyContext {
  /** Contract total (or cap) for rules taken of the contract value; null when the contract has none. */
  contractBase: Fen | null;
  /** What the period bills after caps: the base of seed 003's deductions ("该付款周期金额"). */
  periodAmount: Fen;
  /** Charged under this rule by earlier statements of the contract (for cumulative caps). */
  priorCharged: Fen;
  /** Breaches registered before this period (termination threshold counts over the contract). */
  priorBreaches: number;
}

export interface PenaltyItem {
  evidenceIds: string[];
  amount: Fen;
  /** The numbers behind the amount, e.g. "3 × 0.1% × 1000000.00 = 3000.00". */
  formula: string;
}

export interface PenaltyResult {
  ruleId: string;
  kind: PenaltyKind;
  /** DEDUCTION lowers the payment; ADDITION raises it (a repair the authority pays for). */
  effect: 'DEDUCTION' | 'ADDITION';
  /** What this statement charges under the rule, after any cap. */
  amount: Fen;
  /** The sum of the items before the cap. */
  uncapped: Fen;
  items: PenaltyItem[];
  cap: { limit: Fen; prior: Fen; remaining: Fen } | null;
  facts: Record<string, string | number | boolean>;
}

const WHOLE: Rate = { num: 1, den: 1 };

function ruleProblem(rule: string, reason: string): Problem {
  return { code: 'SETTLEMENT_PENALTY_RULE_INVALID', params: { rule, reason } };
}

function rateProblems(ruleId: string, rates: Record<string, Rate>): Problem[] {
  return Object.entries(rates).flatMap(([name, rate]) => {
    if (!isValidRate(rate)) return [{ code: 'SETTLEMENT_RATE_INVALID' as const, params: { rate: `${rate.num}/${rate.den}` } }];
    return compareRates(rate, WHOLE) > 0 ? [ruleProblem(ruleId, `${name} is more than 100%`)] : [];
  });
}

function baseProblems(ruleId: string, hasBase: boolean): Problem[] {
  return hasBase ? [] : [ruleProblem(ruleId, 'it is taken of the contract total, which this contract does not have')];
}

function oneRuleProblems(rule: PenaltyRule, hasBase: boolean): Problem[] {
  const id = rule.id;
  switch (rule.kind) {
    case 'LATE_DELIVERY_PER_DAY':
      return [...rateProblems(id, { perDay: rule.perDay, cap: rule.cap }), ...baseProblems(id, hasBase)];
    case 'PER_BREACH':
      return [
        ...rateProblems(id, { perBreach: rule.perBreach, onTermination: rule.onTermination }),
        ...baseProblems(id, hasBase),
        ...(Number.isSafeInteger(rule.terminationAfter) && rule.terminationAfter >= 1 ? [] : [ruleProblem(id, 'the termination threshold must be a whole number of at least 1')]),
      ];
    case 'DELIVERY_RATE_BELOW':
      return rateProblems(id, { threshold: rule.threshold, deduction: rule.deduction });
    case 'LATE_STATEMENT_PER_DAY':
      return [...rateProblems(id, { perDay: rule.perDay }), ...(Number.isSafeInteger(rule.dueDay) && rule.dueDay >= 1 && rule.dueDay <= 28 ? [] : [ruleProblem(id, 'the due day must be 1 to 28')])];
    case 'FAULT_OVERTIME': {
      const problems = rateProblems(id, { min: rule.min, max: rule.max, ...Object.fromEntries(rule.tiers.map((t, i) => [`tier ${i + 1}`, t.rate])) });
      if (problems.length > 0) return problems;
      if (compareRates(rule.min, rule.max) > 0) problems.push(ruleProblem(id, 'the minimum rate is above the maximum'));
      if (rule.tiers.length === 0) problems.push(ruleProblem(id, 'at least one tier is needed'));
      rule.tiers.forEach((t, i) => {
        if (compareRates(t.rate, rule.min) < 0 || compareRates(t.rate, rule.max) > 0) problems.push(ruleProblem(id, `tier ${i + 1} is outside ${formatRate(rule.min)}–${formatRate(rule.max)}`));
        const previous = rule.tiers[i - 1];
        if (!Number.isSafeInteger(t.fromMinutes) || t.fromMinutes < 0 || (previous && t.fromMinutes <= previous.fromMinutes)) problems.push(ruleProblem(id, 'tiers must start at increasing whole minutes'));
      });
      return problems;
    }
    case 'REPAIR_COST_SPLIT':
      return Number.isSafeInteger(rule.supplierBearsUpTo) && rule.supplierBearsUpTo >= 0 ? [] : [ruleProblem(id, 'the threshold must be a non-negative amount in fen')];
  }
}

/** Problems of a contract's penalty rules: each on its own, and at most one rule per kind (evidence would count twice). */
export function penaltyRulesProblems(rules: readonly PenaltyRule[], hasBase: boolean): Problem[] {
  const problems: Problem[] = [];
  const kinds = new Set<PenaltyKind>();
  const ids = new Set<string>();
  for (const rule of rules) {
    if (!rule.id) problems.push(ruleProblem('?', 'a rule needs an id'));
    if (ids.has(rule.id)) problems.push(ruleProblem(rule.id, 'two rules have this id'));
    if (kinds.has(rule.kind)) problems.push(ruleProblem(rule.id, `the contract already has a ${rule.kind} rule`));
    ids.add(rule.id);
    kinds.add(rule.kind);
    problems.push(...oneRuleProblems(rule, hasBase));
  }
  return problems;
}

function requireBase(rule: PenaltyRule, ctx: PenaltyContext): Fen {
  if (ctx.contractBase === null) throw new AppError('SETTLEMENT_PENALTY_RULE_INVALID', { params: { rule: rule.id, reason: 'the contract has no total' } });
  return ctx.contractBase;
}

function result(rule: PenaltyRule, items: PenaltyItem[], facts: PenaltyResult['facts'] = {}, effect: PenaltyResult['effect'] = 'DEDUCTION'): PenaltyResult {
  const total = sumFen(items.map((i) => i.amount));
  return { ruleId: rule.id, kind: rule.kind, effect, amount: total, uncapped: total, items, cap: null, facts };
}

function times(count: number, rate: Rate, base: Fen, amount: Fen): string {
  return `${count} × ${formatRate(rate)} × ${formatYuan(base)} = ${formatYuan(amount)}`;
}

function lateDelivery(rule: Extract<PenaltyRule, { kind: 'LATE_DELIVERY_PER_DAY' }>, batches: LateBatchEvidence[], ctx: PenaltyContext): PenaltyResult {
  const base = requireBase(rule, ctx);
  const items = batches.map((b) => {
    const days = requireCount(b.id, 'daysLate', b.daysLate);
    const amount = applyRate(base, rule.perDay, days);
    return { evidenceIds: [b.id], amount, formula: `${b.batchNo}: ${times(days, rule.perDay, base, amount)}` };
  });
  const r = result(rule, items);
  const limit = applyRate(base, rule.cap);
  const remaining = Math.max(0, limit - ctx.priorCharged);
  return { ...r, amount: Math.min(r.uncapped, remaining), cap: { limit, prior: ctx.priorCharged, remaining } };
}

function perBreach(rule: Extract<PenaltyRule, { kind: 'PER_BREACH' }>, breaches: BreachEvidence[], terminations: TerminationEvidence[], ctx: PenaltyContext): PenaltyResult {
  const base = requireBase(rule, ctx);
  const items = breaches.map((b) => {
    const amount = applyRate(base, rule.perBreach);
    return { evidenceIds: [b.id], amount, formula: `${b.reference}: ${times(1, rule.perBreach, base, amount)}` };
  });
  const breachCount = requireCount('priorBreaches', 'priorBreaches', ctx.priorBreaches) + breaches.length;
  const terminationRight = breachCount >= rule.terminationAfter;
  if (terminations.length > 1) throw evidenceInvalid(terminations[1]?.id ?? '', 'a contract is terminated once');
  for (const t of terminations) {
    if (!terminationRight) throw evidenceInvalid(t.id, `termination on the breach ground needs ${rule.terminationAfter} breaches, the register has ${breachCount}`);
    const amount = applyRate(base, rule.onTermination);
    items.push({ evidenceIds: [t.id], amount, formula: times(1, rule.onTermination, base, amount) });
  }
  return result(rule, items, { breachCount, terminationAfter: rule.terminationAfter, terminationRight });
}

function deliveryRate(rule: Extract<PenaltyRule, { kind: 'DELIVERY_RATE_BELOW' }>, stats: SmsDeliveryEvidence[], ctx: PenaltyContext): PenaltyResult {
  let delivered = 0;
  let failed = 0;
  for (const s of stats) {
    delivered += requireCount(s.id, 'delivered', s.delivered);
    failed += requireCount(s.id, 'failedProviderCause', s.failedProviderCause);
    requireCount(s.id, 'failedOtherCause', s.failedOtherCause);
  }
  // Failures that were not the provider's (switched-off handsets, wrong numbers) leave the denominator.
  const attempted = delivered + failed;
  const below = ratioBelow(delivered, attempted, rule.threshold);
  const facts = { delivered, failedProviderCause: failed, threshold: formatRate(rule.threshold), below };
  if (!below) return result(rule, [], facts);
  const amount = applyRate(ctx.periodAmount, rule.deduction);
  const formula = `${delivered} / ${attempted} < ${formatRate(rule.threshold)}: ${formatRate(rule.deduction)} × ${formatYuan(ctx.periodAmount)} = ${formatYuan(amount)}`;
  return result(rule, [{ evidenceIds: stats.map((s) => s.id), amount, formula }], facts);
}

function daysBetween(from: string, to: string): number {
  const MS_PER_DAY = 86_400_000;
  return (shanghaiInstant(to, 0).getTime() - shanghaiInstant(from, 0).getTime()) / MS_PER_DAY;
}

/** The day a month's usage list is due: `dueDay` of the month after the one starting at `monthStart`. */
export function usageListDue(monthStart: string, dueDay: number): string {
  const [y = 0, m = 1] = monthStart.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return `${next}-${String(dueDay).padStart(2, '0')}`;
}

function lateStatement(rule: Extract<PenaltyRule, { kind: 'LATE_STATEMENT_PER_DAY' }>, lists: UsageListEvidence[], ctx: PenaltyContext): PenaltyResult {
  const items: PenaltyItem[] = [];
  for (const l of lists) {
    if (!isValidDate(l.submittedOn)) throw evidenceInvalid(l.id, 'submittedOn must be a YYYY-MM-DD date');
    const due = usageListDue(l.on, rule.dueDay);
    const days = daysBetween(due, l.submittedOn);
    if (days <= 0 || !l.providerCaused) continue;
    const amount = applyRate(ctx.periodAmount, rule.perDay, days);
    items.push({ evidenceIds: [l.id], amount, formula: `${l.on.slice(0, 7)} (${due} → ${l.outstanding ? `outstanding on ${l.submittedOn}` : l.submittedOn}): ${times(days, rule.perDay, ctx.periodAmount, amount)}` });
  }
  return result(rule, items);
}

/** The rate for one overtime fault: the authority's assessed rate when in range, else the tier reached. */
function faultRate(rule: Extract<PenaltyRule, { kind: 'FAULT_OVERTIME' }>, e: FaultOvertimeEvidence): Rate {
  if (e.assessedRate) {
    if (!isValidRate(e.assessedRate) || compareRates(e.assessedRate, rule.min) < 0 || compareRates(e.assessedRate, rule.max) > 0) {
      throw evidenceInvalid(e.id, `the assessed rate must be within ${formatRate(rule.min)}–${formatRate(rule.max)}`);
    }
    return e.assessedRate;
  }
  let rate = rule.min;
  for (const t of rule.tiers) if (e.overMinutes >= t.fromMinutes) rate = t.rate;
  return rate;
}

function faultOvertime(rule: Extract<PenaltyRule, { kind: 'FAULT_OVERTIME' }>, events: FaultOvertimeEvidence[], ctx: PenaltyContext): PenaltyResult {
  const items = events.map((e) => {
    if (requireCount(e.id, 'overMinutes', e.overMinutes) === 0) throw evidenceInvalid(e.id, 'a fault over time is over by at least a minute');
    const rate = faultRate(rule, e);
    const amount = applyRate(ctx.periodAmount, rate);
    return { evidenceIds: [e.id], amount, formula: `${e.ticketNo} (+${e.overMinutes} min): ${times(1, rate, ctx.periodAmount, amount)}` };
  });
  return result(rule, items);
}

function repairSplit(rule: Extract<PenaltyRule, { kind: 'REPAIR_COST_SPLIT' }>, repairs: RepairEvidence[]): PenaltyResult {
  const items = repairs.map((r) => {
    const cost = requireCount(r.id, 'cost', r.cost);
    const authorityPays = cost > rule.supplierBearsUpTo;
    const side = authorityPays ? '>' : '≤';
    return { evidenceIds: [r.id], amount: authorityPays ? cost : 0, formula: `${r.ticketNo}: ${formatYuan(cost)} ${side} ${formatYuan(rule.supplierBearsUpTo)} → ${authorityPays ? 'authority' : 'supplier'}` };
  });
  return result(rule, items, { supplierBearsUpTo: formatYuan(rule.supplierBearsUpTo) }, 'ADDITION');
}

function ofKind<K extends PenaltyEvidence['kind']>(evidence: readonly PenaltyEvidence[], kind: K): Extract<PenaltyEvidence, { kind: K }>[] {
  return evidence.filter((e): e is Extract<PenaltyEvidence, { kind: K }> => e.kind === kind);
}

/** One rule against the evidence (already checked to be this contract's and period's). */
export function evaluatePenalty(rule: PenaltyRule, evidence: readonly PenaltyEvidence[], ctx: PenaltyContext): PenaltyResult {
  switch (rule.kind) {
    case 'LATE_DELIVERY_PER_DAY':
      return lateDelivery(rule, ofKind(evidence, 'LATE_BATCH'), ctx);
    case 'PER_BREACH':
      return perBreach(rule, ofKind(evidence, 'BREACH'), ofKind(evidence, 'TERMINATION'), ctx);
    case 'DELIVERY_RATE_BELOW':
      return deliveryRate(rule, ofKind(evidence, 'SMS_DELIVERY'), ctx);
    case 'LATE_STATEMENT_PER_DAY':
      return lateStatement(rule, ofKind(evidence, 'USAGE_LIST'), ctx);
    case 'FAULT_OVERTIME':
      return faultOvertime(rule, ofKind(evidence, 'FAULT_OVERTIME'), ctx);
    case 'REPAIR_COST_SPLIT':
      return repairSplit(rule, ofKind(evidence, 'REPAIR'));
  }
}

/** Evidence of a kind no rule of the contract reads is refused rather than silently ignored. */
export function checkEvidenceHasRule(rules: readonly PenaltyRule[], evidence: readonly PenaltyEvidence[]): void {
  const read = new Set(rules.flatMap((r) => EVIDENCE_OF[r.kind]));
  const stray = evidence.find((e) => !read.has(e.kind));
  if (stray) throw evidenceInvalid(stray.id, `no penalty rule of the contract uses ${stray.kind} evidence`);
}
