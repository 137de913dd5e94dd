import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/service.ts';
import { can, type Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { orgsByIds } from '../orgs/service.ts';
import { assetView, visibleAsset, type AssetRow } from './assets.ts';
import { assetProblems, type AssetFields, type AssetStatus, type AssetType } from './ledger.ts';
import { maintenanceAssetChanges, maintenanceAssets, maintenanceContracts, maintenanceSites, maintenanceTickets } from './schema.ts';
import { contractVisible, siteVisible, visibleContract } from './scope.ts';
import { effectiveRatios, ratioProblems, restockable, stockLines, swapCreatesShortfall, swapProblem, type FaultyDestination, type StockLine } from './spares-rules.ts';
import { maintenanceSpareDepots, maintenanceSpareRatios } from './spares-schema.ts';

/**
 * Spare parts: depots, the stock they hold (spares are assets of the ledger with status SPARE at a
 * depot), the level each contract must keep, shortfalls, and swapping a spare for a faulty asset.
 */

type ContractRow = typeof maintenanceContracts.$inferSelect;
type DepotRow = typeof maintenanceSpareDepots.$inferSelect;

/** The maintainer keeps its own stock; on the client's side, a manager may too. */
function mayKeepStock(principal: Principal, contract: ContractRow): boolean {
  return principal.orgId === contract.maintainerOrgId ? can(principal, 'asset.manage') : can(principal, 'maintenance.manage');
}

async function depotInView(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm): Promise<{ depot: DepotRow; contract: ContractRow }> {
  const [row] = await q
    .select({ depot: maintenanceSpareDepots, contract: maintenanceContracts })
    .from(maintenanceSpareDepots)
    .innerJoin(maintenanceContracts, eq(maintenanceContracts.id, maintenanceSpareDepots.contractId))
    .where(and(eq(maintenanceSpareDepots.id, id), contractVisible(ctx, principal, q)));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** How many outlets a contract serves (core-system sites hold no outlet equipment). */
async function outletsServed(ctx: AppContext, contractId: string, q: Queryable = ctx.db.orm): Promise<number> {
  const sites = await q.select({ orgId: maintenanceSites.orgId }).from(maintenanceSites).where(eq(maintenanceSites.contractId, contractId));
  const orgs = await orgsByIds(ctx, sites.map((s) => s.orgId), q);
  return sites.filter((s) => orgs.get(s.orgId)?.kind === 'OUTLET').length;
}

async function ratioOverrides(q: Queryable, contractId: string): Promise<Map<AssetType, number>> {
  const rows = await q.select().from(maintenanceSpareRatios).where(eq(maintenanceSpareRatios.contractId, contractId));
  return new Map(rows.map((r) => [r.type, r.perMille]));
}

/** Spares in stock per depot and type for the given depots. */
async function stockByDepot(q: Queryable, depotIds: string[]): Promise<Map<string, Map<AssetType, number>>> {
  const out = new Map<string, Map<AssetType, number>>();
  if (depotIds.length === 0) return out;
  const rows = await q
    .select({ depotId: maintenanceAssets.depotId, type: maintenanceAssets.type, n: count() })
    .from(maintenanceAssets)
    .where(and(inArray(maintenanceAssets.depotId, depotIds), eq(maintenanceAssets.status, 'SPARE')))
    .groupBy(maintenanceAssets.depotId, maintenanceAssets.type);
  for (const r of rows) {
    const perType = out.get(r.depotId!) ?? new Map<AssetType, number>();
    perType.set(r.type, r.n);
    out.set(r.depotId!, perType);
  }
  return out;
}

function total(perDepot: Iterable<Map<AssetType, number>>): Map<AssetType, number> {
  const out = new Map<AssetType, number>();
  for (const perType of perDepot) for (const [type, n] of perType) out.set(type, (out.get(type) ?? 0) + n);
  return out;
}

/** Required level, stock and shortfall per type of one contract, from one consistent read. */
async function contractLines(ctx: AppContext, contractId: string, q: Queryable = ctx.db.orm): Promise<{ outlets: number; lines: (StockLine & { custom: boolean })[]; depots: DepotRow[]; stock: Map<string, Map<AssetType, number>> }> {
  const depots = await q.select().from(maintenanceSpareDepots).where(eq(maintenanceSpareDepots.contractId, contractId)).orderBy(asc(maintenanceSpareDepots.name));
  const stock = await stockByDepot(q, depots.map((d) => d.id));
  const outlets = await outletsServed(ctx, contractId, q);
  const ratios = effectiveRatios(await ratioOverrides(q, contractId));
  const lines = stockLines(outlets, ratios, total(stock.values())).map((l) => ({ ...l, custom: ratios[l.type].custom }));
  return { outlets, lines, depots, stock };
}

async function visibleContracts(ctx: AppContext, principal: Principal, contractId?: string): Promise<ContractRow[]> {
  return ctx.db.orm
    .select()
    .from(maintenanceContracts)
    .where(and(contractVisible(ctx, principal), contractId ? eq(maintenanceContracts.id, contractId) : undefined))
    .orderBy(asc(maintenanceContracts.name));
}

/** Per visible contract: outlets served, every type's share, required level, stock and shortfall, and each depot's stock. */
export async function spareStock(ctx: AppContext, principal: Principal, contractId?: string) {
  const contracts = await visibleContracts(ctx, principal, contractId);
  const out = [];
  for (const c of contracts) {
    const { outlets, lines, depots, stock } = await contractLines(ctx, c.id);
    const sites = await orgsByIds(ctx, depots.map((d) => d.siteOrgId));
    out.push({
      contractId: c.id,
      contractName: c.name,
      outlets,
      mayKeepStock: mayKeepStock(principal, c),
      lines,
      depots: depots.map((d) => ({
        id: d.id,
        name: d.name,
        address: d.address,
        siteOrgId: d.siteOrgId,
        siteName: sites.get(d.siteOrgId)?.name ?? '',
        stock: Object.fromEntries(stock.get(d.id) ?? new Map<AssetType, number>()),
      })),
    });
  }
  return { contracts: out };
}

/** Every type of every visible contract whose stock is below its required level. */
export async function spareShortfalls(ctx: AppContext, principal: Principal, contractId?: string) {
  const { contracts } = await spareStock(ctx, principal, contractId);
  return {
    items: contracts.flatMap((c) =>
      c.lines.filter((l) => l.shortfall > 0).map((l) => ({ contractId: c.contractId, contractName: c.contractName, outlets: c.outlets, type: l.type, perMille: l.perMille, required: l.required, stock: l.stock, shortfall: l.shortfall })),
    ),
  };
}

export async function createDepot(ctx: AppContext, principal: Principal, input: { contractId: string; siteOrgId: string; name: string; address: string }) {
  const name = input.name.trim();
  const address = input.address.trim();
  const invalid = (reason: string) => new AppError('SPARE_DEPOT_INVALID', { params: { reason } });
  if (name === '' || address === '') throw invalid('name and address are required');
  return ctx.db.orm.transaction(async (tx) => {
    const contract = await visibleContract(ctx, principal, input.contractId, tx);
    if (!mayKeepStock(principal, contract)) throw new AppError('FORBIDDEN');
    const [site] = await tx
      .select({ orgId: maintenanceSites.orgId })
      .from(maintenanceSites)
      .where(and(eq(maintenanceSites.orgId, input.siteOrgId), eq(maintenanceSites.contractId, contract.id)));
    if (!site) throw invalid('the stock must be registered under a site of the same contract');
    const [taken] = await tx
      .select({ id: maintenanceSpareDepots.id })
      .from(maintenanceSpareDepots)
      .where(and(eq(maintenanceSpareDepots.contractId, contract.id), eq(maintenanceSpareDepots.name, name)));
    if (taken) throw invalid(`the contract already has a depot named ${name}`);
    const [depot] = await tx.insert(maintenanceSpareDepots).values({ contractId: contract.id, siteOrgId: site.orgId, name, address }).returning();
    return depot!;
  });
}

/** Sets the contract's own shares; a null share goes back to seed 001's. */
export async function setSpareRatios(ctx: AppContext, principal: Principal, contractId: string, ratios: { type: AssetType; perMille: number | null }[]) {
  const problems = ratioProblems(ratios.map((r) => ({ type: r.type, perMille: r.perMille ?? 0 })));
  if (problems.length > 0) throw new AppError('SPARE_RATIO_INVALID', { params: { reason: problems.join('; ') }, details: { problems } });
  await ctx.db.orm.transaction(async (tx) => {
    const contract = await visibleContract(ctx, principal, contractId, tx);
    if (principal.orgId === contract.maintainerOrgId || !can(principal, 'maintenance.manage')) throw new AppError('FORBIDDEN');
    for (const r of ratios) {
      const key = and(eq(maintenanceSpareRatios.contractId, contract.id), eq(maintenanceSpareRatios.type, r.type));
      if (r.perMille === null) await tx.delete(maintenanceSpareRatios).where(key);
      else {
        await tx
          .insert(maintenanceSpareRatios)
          .values({ contractId: contract.id, type: r.type, perMille: r.perMille })
          .onConflictDoUpdate({ target: [maintenanceSpareRatios.contractId, maintenanceSpareRatios.type], set: { perMille: r.perMille, updatedAt: new Date() } });
      }
    }
  });
  return spareStock(ctx, principal, contractId);
}

type Location = { status: AssetStatus; siteOrgId: string; depotId: string | null };
const MOVED_FIELDS = ['status', 'siteOrgId', 'depotId'] as const;

/** Moves an asset and keeps the move in its history (old → new of each field that changed). */
async function moveAsset(tx: Tx, principal: Principal, asset: AssetRow, to: Location): Promise<AssetRow> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const f of MOVED_FIELDS) if (asset[f] !== to[f]) changes[f] = { from: asset[f], to: to[f] };
  if (Object.keys(changes).length === 0) return asset;
  const [{ seq } = { seq: 0 }] = await tx.select({ seq: sql<number>`coalesce(max(${maintenanceAssetChanges.seq}), 0)::int` }).from(maintenanceAssetChanges).where(eq(maintenanceAssetChanges.assetId, asset.id));
  const [moved] = await tx
    .update(maintenanceAssets)
    .set({ ...to, updatedAt: new Date() })
    .where(eq(maintenanceAssets.id, asset.id))
    .returning();
  await tx.insert(maintenanceAssetChanges).values({ assetId: asset.id, seq: seq + 1, kind: 'UPDATE', changes, actorId: principal.id, actorName: principal.name });
  return moved!;
}

