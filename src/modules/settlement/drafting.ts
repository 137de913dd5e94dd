import { and, eq, lt } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { lateDeliveredBatches, settledCards } from '../cards/settlement-feed.ts';
import { settledBreaches, settledRepairs } from '../maintenance/settlement-feed.ts';
import { settledProviderDuties } from '../notify/provider-duties-feed.ts';
import { settledMessages } from '../notify/settlement-feed.ts';
import { contractYearStarts, type Contract } from './contract-rules.ts';
import type { PenaltyEvidence, UsageEvidence } from './evidence.ts';
import { formatRate, formatYuan, sumFen, type Fen } from './money.ts';
import { EVIDENCE_OF } from './penalties.ts';
import { settlementStatements, type ContractSource } from './schema.ts';
import { CARD_SERVICES, EFFECTIVE_STATEMENT, pureContract, type ContractRow } from './service.ts';
import { buildStatement, type Statement, type StatementLine } from './statement.ts';

/**
 * Drafting a statement from what the other modules recorded, through their settlement feeds: cards
 * accepted and wasted and batches delivered late (card lifecycle), accepted messages and delivery
 * statistics (SMS outbox), the breach register (maintenance), and the contract's own milestone dates.
 * Every piece of evidence is stamped with this contract's id, so the pure checkEvidence refuses
 * anything that was not gathered for it.
 */

export interface EvidenceDetail {
  kind: string;
  on: string;
  data: Record<string, string | number | boolean | null>;
}

export interface Gathered {
  usage: UsageEvidence[];
  penaltyEvidence: PenaltyEvidence[];
  priorBreaches: number;
  details: Map<string, EvidenceDetail>;
}

export interface EvidenceRowInput {
  lineKey: string;
  evidenceId: string;
  kind: string;
  on: string;
  data: Record<string, string | number | boolean | null>;
}

export const lineKey = (l: Pick<StatementLine, 'item' | 'lot'>) => (l.lot === null ? `line:${l.item}` : `line:${l.item}:${l.lot}`);
export const penaltyKey = (ruleId: string) => `penalty:${ruleId}`;
export const EXCLUDED_KEY = 'excluded';

/** The price-list item a card is billed under: the unit price of its lot, or for a prefabricated card the "finished less a fee" entry. */
function cardItem(contract: Contract, prefabricated: boolean, lot: string | null): string {
  const entries = contract.prices.filter((p) => p.unit === 'CARD' && p.lot === lot);
  const found = prefabricated ? entries.find((p) => p.price.kind === 'LESS_THAN_ITEM') : entries.find((p) => p.price.kind === 'PER_UNIT');
  // An unpriced card keeps a name no price has, so the statement refuses it instead of billing it under something else.
  return found?.item ?? (prefabricated ? 'PREFABRICATED_CARD_WITHOUT_PRICE' : 'CARD_WITHOUT_PRICE');
}

