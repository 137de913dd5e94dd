import { and, asc, count, desc, eq, inArray, lte, gte, sql } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/engine.ts';
import { insertJson } from '../../platform/db/bulk.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { shanghaiDate } from '../calendar/zone.ts';
import { billingPeriods, periodProblems } from './contract-rules.ts';
import { draft, EXCLUDED_KEY, lineKey, penaltyKey } from './drafting.ts';
import { formatUnitPrice, formatYuan, parseYuan, sumFen } from './money.ts';
import { paymentStanding } from './payments.ts';
import { throwIfProblems } from './problems.ts';
import { settlementContracts, settlementInvoices, settlementPayments, settlementStatementEvidence, settlementStatements, type StatementStatus } from './schema.ts';
import { contractVisible, EFFECTIVE_STATEMENT, pureContract, visibleContract, type ContractRow } from './service.ts';
import type { Statement } from './statement.ts';
import { orgsByIds } from '../orgs/service.ts';

/**
 * Statements: drafted from the recorded events, submitted by one person and approved by another,
 * locked once approved (a correction is an adjusting statement that supersedes the original when it
 * is approved), with invoices and payments against approved ones.
 */

export type StatementRow = typeof settlementStatements.$inferSelect;

const drafter = (p: Principal) => `${p.type}:${p.name}`;

function stateError(status: StatementStatus, action: string): AppError {
  if (status === 'APPROVED' || status === 'SUPERSEDED') return new AppError('SETTLEMENT_STATEMENT_LOCKED');
  return new AppError('SETTLEMENT_STATEMENT_STATE', { params: { status, action } });
}

async function visibleStatement(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm): Promise<{ row: StatementRow; contract: ContractRow }> {
  const [found] = await q
    .select({ row: settlementStatements, contract: settlementContracts })
    .from(settlementStatements)
    .innerJoin(settlementContracts, eq(settlementContracts.id, settlementStatements.contractId))
    .where(and(eq(settlementStatements.id, id), contractVisible(ctx, principal, q)));
  if (!found) throw new AppError('NOT_FOUND');
  return found;
}

async function lockStatement(tx: Tx, id: string): Promise<StatementRow> {
  const [row] = await tx.select().from(settlementStatements).where(eq(settlementStatements.id, id)).for('update');
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

async function writeEvidence(ctx: AppContext, tx: Tx, statementId: string, rows: Awaited<ReturnType<typeof draft>>['evidence']): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    await insertJson(
      ctx.db,
      tx,
      settlementStatementEvidence,
      rows.slice(i, i + 5000).map((r) => ({ statementId, lineKey: r.lineKey, evidenceId: r.evidenceId, kind: r.kind, on: r.on, data: r.data })),
    );
  }
}

/** The period must be one of the contract's billing periods (caps and cumulative penalties count period by period). */
function checkPeriod(contract: ContractRow, start: string, end: string): void {
  const pure = pureContract(contract);
  throwIfProblems(periodProblems(pure, { start, end }));
  if (!billingPeriods(pure).some((p) => p.start === start && p.end === end)) throw new AppError('SETTLEMENT_PERIOD_NOT_IN_CYCLE', { params: { start, end } });
}

function isUniqueViolation(err: unknown, index: string): boolean {
  const e = err as { message?: string; cause?: { message?: string; constraint?: string } };
  return [e.message, e.cause?.message, e.cause?.constraint].some((m) => typeof m === 'string' && m.includes(index));
}

/** Drafts the ORIGINAL statement of a period; answers the stored row. */
export async function createStatement(ctx: AppContext, principal: Principal, input: { contractId: string; periodStart: string; periodEnd: string }): Promise<StatementRow> {
  const contract = await visibleContract(ctx, principal, input.contractId);
  if (!(await authorityManages(ctx, principal, contract))) throw new AppError('NOT_FOUND');
  return insertDraft(ctx, drafter(principal), contract, input.periodStart, input.periodEnd);
}

async function authorityManages(ctx: AppContext, principal: Principal, contract: ContractRow): Promise<boolean> {
  const orgs = await orgsByIds(ctx, [contract.authorityOrgId]);
  return orgs.get(contract.authorityOrgId)?.path.startsWith(principal.orgPath) ?? false;
}

