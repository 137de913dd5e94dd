import { and, asc, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { canonicalJson } from '../../platform/audit/canonical.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { findOrg, orgIdsInScope, orgsByIds } from '../orgs/service.ts';
import { maintenanceContractExists } from '../maintenance/settlement-feed.ts';
import { assertValidContract, termEnd, type Contract, type ServiceKind } from './contract-rules.ts';
import { parseRate } from './money.ts';
import { settlementContracts, settlementStatements, type ContractSource } from './schema.ts';
import { rateToWire, termsFromWire, termsToWire, type WireContractTerms } from './wire.ts';

/** Settlement contracts: stored, validated by the pure rules, and visible to their authority and their supplier. */

export type ContractRow = typeof settlementContracts.$inferSelect;

export interface ContractInput extends WireContractTerms {
  code: string;
  name: string;
  authorityOrgId: string;
  supplierOrgId: string;
  serviceKind: ServiceKind;
  source: ContractSource;
  paymentTermDays: number | null;
  interestPerDay: string | null;
}

export const CARD_SERVICES: readonly ServiceKind[] = ['CARD_PRODUCTION', 'CARD_PURCHASE_PERSONALISATION'];

export function pureContract(row: ContractRow): Contract {
  return {
    id: row.id,
    contractNo: row.code,
    authorityOrgId: row.authorityOrgId,
    supplierOrgId: row.supplierOrgId,
    serviceKind: row.serviceKind,
    term: { start: row.termStart, end: row.termEnd, renewal: row.renewal ?? null },
    cycle: row.cycle,
    value: row.value,
    lotCaps: row.lotCaps,
    prices: row.prices,
    penalties: row.penalties,
  };
}

/** Contracts the principal may see: signed by an authority in its scope, or held by its own organisation as supplier. */
export function contractVisible(ctx: AppContext, principal: Principal, q: Queryable = ctx.db.orm): SQL {
  return or(inArray(settlementContracts.authorityOrgId, orgIdsInScope(ctx, principal, q)), eq(settlementContracts.supplierOrgId, principal.orgId))!;
}

/** The contract if visible, else NOT_FOUND (an unknown id and another party's contract read the same). */
export async function visibleContract(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm): Promise<ContractRow> {
  const [row] = await q
    .select()
    .from(settlementContracts)
    .where(and(eq(settlementContracts.id, id), contractVisible(ctx, principal, q)));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** A contract the principal may change: only the signing authority's side, never the supplier. */
async function managedContract(ctx: AppContext, principal: Principal, id: string, q: Queryable): Promise<ContractRow> {
  const [row] = await q
    .select()
    .from(settlementContracts)
    .where(and(eq(settlementContracts.id, id), inArray(settlementContracts.authorityOrgId, orgIdsInScope(ctx, principal, q))));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

function sourceProblem(reason: string): AppError {
  return new AppError('SETTLEMENT_SOURCE_INVALID', { params: { reason } });
}

/** What the statement drafts from must fit the service: programmes for cards, providers for SMS, a maintenance contract for breaches. */
async function checkSource(ctx: AppContext, input: ContractInput): Promise<ContractSource> {
  const s = input.source;
  if (CARD_SERVICES.includes(input.serviceKind) && (s.programmeIds ?? []).length === 0) throw sourceProblem('a card contract names the programmes it makes cards for');
  if (input.serviceKind === 'SMS' && (s.smsProviders ?? []).length === 0) throw sourceProblem('an SMS contract names the providers whose traffic it bills');
  const lotNames = new Set(input.prices.map((p) => p.lot).filter((l): l is string => l !== null));
  for (const [org, lot] of Object.entries(s.lotByReceiverOrgId ?? {})) {
    if (!lotNames.has(lot)) throw sourceProblem(`receiver ${org} is put in lot ${lot}, which has no prices`);
  }
  if (lotNames.size > 0 && Object.keys(s.lotByReceiverOrgId ?? {}).length === 0) throw sourceProblem('a contract with lots says which receiving organisation belongs to which lot');
  const readsBreaches = input.penaltyRules.some((r) => r.kind === 'PER_BREACH');
  if (readsBreaches && !s.maintenanceContractId) throw sourceProblem('a breach rule reads the breach register of a maintenance contract; name it');
  if (s.maintenanceContractId && !(await maintenanceContractExists(ctx, s.maintenanceContractId))) throw sourceProblem(`maintenance contract ${s.maintenanceContractId} does not exist`);
  return s;
}

async function checkParties(ctx: AppContext, principal: Principal, input: ContractInput): Promise<void> {
  const authority = await findOrg(ctx, input.authorityOrgId);
  const supplier = await findOrg(ctx, input.supplierOrgId);
  if (!authority || authority.kind !== 'AUTHORITY' || !authority.path.startsWith(principal.orgPath)) throw new AppError('SETTLEMENT_CONTRACT_INVALID', { params: { reason: 'the authority must be an authority organisation in your scope' } });
  if (!supplier || supplier.kind === 'AUTHORITY') throw new AppError('SETTLEMENT_CONTRACT_INVALID', { params: { reason: 'the supplier must be a producer, bank, maintainer or SMS provider organisation' } });
}

/** The pure contract of an input, refusing anything the rules refuse (overlap with the stored contracts included). */
async function validated(ctx: AppContext, input: ContractInput, id: string, q: Queryable): Promise<Contract> {
  const terms = termsFromWire(input);
  const contract: Contract = { id, contractNo: input.code, authorityOrgId: input.authorityOrgId, supplierOrgId: input.supplierOrgId, serviceKind: input.serviceKind, ...terms };
  const others = await q
    .select()
    .from(settlementContracts)
    .where(and(eq(settlementContracts.supplierOrgId, input.supplierOrgId), eq(settlementContracts.serviceKind, input.serviceKind), ne(settlementContracts.id, id)));
  assertValidContract(contract, others.map(pureContract));
  if (input.interestPerDay !== null) parseRate(input.interestPerDay);
  return contract;
}

function rowValues(input: ContractInput, c: Contract, source: ContractSource) {
  return {
    code: input.code,
    name: input.name,
    authorityOrgId: input.authorityOrgId,
    supplierOrgId: input.supplierOrgId,
    serviceKind: input.serviceKind,
    termStart: c.term.start,
    termEnd: c.term.end,
    renewal: c.term.renewal,
    cycle: c.cycle,
    value: c.value,
    lotCaps: c.lotCaps,
    prices: c.prices,
    penalties: c.penalties,
    source,
    paymentTermDays: input.paymentTermDays,
    interestPerDay: input.interestPerDay === null ? null : parseRate(input.interestPerDay),
  };
}

function codeTaken(err: unknown, code: string): never {
  const text = String((err as { cause?: { message?: string } })?.cause?.message ?? (err as Error)?.message ?? '');
  if (text.includes('settlement_contracts_code_key')) throw new AppError('SETTLEMENT_CONTRACT_INVALID', { params: { reason: `contract number ${code} is already used` } });
  throw err;
}

export async function createContract(ctx: AppContext, principal: Principal, input: ContractInput): Promise<ContractRow> {
  await checkParties(ctx, principal, input);
  const source = await checkSource(ctx, input);
  return ctx.db.orm.transaction(async (tx) => {
    // One contract at a time per supplier and service, so two overlapping ones cannot both pass the check.
    await tx.execute(advisoryLock(input.supplierOrgId, input.serviceKind));
    const c = await validated(ctx, input, '00000000-0000-0000-0000-000000000000', tx);
    const [row] = await tx
      .insert(settlementContracts)
      .values(rowValues(input, c, source))
      .returning()
      .catch((err: unknown) => codeTaken(err, input.code));
    return row!;
  });
}

function advisoryLock(supplierOrgId: string, serviceKind: string): SQL {
  return sql`select pg_advisory_xact_lock(hashtext(${`settlement:${supplierOrgId}:${serviceKind}`}))`;
}

/** Whether the contract has an approved (or superseded) statement: from then on its terms are what was paid on. */
async function hasApprovedStatement(q: Queryable, contractId: string): Promise<boolean> {
  const [row] = await q
    .select({ id: settlementStatements.id })
    .from(settlementStatements)
    .where(and(eq(settlementStatements.contractId, contractId), inArray(settlementStatements.status, ['APPROVED', 'SUPERSEDED'])))
    .limit(1);
  return row !== undefined;
}

/**
 * Replaces a contract's terms. Once a statement of it is approved only more renewals taken may be
 * added (seed 000 renews a year at a time): anything else would change what was already paid on.
 */
export async function updateContract(ctx: AppContext, principal: Principal, id: string, input: ContractInput): Promise<ContractRow> {
  await checkParties(ctx, principal, input);
  const source = await checkSource(ctx, input);
  return ctx.db.orm.transaction(async (tx) => {
    const current = await managedContract(ctx, principal, id, tx);
    await tx.execute(advisoryLock(input.supplierOrgId, input.serviceKind));
    const c = await validated(ctx, input, id, tx);
    const values = rowValues(input, c, source);
    if (await hasApprovedStatement(tx, id)) {
      // Stored jsonb comes back with its keys reordered, so the comparison is of canonical JSON.
      const strip = (v: ReturnType<typeof rowValues>) => canonicalJson({ ...v, renewal: v.renewal ? { ...v.renewal, taken: 0 } : null });
      const was = rowValues(contractInputOf(current), pureContract(current), current.source);
      const takenBefore = current.renewal?.taken ?? 0;
      const takenNow = values.renewal?.taken ?? 0;
      if (strip(values) !== strip(was) || takenNow < takenBefore) throw new AppError('SETTLEMENT_CONTRACT_LOCKED', { params: { contract: current.code } });
    }
    const [row] = await tx
      .update(settlementContracts)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(settlementContracts.id, id))
      .returning()
      .catch((err: unknown) => codeTaken(err, input.code));
    return row!;
  });
}

export function contractInputOf(row: ContractRow): ContractInput {
  return {
    code: row.code,
    name: row.name,
    authorityOrgId: row.authorityOrgId,
    supplierOrgId: row.supplierOrgId,
    serviceKind: row.serviceKind,
    ...termsToWire(pureContract(row)),
    source: row.source,
    paymentTermDays: row.paymentTermDays,
    interestPerDay: rateToWire(row.interestPerDay),
  };
}

export async function listContracts(ctx: AppContext, principal: Principal, filter: { serviceKind?: ServiceKind; supplierOrgId?: string }): Promise<ContractRow[]> {
  return ctx.db.orm
    .select()
    .from(settlementContracts)
    .where(
      and(
        contractVisible(ctx, principal),
        filter.serviceKind ? eq(settlementContracts.serviceKind, filter.serviceKind) : undefined,
        filter.supplierOrgId ? eq(settlementContracts.supplierOrgId, filter.supplierOrgId) : undefined,
      ),
    )
    .orderBy(asc(settlementContracts.termStart), asc(settlementContracts.code));
}

/** The contract as the API shows it: its terms as text, both parties by name, and what it has billed so far. */
export async function contractViews(ctx: AppContext, rows: readonly ContractRow[]) {
  const names = await orgsByIds(
    ctx,
    rows.flatMap((r) => [r.authorityOrgId, r.supplierOrgId]),
  );
  const billed = await billedByContract(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    ...contractInputOf(r),
    authorityName: names.get(r.authorityOrgId)?.name ?? '',
    supplierName: names.get(r.supplierOrgId)?.name ?? '',
    termEnd: termEnd(pureContract(r).term),
    billedToDateFen: billed.get(r.id) ?? 0,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/**
 * What a statement counts against caps: the live ORIGINAL statement of a period, or the adjustment
 * approved in its place; never a superseded one or an adjustment still in review.
 */
export const EFFECTIVE_STATEMENT = sql`${settlementStatements.status} <> 'SUPERSEDED' and (${settlementStatements.kind} = 'ORIGINAL' or ${settlementStatements.status} = 'APPROVED')`;

async function billedByContract(ctx: AppContext, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db.orm
    .select({ contractId: settlementStatements.contractId, billed: sql<string>`coalesce(sum(${settlementStatements.billableFen}), 0)` })
    .from(settlementStatements)
    .where(and(inArray(settlementStatements.contractId, ids), EFFECTIVE_STATEMENT))
    .groupBy(settlementStatements.contractId);
  return new Map(rows.map((r) => [r.contractId, Number(r.billed)]));
}