export async function gatherEvidence(ctx: AppContext, db: Queryable, contract: Contract, source: ContractSource, period: { start: string; end: string }): Promise<Gathered> {
  const out: Gathered = { usage: [], penaltyEvidence: [], priorBreaches: 0, details: new Map() };
  const reads = new Set(contract.penalties.flatMap((r) => EVIDENCE_OF[r.kind]));
  const base = { contractId: contract.id };
  const range = { from: period.start, to: period.end };

  if (CARD_SERVICES.includes(contract.serviceKind)) {
    const q = { programmeIds: source.programmeIds ?? [], producerOrgId: contract.supplierOrgId, ...range };
    for (const c of await settledCards(ctx, db, q)) {
      const id = `card:${c.eventSeq}`;
      const lot = source.lotByReceiverOrgId?.[c.receiverOrgId] ?? null;
      out.usage.push({ ...base, id, on: c.on, kind: 'CARD', item: cardItem(contract, c.prefabricated, lot), lot, cardNo: c.cardNo, batchNo: c.batchNo ?? '', outcome: c.outcome, wasteCause: c.wasteCause });
      out.details.set(id, { kind: 'CARD', on: c.on, data: { cardNo: c.cardNo, batchNo: c.batchNo, outcome: c.outcome, wasteCause: c.wasteCause, prefabricated: c.prefabricated, lot } });
    }
    if (reads.has('LATE_BATCH')) {
      for (const b of await lateDeliveredBatches(ctx, db, q)) {
        const id = `batch:${b.batchId}`;
        out.penaltyEvidence.push({ ...base, id, on: b.on, kind: 'LATE_BATCH', batchNo: b.batchNo, daysLate: b.daysLate });
        out.details.set(id, { kind: 'LATE_BATCH', on: b.on, data: { batchNo: b.batchNo, deliveryDueAt: b.deliveryDueAt.toISOString(), deliveredAt: b.deliveredAt.toISOString(), daysLate: b.daysLate } });
      }
    }
  }

  if (contract.serviceKind === 'SMS') {
    const item = contract.prices.find((p) => p.unit === 'MESSAGE_SEGMENT')?.item ?? 'MESSAGE_WITHOUT_PRICE';
    const { messages, delivery } = await settledMessages(db, { providers: source.smsProviders ?? [], ...range });
    for (const m of messages) {
      const id = `sms:${m.id}`;
      out.usage.push({ ...base, id, on: m.on, kind: 'SMS', item, segments: m.segments, duplicateOf: m.duplicateOf === null ? null : `sms:${m.duplicateOf}` });
      out.details.set(id, { kind: 'SMS', on: m.on, data: { messageId: m.id, segments: m.segments, duplicateOf: m.duplicateOf } });
    }
    if (reads.has('SMS_DELIVERY')) {
      for (const d of delivery) {
        const id = `delivery:${d.month}`;
        out.penaltyEvidence.push({ ...base, id, on: d.on, kind: 'SMS_DELIVERY', delivered: d.delivered, failedProviderCause: d.failedProviderCause, failedOtherCause: d.failedOtherCause });
        out.details.set(id, { kind: 'SMS_DELIVERY', on: d.on, data: { month: d.month, delivered: d.delivered, failedProviderCause: d.failedProviderCause, failedOtherCause: d.failedOtherCause } });
      }
    }
    if (reads.has('USAGE_LIST') || reads.has('FAULT_OVERTIME')) {
      // An outstanding list is dated the drafting day, so a statement drafted later charges more days.
      const duties = await settledProviderDuties(db, { providers: source.smsProviders ?? [], ...range, now: new Date() });
      if (reads.has('USAGE_LIST')) {
        for (const l of duties.usageLists) {
          const id = `usage-list:${l.provider}:${l.month}`;
          out.penaltyEvidence.push({ ...base, id, on: l.on, kind: 'USAGE_LIST', submittedOn: l.submittedOn, providerCaused: l.providerCaused, outstanding: l.outstanding });
          out.details.set(id, { kind: 'USAGE_LIST', on: l.on, data: { provider: l.provider, month: l.month, dueOn: l.dueOn, submittedOn: l.submittedOn, outstanding: l.outstanding, providerCaused: l.providerCaused } });
        }
      }
      if (reads.has('FAULT_OVERTIME')) {
        for (const f of duties.faults) {
          const id = `fault:${f.id}`;
          out.penaltyEvidence.push({ ...base, id, on: f.on, kind: 'FAULT_OVERTIME', ticketNo: f.faultNo, overMinutes: f.overMinutes, assessedRate: f.assessedRate });
          out.details.set(id, {
            kind: 'FAULT_OVERTIME',
            on: f.on,
            data: {
              faultId: f.id,
              faultNo: f.faultNo,
              provider: f.provider,
              reportedAt: f.reportedAt.toISOString(),
              arrivedAt: f.arrivedAt?.toISOString() ?? null,
              clearedAt: f.clearedAt?.toISOString() ?? null,
              overMinutes: f.overMinutes,
              assessedRate: f.assessedRate === null ? null : formatRate(f.assessedRate),
            },
          });
        }
      }
    }
  }

  if (source.maintenanceContractId && reads.has('BREACH')) {
    const { breaches, before } = await settledBreaches(db, { contractId: source.maintenanceContractId, ...range });
    out.priorBreaches = before;
    for (const b of breaches) {
      const id = `breach:${b.id}`;
      out.penaltyEvidence.push({ ...base, id, on: b.on, kind: 'BREACH', breachKind: b.kind, reference: b.ticketNo ?? b.kind });
      out.details.set(id, { kind: 'BREACH', on: b.on, data: { breachId: b.id, breachKind: b.kind, ticketNo: b.ticketNo, occurredAt: b.occurredAt.toISOString() } });
    }
  }

  // Confirmed repair events of the maintenance contract (seed 002 §3.2(4)); the rule decides per event who bears it.
  if (source.maintenanceContractId && reads.has('REPAIR')) {
    for (const r of await settledRepairs(db, { contractId: source.maintenanceContractId, ...range })) {
      const id = `repair:${r.id}`;
      out.penaltyEvidence.push({ ...base, id, on: r.on, kind: 'REPAIR', ticketNo: r.ticketNo, cost: r.cost });
      out.details.set(id, { kind: 'REPAIR', on: r.on, data: { repairId: r.id, ticketId: r.ticketId, ticketNo: r.ticketNo, part: r.part, quantity: r.quantity, cost: formatYuan(r.cost) } });
    }
  }

  for (const p of contract.prices) {
    if (p.unit !== 'YEAR' || p.price.kind !== 'PER_UNIT') continue;
    for (const yearStart of contractYearStarts(contract.term, period)) {
      const id = `year:${p.item}${p.lot === null ? '' : `:${p.lot}`}:${yearStart}`;
      out.usage.push({ ...base, id, on: yearStart, kind: 'QUANTITY', item: p.item, lot: p.lot, quantity: 1 });
      out.details.set(id, { kind: 'QUANTITY', on: yearStart, data: { item: p.item, label: p.label, contractYearStart: yearStart } });
    }
  }

  // A milestone payment falls due on its contract date: the period holding that date bills it once.
  for (const p of contract.prices) {
    if (p.price.kind !== 'SHARE_OF_TOTAL' || p.price.dueOn < period.start || p.price.dueOn > period.end) continue;
    const id = `milestone:${p.item}`;
    out.usage.push({ ...base, id, on: p.price.dueOn, kind: 'MILESTONE', item: p.item });
    out.details.set(id, { kind: 'MILESTONE', on: p.price.dueOn, data: { item: p.item, label: p.label } });
  }
  return out;
}