async function lockAssets(tx: Tx, ids: string[]): Promise<Map<string, AssetRow>> {
  // Always in id order, so two swaps sharing an asset cannot deadlock.
  const rows = await tx
    .select()
    .from(maintenanceAssets)
    .where(inArray(maintenanceAssets.id, ids))
    .orderBy(asc(maintenanceAssets.id))
    .for('update');
  return new Map(rows.map((r) => [r.id, r]));
}

async function viewOf(ctx: AppContext, rows: AssetRow[]) {
  const names = await orgsByIds(ctx, rows.map((r) => r.siteOrgId));
  return rows.map((r) => ({ ...assetView(r, names.get(r.siteOrgId)?.name ?? ''), depotId: r.depotId }));
}

export type NewSpare = Omit<AssetFields, 'status'>;

/** A new spare delivered to a depot: a new asset of the ledger, status SPARE, registered under the depot's site. */
export async function receiveSpare(ctx: AppContext, principal: Principal, depotId: string, input: NewSpare) {
  const fields: AssetFields = { ...input, status: 'SPARE' };
  const problems = assetProblems(fields);
  if (problems.length > 0) throw new AppError('ASSET_INVALID', { params: { reason: problems.join('; ') }, details: { problems } });
  const row = await ctx.db.orm.transaction(async (tx) => {
    const { depot, contract } = await depotInView(ctx, principal, depotId, tx);
    if (!mayKeepStock(principal, contract)) throw new AppError('FORBIDDEN');
    const [taken] = await tx.select({ id: maintenanceAssets.id }).from(maintenanceAssets).where(sql`upper(${maintenanceAssets.serial}) = upper(${fields.serial})`);
    if (taken) throw new AppError('ASSET_SERIAL_TAKEN', { params: { serial: fields.serial } });
    const values = { ...fields, siteOrgId: depot.siteOrgId, depotId: depot.id };
    const [asset] = await tx.insert(maintenanceAssets).values(values).returning();
    const changes = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { from: null, to: v }]));
    await tx.insert(maintenanceAssetChanges).values({ assetId: asset!.id, seq: 1, kind: 'CREATE', changes, actorId: principal.id, actorName: principal.name });
    return asset!;
  });
  return (await viewOf(ctx, [row]))[0]!;
}