export async function insertDraft(ctx: AppContext, draftedBy: string, contract: ContractRow, periodStart: string, periodEnd: string): Promise<StatementRow> {
  checkPeriod(contract, periodStart, periodEnd);
  try {
    return await ctx.db.orm.transaction(async (tx) => {
      // The original, or the adjustment approved in its place: either way the period has its statement.
      const [live] = await tx
        .select({ id: settlementStatements.id })
        .from(settlementStatements)
        .where(and(eq(settlementStatements.contractId, contract.id), eq(settlementStatements.periodStart, periodStart), eq(settlementStatements.periodEnd, periodEnd), sql`${settlementStatements.status} <> 'SUPERSEDED'`));
      if (live) throw new AppError('SETTLEMENT_STATEMENT_EXISTS', { params: { start: periodStart, end: periodEnd } });
      const { statement, evidence } = await draft(ctx, contract, { start: periodStart, end: periodEnd }, tx);
      const now = new Date();
      const [row] = await tx
        .insert(settlementStatements)
        .values({ contractId: contract.id, kind: 'ORIGINAL', periodStart, periodEnd, status: 'DRAFT', statement, billableFen: statement.billable, netPayableFen: statement.netPayable, draftedAt: now, draftedBy })
        .returning();
      await writeEvidence(ctx, tx, row!.id, evidence);
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'settlement_statements_live_key')) throw new AppError('SETTLEMENT_STATEMENT_EXISTS', { params: { start: periodStart, end: periodEnd } });
    throw err;
  }
}

/** Reads the events again into a DRAFT (after a late receipt or a corrected breach); anything else is refused. */
export async function redraftStatement(ctx: AppContext, principal: Principal, id: string): Promise<StatementRow> {
  const { contract } = await visibleStatement(ctx, principal, id);
  return ctx.db.orm.transaction(async (tx) => {
    const row = await lockStatement(tx, id);
    if (row.status !== 'DRAFT') throw stateError(row.status, 'redrafted');
    const { statement, evidence } = await draft(ctx, contract, { start: row.periodStart, end: row.periodEnd }, tx);
    await tx.delete(settlementStatementEvidence).where(eq(settlementStatementEvidence.statementId, id));
    const [updated] = await tx
      .update(settlementStatements)
      .set({ statement, billableFen: statement.billable, netPayableFen: statement.netPayable, draftedAt: new Date(), draftedBy: drafter(principal), updatedAt: new Date() })
      .where(and(eq(settlementStatements.id, id), eq(settlementStatements.status, 'DRAFT')))
      .returning();
    await writeEvidence(ctx, tx, id, evidence);
    return updated!;
  });
}

/** Moves a statement from one status to the next under a guarded UPDATE, so two clicks cannot both pass. */
async function transition(ctx: AppContext, principal: Principal, id: string, from: StatementStatus, action: string, change: (row: StatementRow, tx: Tx) => Promise<Partial<StatementRow>>): Promise<StatementRow> {
  await visibleStatement(ctx, principal, id);
  return ctx.db.orm.transaction(async (tx) => {
    const row = await lockStatement(tx, id);
    if (row.status !== from) throw stateError(row.status, action);
    const set = await change(row, tx);
    const [updated] = await tx
      .update(settlementStatements)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(settlementStatements.id, id), eq(settlementStatements.status, from)))
      .returning();
    if (!updated) throw stateError(row.status, action);
    return updated;
  });
}

export function submitStatement(ctx: AppContext, principal: Principal, id: string) {
  return transition(ctx, principal, id, 'DRAFT', 'submitted', async () => ({ status: 'SUBMITTED', preparedBy: principal.id, preparedByName: principal.name, submittedAt: new Date(), returnedReason: null }));
}

export function returnStatement(ctx: AppContext, principal: Principal, id: string, reason: string) {
  return transition(ctx, principal, id, 'SUBMITTED', 'returned', async () => ({ status: 'DRAFT', returnedReason: reason, submittedAt: null }));
}

