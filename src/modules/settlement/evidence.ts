import { AppError } from '../../platform/errors/app-error.ts';
import { isValidDate } from '../calendar/zone.ts';
import type { WasteCause } from '../cards/schema.ts';
import type { Fen, Rate } from './money.ts';

/**
 * The recorded facts a statement is computed from. Each item names its contract and the Shanghai
 * calendar date it happened on, so a statement can refuse evidence of another contract or period;
 * its id is what the console links to ("why is this line 217,401.45?").
 */
interface EvidenceBase {
  id: string;
  contractId: string;
  on: string;
}

/** One card attempt's end: accepted at the outlet (or bank), or wasted with its cause. */
export interface CardEvidence extends EvidenceBase {
  kind: 'CARD';
  item: string;
  lot: string | null;
  cardNo: string | null;
  batchNo: string;
  outcome: 'ACCEPTED' | 'WASTED';
  wasteCause: WasteCause | null;
}

/** One submitted SMS: its billed segments, and the original when it is a resend of one. */
export interface SmsEvidence extends EvidenceBase {
  kind: 'SMS';
  item: string;
  segments: number;
  duplicateOf: string | null;
}

/** A milestone reached (seed 002: contract signed; services accepted). */
export interface MilestoneEvidence extends EvidenceBase {
  kind: 'MILESTONE';
  item: string;
}

/** A counted quantity of a priced item that is not a card, a message or a milestone: a year of a fixed annual fee. */
export interface QuantityEvidence extends EvidenceBase {
  kind: 'QUANTITY';
  item: string;
  lot: string | null;
  quantity: number;
}

export type UsageEvidence = CardEvidence | SmsEvidence | MilestoneEvidence | QuantityEvidence;

/** A production batch handed over after its deadline (seed 000: 10 days to the outlet). */
export interface LateBatchEvidence extends EvidenceBase {
  kind: 'LATE_BATCH';
  batchNo: string;
  daysLate: number;
}

/** An entry of the breach register (maintenance module), dated when the breach occurred. */
export interface BreachEvidence extends EvidenceBase {
  kind: 'BREACH';
  breachKind: string;
  reference: string;
}

/** The authority's notice ending the contract on the breach ground (seed 001, 20 %). */
export interface TerminationEvidence extends EvidenceBase {
  kind: 'TERMINATION';
}

/** SMS delivery statistics of the month starting `on`: failures split by whose fault they were. */
export interface SmsDeliveryEvidence extends EvidenceBase {
  kind: 'SMS_DELIVERY';
  delivered: number;
  failedProviderCause: number;
  failedOtherCause: number;
}

/**
 * The provider's usage list of the month starting `on` (dated by the month it covers, so the list of
 * a period's last month, which arrives after the period, still belongs to that period).
 */
export interface UsageListEvidence extends EvidenceBase {
  kind: 'USAGE_LIST';
  submittedOn: string;
  /** False when the lateness was the authority's doing; only the provider's own lateness costs. */
  providerCaused: boolean;
  /** Not handed over yet: `submittedOn` is then the drafting day, so the days late count up to it. */
  outstanding?: boolean;
}

/** A fault fixed later than the contract allows; `assessedRate` is the authority's pick within the range. */
export interface FaultOvertimeEvidence extends EvidenceBase {
  kind: 'FAULT_OVERTIME';
  ticketNo: string;
  overMinutes: number;
  assessedRate: Rate | null;
}

/** Parts or equipment replaced in one repair event, with what it cost. */
export interface RepairEvidence extends EvidenceBase {
  kind: 'REPAIR';
  ticketNo: string;
  cost: Fen;
}

export type PenaltyEvidence =
  | LateBatchEvidence
  | BreachEvidence
  | TerminationEvidence
  | SmsDeliveryEvidence
  | UsageListEvidence
  | FaultOvertimeEvidence
  | RepairEvidence;

export function evidenceInvalid(evidence: string, reason: string): AppError {
  return new AppError('SETTLEMENT_EVIDENCE_INVALID', { params: { evidence, reason } });
}

/** A count that must be a whole non-negative number, or the evidence is refused. */
export function requireCount(evidenceId: string, field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw evidenceInvalid(evidenceId, `${field} must be a whole number of at least 0`);
  return value;
}

/**
 * Every item must belong to this contract and fall in the period. Checked before anything is
 * counted, so a statement is either built from its own evidence or not built at all.
 */
export function checkEvidence(contractId: string, period: { start: string; end: string }, items: readonly { id: string; contractId: string; on: string }[]): void {
  const seen = new Set<string>();
  for (const e of items) {
    if (e.contractId !== contractId) throw new AppError('SETTLEMENT_EVIDENCE_OTHER_CONTRACT', { params: { evidence: e.id } });
    if (!isValidDate(e.on)) throw evidenceInvalid(e.id, `"${e.on}" is not a YYYY-MM-DD date`);
    if (!(e.on >= period.start && e.on <= period.end)) throw new AppError('SETTLEMENT_EVIDENCE_OUTSIDE_PERIOD', { params: { evidence: e.id, date: e.on } });
    if (seen.has(e.id)) throw evidenceInvalid(e.id, 'the same evidence is listed twice');
    seen.add(e.id);
  }
}