/** The contract serving the site an asset is registered under. */
async function contractOfSite(q: Queryable, siteOrgId: string): Promise<string | null> {
  const [site] = await q.select({ contractId: maintenanceSites.contractId }).from(maintenanceSites).where(eq(maintenanceSites.orgId, siteOrgId));
  return site?.contractId ?? null;
}

/** An asset back from repair (or a spare registered at an outlet) taken into a depot's stock. */
export async function restockAsset(ctx: AppContext, principal: Principal, assetId: string, depotId: string) {
  const row = await ctx.db.orm.transaction(async (tx) => {
    await visibleAsset(ctx, principal, assetId, tx);
    const { depot, contract } = await depotInView(ctx, principal, depotId, tx);
    if (!mayKeepStock(principal, contract)) throw new AppError('FORBIDDEN');
    const asset = (await lockAssets(tx, [assetId])).get(assetId)!;
    if (!restockable(asset.status)) throw new AppError('SPARE_RESTOCK_INVALID', { params: { status: asset.status } });
    if ((await contractOfSite(tx, asset.siteOrgId)) !== contract.id) throw new AppError('SPARE_OTHER_CONTRACT');
    return moveAsset(tx, principal, asset, { status: 'SPARE', siteOrgId: depot.siteOrgId, depotId: depot.id });
  });
  return (await viewOf(ctx, [row]))[0]!;
}