/** The second person's approval; an approved adjustment supersedes the statement it corrects. */
export function approveStatement(ctx: AppContext, principal: Principal, id: string) {
  return transition(ctx, principal, id, 'SUBMITTED', 'approved', async (row, tx) => {
    if (row.preparedBy === principal.id) throw new AppError('SETTLEMENT_SELF_APPROVAL');
    if (row.adjustsId) {
      const superseded = await tx
        .update(settlementStatements)
        .set({ status: 'SUPERSEDED' })
        .where(and(eq(settlementStatements.id, row.adjustsId), eq(settlementStatements.status, 'APPROVED')))
        .returning({ id: settlementStatements.id });
      if (superseded.length === 0) throw new AppError('SETTLEMENT_STATEMENT_STATE', { params: { status: 'SUPERSEDED', action: 'adjusted' } });
    }
    return { status: 'APPROVED', approvedBy: principal.id, approvedByName: principal.name, approvedAt: new Date() };
  });
}

/** A correction of an approved statement: a new ADJUSTMENT drafted again from the events of the same period. */
export async function adjustStatement(ctx: AppContext, principal: Principal, id: string, reason: string): Promise<StatementRow> {
  const { row: original, contract } = await visibleStatement(ctx, principal, id);
  if (original.status !== 'APPROVED') throw new AppError('SETTLEMENT_STATEMENT_STATE', { params: { status: original.status, action: 'adjusted' } });
  try {
    return await ctx.db.orm.transaction(async (tx) => {
      const { statement, evidence } = await draft(ctx, contract, { start: original.periodStart, end: original.periodEnd }, tx);
      const [row] = await tx
        .insert(settlementStatements)
        .values({
          contractId: contract.id,
          kind: 'ADJUSTMENT',
          adjustsId: original.id,
          adjustReason: reason,
          periodStart: original.periodStart,
          periodEnd: original.periodEnd,
          status: 'DRAFT',
          statement,
          billableFen: statement.billable,
          netPayableFen: statement.netPayable,
          draftedAt: new Date(),
          draftedBy: drafter(principal),
        })
        .returning();
      await writeEvidence(ctx, tx, row!.id, evidence);
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'settlement_statements_open_adjustment_key')) throw new AppError('SETTLEMENT_ADJUSTMENT_OPEN');
    throw err;
  }
}

async function requireApproved(ctx: AppContext, principal: Principal, id: string): Promise<StatementRow> {
  const { row } = await visibleStatement(ctx, principal, id);
  if (row.status !== 'APPROVED') throw new AppError('SETTLEMENT_STATEMENT_STATE', { params: { status: row.status, action: 'invoiced or paid' } });
  return row;
}

export async function recordInvoice(ctx: AppContext, principal: Principal, id: string, input: { number: string; issuedOn: string; amount: string }) {
  await requireApproved(ctx, principal, id);
  const amountFen = parseYuan(input.amount);
  if (amountFen <= 0) throw new AppError('SETTLEMENT_MONEY_INVALID', { params: { text: input.amount, reason: 'an invoice is for more than nothing' } });
  try {
    const [row] = await ctx.db.orm.insert(settlementInvoices).values({ statementId: id, number: input.number, issuedOn: input.issuedOn, amountFen, recordedBy: drafter(principal) }).returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err, 'settlement_invoices_number_key')) throw new AppError('SETTLEMENT_INVOICE_EXISTS', { params: { number: input.number } });
    throw err;
  }
}

export async function recordPayment(ctx: AppContext, principal: Principal, id: string, input: { paidOn: string; amount: string; reference?: string | null }) {
  await requireApproved(ctx, principal, id);
  const amountFen = parseYuan(input.amount);
  if (amountFen <= 0) throw new AppError('SETTLEMENT_MONEY_INVALID', { params: { text: input.amount, reason: 'a payment is of more than nothing' } });
  const [row] = await ctx.db.orm.insert(settlementPayments).values({ statementId: id, paidOn: input.paidOn, amountFen, reference: input.reference ?? null, recordedBy: drafter(principal) }).returning();
  return row!;
}

// ---- views ----

const yuan = (fen: number) => formatYuan(fen);