/** What earlier periods' statements billed (in total and per lot) and charged under each rule. */
export async function priorTotals(q: Queryable, contractId: string, before: string): Promise<{ billed: { total: Fen; byLot: Record<string, Fen> }; penalties: Record<string, Fen> }> {
  const rows = await q
    .select({ statement: settlementStatements.statement })
    .from(settlementStatements)
    .where(and(eq(settlementStatements.contractId, contractId), lt(settlementStatements.periodEnd, before), EFFECTIVE_STATEMENT));
  const byLot: Record<string, Fen> = {};
  const penalties: Record<string, Fen> = {};
  for (const { statement: s } of rows) {
    for (const cap of s.caps) if (cap.scope !== 'CONTRACT') byLot[cap.scope] = sumFen([byLot[cap.scope] ?? 0, cap.allowed]);
    for (const p of s.penalties) penalties[p.ruleId] = sumFen([penalties[p.ruleId] ?? 0, p.amount]);
  }
  return { billed: { total: sumFen(rows.map((r) => r.statement.billable)), byLot }, penalties };
}

/** The evidence rows of a statement: each fact under the line or penalty it counted for, or as excluded. */
export function evidenceRows(statement: Statement, contract: Contract, details: ReadonlyMap<string, EvidenceDetail>): EvidenceRowInput[] {
  const rows: EvidenceRowInput[] = [];
  const add = (key: string, id: string) => {
    const d = details.get(id);
    if (d) rows.push({ lineKey: key, evidenceId: id, kind: d.kind, on: d.on, data: d.data });
  };
  for (const l of statement.lines) for (const id of l.evidenceIds) add(lineKey(l), id);
  for (const e of statement.excluded) add(EXCLUDED_KEY, e.evidenceId);
  for (const [id, d] of details) {
    const rule = contract.penalties.find((r) => (EVIDENCE_OF[r.kind] as readonly string[]).includes(d.kind));
    if (rule) add(penaltyKey(rule.id), id);
  }
  return rows;
}

/** Drafts the statement of one period of a stored contract from the recorded events. */
export async function draft(ctx: AppContext, row: ContractRow, period: { start: string; end: string }, q: Queryable): Promise<{ statement: Statement; evidence: EvidenceRowInput[] }> {
  const contract = pureContract(row);
  // Read inside the caller's transaction: the embedded engine has one connection, and the statement should see one state.
  const gathered = await gatherEvidence(ctx, q, contract, row.source, period);
  const prior = await priorTotals(q, row.id, period.start);
  const statement = buildStatement({
    contract,
    period,
    usage: gathered.usage,
    penaltyEvidence: gathered.penaltyEvidence,
    billedToDate: prior.billed,
    penaltiesToDate: prior.penalties,
    priorBreaches: gathered.priorBreaches,
  });
  return { statement, evidence: evidenceRows(statement, contract, gathered.details) };
}