export interface SwapInput {
  spareId: string;
  assetId: string;
  ticketId?: string | null;
  faultyStatus?: FaultyDestination;
}

/**
 * Takes a spare from its depot to replace a faulty asset, in one transaction: the spare goes into
 * service at the outlet, the faulty asset goes to the spare's depot (in repair, or marked faulty),
 * both moves in the ledger history. When the swap leaves the contract short of that type, an audit
 * entry says so and the answer carries the shortfall.
 */
export async function swapSpare(ctx: AppContext, principal: Principal, input: SwapInput) {
  const result = await ctx.db.orm.transaction(async (tx) => {
    await visibleAsset(ctx, principal, input.spareId, tx);
    await visibleAsset(ctx, principal, input.assetId, tx);
    const locked = await lockAssets(tx, [input.spareId, input.assetId]);
    const spare = locked.get(input.spareId)!;
    const faulty = locked.get(input.assetId)!;
    const depot = spare.depotId ? (await depotInView(ctx, principal, spare.depotId, tx)) : null;
    const problem = swapProblem(
      { id: spare.id, type: spare.type, status: spare.status, depotId: spare.depotId, contractId: depot?.contract.id ?? null },
      { id: faulty.id, type: faulty.type, status: faulty.status, depotId: faulty.depotId, contractId: await contractOfSite(tx, faulty.siteOrgId) },
    );
    if (problem === 'SPARE_TYPE_MISMATCH') throw new AppError(problem, { params: { spareType: spare.type, assetType: faulty.type } });
    if (problem) throw new AppError(problem);
    const { depot: at, contract } = depot!;
    if (!mayKeepStock(principal, contract)) throw new AppError('FORBIDDEN');
    if (input.ticketId) {
      const [ticket] = await tx
        .select({ siteOrgId: maintenanceTickets.siteOrgId, assetId: maintenanceTickets.assetId })
        .from(maintenanceTickets)
        .where(and(eq(maintenanceTickets.id, input.ticketId), siteVisible(ctx, principal, maintenanceTickets.siteOrgId, maintenanceTickets.contractId, tx)));
      if (!ticket || ticket.siteOrgId !== faulty.siteOrgId || (ticket.assetId !== null && ticket.assetId !== faulty.id)) throw new AppError('SPARE_TICKET_MISMATCH');
    }
    const before = (await contractLines(ctx, contract.id, tx)).lines.find((l) => l.type === spare.type)!;
    const inService = await moveAsset(tx, principal, spare, { status: 'IN_SERVICE', siteOrgId: faulty.siteOrgId, depotId: null });
    const replaced = await moveAsset(tx, principal, faulty, { status: input.faultyStatus ?? 'IN_REPAIR', siteOrgId: at.siteOrgId, depotId: at.id });
    const after = { type: spare.type, required: before.required, stock: before.stock - 1, shortfall: Math.max(0, before.required - (before.stock - 1)) };
    const created = swapCreatesShortfall(before.required, before.stock);
    if (created) {
      await appendAudit(
        ctx,
        {
          actorType: principal.type,
          actorId: principal.id,
          actorName: principal.name,
          orgId: principal.orgId,
          action: 'maintenance.spares.shortfall',
          targetType: 'maintenance_contract',
          targetId: contract.id,
          outcome: 'SUCCESS',
          details: { ...after, spareId: spare.id, replacedId: faulty.id, ticketId: input.ticketId ?? null },
        },
        tx,
      );
    }
    return { inService, replaced, contractId: contract.id, shortfall: after.shortfall > 0 ? after : null, shortfallCreated: created };
  });
  const [spare, replaced] = await viewOf(ctx, [result.inService, result.replaced]);
  return { spare: spare!, replaced: replaced!, contractId: result.contractId, shortfall: result.shortfall, shortfallCreated: result.shortfallCreated };
}

/** What is at one depot: its spares and the faulty assets waiting there for repair. */
export async function listDepotSpares(ctx: AppContext, principal: Principal, depotId: string) {
  const { depot } = await depotInView(ctx, principal, depotId);
  const rows = await ctx.db.orm
    .select()
    .from(maintenanceAssets)
    .where(eq(maintenanceAssets.depotId, depot.id))
    .orderBy(asc(maintenanceAssets.type), asc(maintenanceAssets.serial));
  return { items: await viewOf(ctx, rows) };
}