async function evidenceCounts(q: Queryable, statementId: string): Promise<Map<string, number>> {
  const rows = await q
    .select({ key: settlementStatementEvidence.lineKey, n: count() })
    .from(settlementStatementEvidence)
    .where(eq(settlementStatementEvidence.statementId, statementId))
    .groupBy(settlementStatementEvidence.lineKey);
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

/** The statement as the console shows it: every line and penalty with its evidence count, the money as yuan text, and where payment stands. */
/** What the list and the statement page both show of a statement: whose, which period, where it stands. */
function statementHeading(row: StatementRow, contract: ContractRow, names: ReadonlyMap<string, { name: string }>) {
  return {
    id: row.id,
    contractId: contract.id,
    contractCode: contract.code,
    contractName: contract.name,
    supplierName: names.get(contract.supplierOrgId)?.name ?? '',
    kind: row.kind,
    adjustsId: row.adjustsId,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    status: row.status,
    draftedAt: row.draftedAt.toISOString(),
    approvedAt: row.approvedAt?.toISOString() ?? null,
  };
}

export async function statementView(ctx: AppContext, row: StatementRow, contract: ContractRow, today = shanghaiDate(new Date())) {
  const s = row.statement;
  const counts = await evidenceCounts(ctx.db.orm, row.id);
  const names = await orgsByIds(ctx, [contract.supplierOrgId]);
  const invoices = await ctx.db.orm.select().from(settlementInvoices).where(eq(settlementInvoices.statementId, row.id)).orderBy(asc(settlementInvoices.issuedOn), asc(settlementInvoices.createdAt));
  const payments = await ctx.db.orm.select().from(settlementPayments).where(eq(settlementPayments.statementId, row.id)).orderBy(asc(settlementPayments.paidOn), asc(settlementPayments.createdAt));
  let adjusted: Statement | null = null;
  if (row.adjustsId) {
    const [a] = await ctx.db.orm.select({ statement: settlementStatements.statement }).from(settlementStatements).where(eq(settlementStatements.id, row.adjustsId));
    adjusted = a?.statement ?? null;
  }
  const before = (key: string) => adjusted?.lines.find((l) => lineKey(l) === key)?.amount ?? 0;
  const penaltyBefore = (ruleId: string) => adjusted?.penalties.find((p) => p.ruleId === ruleId)?.amount ?? 0;
  // An adjustment pays (or takes back) only the difference to what the original approved.
  const amountDue = adjusted ? s.netPayable - adjusted.netPayable : s.netPayable;
  const standing =
    row.status === 'APPROVED'
      ? paymentStanding({
          amountDue: Math.max(0, amountDue),
          invoices,
          payments: payments.map((p) => ({ paidOn: p.paidOn, amount: p.amountFen })),
          paymentTermDays: contract.paymentTermDays,
          interestPerDay: contract.interestPerDay,
          today,
        })
      : null;
  return {
    ...statementHeading(row, contract, names),
    adjustReason: row.adjustReason,
    draftedBy: row.draftedBy,
    preparedBy: row.preparedByName,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    approvedBy: row.approvedByName,
    returnedReason: row.returnedReason,
    statement: s,
    lines: s.lines.map((l) => {
      const key = lineKey(l);
      return {
        key,
        item: l.item,
        lot: l.lot,
        label: l.label,
        unit: l.unit,
        count: l.count,
        unitPrice: formatUnitPrice(l.unitPrice),
        amount: yuan(l.amount),
        formula: l.formula,
        evidenceCount: counts.get(key) ?? 0,
        difference: adjusted ? yuan(l.amount - before(key)) : null,
      };
    }),
    excludedCount: counts.get(EXCLUDED_KEY) ?? 0,
    penalties: s.penalties.map((p) => {
      const key = penaltyKey(p.ruleId);
      return {
        key,
        rule: p.ruleId,
        kind: p.kind,
        effect: p.effect,
        label: p.kind,
        amount: yuan(p.amount),
        explanation: p.items.map((i) => i.formula).join('; '),
        items: p.items.map((i) => ({ evidenceIds: i.evidenceIds, amount: yuan(i.amount), formula: i.formula })),
        cap: p.cap ? { limit: yuan(p.cap.limit), prior: yuan(p.cap.prior), remaining: yuan(p.cap.remaining) } : null,
        evidenceCount: counts.get(key) ?? 0,
        difference: adjusted ? yuan(p.amount - penaltyBefore(p.ruleId)) : null,
      };
    }),
    gross: yuan(s.gross),
    billable: yuan(s.billable),
    capApplied: yuan(s.gross - s.billable),
    deductions: yuan(s.deductions),
    additions: yuan(s.additions),
    netPayable: yuan(s.netPayable),
    netPayableFen: s.netPayable,
    adjustment: adjusted ? { previousNetPayable: yuan(adjusted.netPayable), difference: yuan(amountDue) } : null,
    invoices: invoices.map((i) => ({ id: i.id, number: i.number, issuedOn: i.issuedOn, amount: yuan(i.amountFen), recordedBy: i.recordedBy, createdAt: i.createdAt.toISOString() })),
    payments: payments.map((p) => ({ id: p.id, paidOn: p.paidOn, amount: yuan(p.amountFen), reference: p.reference, recordedBy: p.recordedBy, createdAt: p.createdAt.toISOString() })),
    amountDue: yuan(amountDue),
    paid: yuan(standing?.paid ?? sumFen(payments.map((p) => p.amountFen))),
    outstanding: standing ? yuan(standing.outstanding) : null,
    dueOn: standing?.dueOn ?? null,
    overdue: standing?.overdue ?? false,
    interestOwed: standing?.interestOwed === null || standing === null ? null : yuan(standing.interestOwed),
  };
}

export async function getStatement(ctx: AppContext, principal: Principal, id: string) {
  const { row, contract } = await visibleStatement(ctx, principal, id);
  return statementView(ctx, row, contract);
}

export async function listStatements(ctx: AppContext, principal: Principal, q: { contractId?: string; status?: StatementStatus; limit?: number; offset?: number }) {
  const where = and(
    contractVisible(ctx, principal),
    q.contractId ? eq(settlementStatements.contractId, q.contractId) : undefined,
    q.status ? eq(settlementStatements.status, q.status) : undefined,
  );
  const rows = await ctx.db.orm
    .select({ row: settlementStatements, contract: settlementContracts })
    .from(settlementStatements)
    .innerJoin(settlementContracts, eq(settlementContracts.id, settlementStatements.contractId))
    .where(where)
    .orderBy(desc(settlementStatements.periodStart), asc(settlementContracts.code), asc(settlementStatements.createdAt))
    .limit(q.limit ?? 50)
    .offset(q.offset ?? 0);
  const [{ total } = { total: 0 }] = await ctx.db.orm
    .select({ total: count() })
    .from(settlementStatements)
    .innerJoin(settlementContracts, eq(settlementContracts.id, settlementStatements.contractId))
    .where(where);
  const names = await orgsByIds(
    ctx,
    rows.map((r) => r.contract.supplierOrgId),
  );
  return {
    items: rows.map(({ row, contract }) => ({
      ...statementHeading(row, contract, names),
      billable: yuan(row.billableFen),
      netPayable: yuan(row.netPayableFen),
    })),
    total: Number(total),
  };
}

/** The click-through: the recorded facts behind one line or penalty, in the order they were counted. */
export async function statementEvidence(ctx: AppContext, principal: Principal, id: string, q: { line: string; limit?: number; offset?: number }) {
  await visibleStatement(ctx, principal, id);
  const where = and(eq(settlementStatementEvidence.statementId, id), eq(settlementStatementEvidence.lineKey, q.line));
  const rows = await ctx.db.orm
    .select()
    .from(settlementStatementEvidence)
    .where(where)
    .orderBy(asc(settlementStatementEvidence.id))
    .limit(q.limit ?? 100)
    .offset(q.offset ?? 0);
  const [{ total } = { total: 0 }] = await ctx.db.orm.select({ total: count() }).from(settlementStatementEvidence).where(where);
  return { items: rows.map((r) => ({ evidenceId: r.evidenceId, kind: r.kind, on: r.on, details: r.data })), total: Number(total) };
}

/** The billing periods of a contract with the live statement of each (the adjustment approved in its place, if any). */
export async function contractPeriods(ctx: AppContext, principal: Principal, contractId: string) {
  const contract = await visibleContract(ctx, principal, contractId);
  const pure = pureContract(contract);
  const rows = await ctx.db.orm
    .select({ id: settlementStatements.id, start: settlementStatements.periodStart, end: settlementStatements.periodEnd, status: settlementStatements.status, kind: settlementStatements.kind })
    .from(settlementStatements)
    .where(and(eq(settlementStatements.contractId, contractId), EFFECTIVE_STATEMENT));
  const dues = pure.prices.flatMap((p) => (p.price.kind === 'SHARE_OF_TOTAL' ? [p.price.dueOn] : []));
  return {
    items: billingPeriods(pure).map((p) => {
      const found = rows.filter((r) => r.start === p.start && r.end === p.end).sort((a, b) => (a.kind === 'ADJUSTMENT' ? -1 : b.kind === 'ADJUSTMENT' ? 1 : 0))[0];
      return { start: p.start, end: p.end, due: dues.find((d) => d >= p.start && d <= p.end) ?? null, statementId: found?.id ?? null, status: found?.status ?? null };
    }),
  };
}

/** Spend against each visible contract's cap by month of the year: what effective statements billed, by the month their period ends. */
export async function dashboard(ctx: AppContext, principal: Principal, year: number) {
  const contracts = await ctx.db.orm.select().from(settlementContracts).where(contractVisible(ctx, principal)).orderBy(asc(settlementContracts.code));
  if (contracts.length === 0) return { contracts: [] };
  const rows = await ctx.db.orm
    .select({ contractId: settlementStatements.contractId, periodEnd: settlementStatements.periodEnd, billable: settlementStatements.billableFen })
    .from(settlementStatements)
    .where(
      and(
        inArray(
          settlementStatements.contractId,
          contracts.map((c) => c.id),
        ),
        lte(settlementStatements.periodEnd, `${year}-12-31`),
        EFFECTIVE_STATEMENT,
      ),
    );
  return {
    contracts: contracts.map((c) => {
      const mine = rows.filter((r) => r.contractId === c.id);
      let cumulative = sumFen(mine.filter((r) => r.periodEnd < `${year}-01-01`).map((r) => r.billable));
      const months = Array.from({ length: 12 }, (_, i) => {
        const month = `${year}-${String(i + 1).padStart(2, '0')}`;
        const billedFen = sumFen(mine.filter((r) => r.periodEnd.startsWith(month)).map((r) => r.billable));
        cumulative = sumFen([cumulative, billedFen]);
        return { month, billedFen, cumulativeFen: cumulative };
      });
      const cap = c.value.kind === 'CAP' ? c.value.cap : c.value.kind === 'FIXED_TOTAL' ? c.value.total : null;
      return { id: c.id, code: c.code, name: c.name, capFen: cap, months };
    }),
  };
}

/** Contracts whose billing periods ended before `today` without a statement: what the period-end job drafts. */
export async function periodsToDraft(ctx: AppContext, today: string): Promise<{ contract: ContractRow; start: string; end: string }[]> {
  const contracts = await ctx.db.orm.select().from(settlementContracts).where(lte(settlementContracts.termStart, today));
  const out: { contract: ContractRow; start: string; end: string }[] = [];
  for (const c of contracts) {
    const ended = billingPeriods(pureContract(c)).filter((p) => p.end < today);
    if (ended.length === 0) continue;
    const drafted = await ctx.db.orm
      .select({ start: settlementStatements.periodStart, end: settlementStatements.periodEnd })
      .from(settlementStatements)
      .where(and(eq(settlementStatements.contractId, c.id), eq(settlementStatements.kind, 'ORIGINAL'), gte(settlementStatements.periodEnd, c.termStart)));
    for (const p of ended) if (!drafted.some((d) => d.start === p.start && d.end === p.end)) out.push({ contract: c, start: p.start, end: p.end });
  }
  return out;
}
