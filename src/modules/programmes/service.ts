import { randomUUID } from 'node:crypto';
import { anyOf } from '../../platform/db/any-of.ts';
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { orgInScope } from '../../platform/auth/principal.ts';
import { findOrg, getOrgInScope, orgIdsInScope, orgsByIds } from '../orgs/service.ts';
import { programmeProducers, programmeReceivers, programmes, type DeadlineUnit, type PackingOrder, type ProgrammeKind } from './schema.ts';
import { defaultSettings, receiverKindAllowed, settingsProblems, type Deadline, type ProgrammeSettings } from './rules.ts';

export type ProgrammeRow = typeof programmes.$inferSelect;

export interface ProgrammeView {
  id: string;
  kind: ProgrammeKind;
  name: string;
  authorityOrgId: string;
  authorityOrgName: string;
  productionDeadline: Deadline;
  deliveryDeadline: Deadline | null;
  productionRegionPrefix: string;
  batchSizeLimit: number;
  personalisationRetentionHours: number;
  closedApplicationRetentionDays: number;
  packingOrder: PackingOrder;
  producers: { id: string; name: string }[];
  receivers: { id: string; name: string; kind: string }[];
  createdAt: string;
  updatedAt: string;
}

/**
 * Programmes a principal may see: an authority those it runs within its subtree and those its
 * subtree's outlets take part in; anyone else those its own organisation takes part in.
 */
function visibleCondition(ctx: AppContext, principal: Principal, q: Queryable) {
  const ownOrgs = orgIdsInScope(ctx, principal, q);
  const participating = or(
    inArray(programmes.id, q.select({ id: programmeReceivers.programmeId }).from(programmeReceivers).where(inArray(programmeReceivers.orgId, ownOrgs))),
    inArray(programmes.id, q.select({ id: programmeProducers.programmeId }).from(programmeProducers).where(inArray(programmeProducers.orgId, ownOrgs))),
  )!;
  if (principal.scope !== 'subtree') return participating;
  return or(inArray(programmes.authorityOrgId, ownOrgs), participating)!;
}

async function views(ctx: AppContext, rows: ProgrammeRow[], q: Queryable = ctx.db.orm): Promise<ProgrammeView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const producerRows = await q.select().from(programmeProducers).where(anyOf(programmeProducers.programmeId, ids));
  const receiverRows = await q.select().from(programmeReceivers).where(anyOf(programmeReceivers.programmeId, ids));
  const orgs = await orgsByIds(ctx, [...rows.map((r) => r.authorityOrgId), ...producerRows.map((p) => p.orgId), ...receiverRows.map((p) => p.orgId)], q);
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const producers = producerRows.map((p) => ({ programmeId: p.programmeId, id: p.orgId, name: orgs.get(p.orgId)?.name ?? '' })).sort(byName);
  const receivers = receiverRows.map((p) => ({ programmeId: p.programmeId, id: p.orgId, name: orgs.get(p.orgId)?.name ?? '', kind: orgs.get(p.orgId)?.kind ?? p.orgKind })).sort(byName);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    authorityOrgId: r.authorityOrgId,
    authorityOrgName: orgs.get(r.authorityOrgId)?.name ?? '',
    productionDeadline: { amount: r.productionDeadlineAmount, unit: r.productionDeadlineUnit },
    deliveryDeadline: r.deliveryDeadlineAmount !== null && r.deliveryDeadlineUnit !== null ? { amount: r.deliveryDeadlineAmount, unit: r.deliveryDeadlineUnit } : null,
    productionRegionPrefix: r.productionRegionPrefix,
    batchSizeLimit: r.batchSizeLimit,
    personalisationRetentionHours: r.personalisationRetentionHours,
    closedApplicationRetentionDays: r.closedApplicationRetentionDays,
    packingOrder: r.packingOrder,
    producers: producers.filter((p) => p.programmeId === r.id).map(({ id, name }) => ({ id, name })),
    receivers: receivers.filter((p) => p.programmeId === r.id).map(({ id, name, kind }) => ({ id, name, kind })),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function listProgrammes(ctx: AppContext, principal: Principal, filter: { kind?: ProgrammeKind } = {}): Promise<ProgrammeView[]> {
  const conditions = [visibleCondition(ctx, principal, ctx.db.orm)];
  if (filter.kind) conditions.push(eq(programmes.kind, filter.kind));
  const rows = await ctx.db.orm.select().from(programmes).where(and(...conditions)).orderBy(asc(programmes.name), asc(programmes.id));
  return views(ctx, rows);
}

/** The programme if the principal may see it; otherwise OUT_OF_SCOPE, like a missing one. */
export async function getProgrammeRow(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm): Promise<ProgrammeRow> {
  const [row] = await q.select().from(programmes).where(and(eq(programmes.id, id), visibleCondition(ctx, principal, q)));
  if (!row) throw new AppError('OUT_OF_SCOPE');
  return row;
}

export async function getProgramme(ctx: AppContext, principal: Principal, id: string): Promise<ProgrammeView> {
  return (await views(ctx, [await getProgrammeRow(ctx, principal, id)]))[0]!;
}

/** Whether an organisation takes applications for (or receives cards of) a programme. */
export async function receiverOf(ctx: AppContext, programmeId: string, orgId: string, q: Queryable = ctx.db.orm): Promise<'OUTLET' | 'BANK' | null> {
  const [row] = await q
    .select({ kind: programmeReceivers.orgKind })
    .from(programmeReceivers)
    .where(and(eq(programmeReceivers.programmeId, programmeId), eq(programmeReceivers.orgId, orgId)));
  return row?.kind ?? null;
}

/** The organisations of one kind that take part in a programme as receivers (outlets or banks). */
export async function programmeReceiverIds(ctx: AppContext, programmeId: string, kind: 'OUTLET' | 'BANK', q: Queryable = ctx.db.orm): Promise<string[]> {
  const rows = await q
    .select({ orgId: programmeReceivers.orgId })
    .from(programmeReceivers)
    .where(and(eq(programmeReceivers.programmeId, programmeId), eq(programmeReceivers.orgKind, kind)));
  return rows.map((r) => r.orgId);
}

/** Programmes run by an authority in the principal's subtree, as a subquery other modules filter by. */
export function programmeIdsRunBy(ctx: AppContext, principal: Principal, q: Queryable = ctx.db.orm) {
  return q.select({ id: programmes.id }).from(programmes).where(inArray(programmes.authorityOrgId, orgIdsInScope(ctx, principal, q)));
}

/** Name and kind of programmes by id, for other modules' views. */
export async function programmeSummaries(ctx: AppContext, ids: string[], q: Queryable = ctx.db.orm): Promise<Map<string, { id: string; name: string; kind: ProgrammeKind }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await q.select({ id: programmes.id, name: programmes.name, kind: programmes.kind }).from(programmes).where(anyOf(programmes.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

/** Names of programmes by id, for other modules' views. */
export async function programmeNames(ctx: AppContext, ids: string[], q: Queryable = ctx.db.orm): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await q.select({ id: programmes.id, name: programmes.name }).from(programmes).where(anyOf(programmes.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

const NAME_CACHE_MS = 60_000;
const nameCache = new Map<string, { name: string; until: number }>();

/**
 * programmeNames for the public progress lookup: names held for a minute, since every holder's lookup
 * asks for one of a handful of programmes and a renamed programme may show its old name that long.
 */
export async function programmeNamesCached(ctx: AppContext, ids: string[]): Promise<Map<string, string>> {
  const now = Date.now();
  const out = new Map<string, string>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const hit = nameCache.get(id);
    if (hit && hit.until > now) out.set(id, hit.name);
    else missing.push(id);
  }
  for (const [id, name] of await programmeNames(ctx, missing)) {
    nameCache.set(id, { name, until: now + NAME_CACHE_MS });
    out.set(id, name);
  }
  return out;
}

/** Programme id, kind and authority path: for modules that scope their records by programme. */
export async function programmeFacts(ctx: AppContext, id: string, q: Queryable = ctx.db.orm) {
  const [row] = await q.select({ id: programmes.id, kind: programmes.kind, authorityOrgId: programmes.authorityOrgId }).from(programmes).where(eq(programmes.id, id));
  if (!row) return null;
  const authority = await findOrg(ctx, row.authorityOrgId, q);
  return { ...row, authorityPath: authority?.path ?? '' };
}

export interface ProgrammeInput {
  kind: ProgrammeKind;
  name: string;
  authorityOrgId: string;
  productionDeadline?: Deadline;
  deliveryDeadline?: Deadline | null;
  productionRegionPrefix?: string;
  batchSizeLimit?: number;
  personalisationRetentionHours?: number;
  closedApplicationRetentionDays?: number;
  packingOrder?: PackingOrder;
  producerOrgIds?: string[];
  receiverOrgIds?: string[];
}

function assertSettings(s: ProgrammeSettings): void {
  const problems = settingsProblems(s);
  if (problems.length) throw new AppError('PROGRAMME_INVALID', { params: { reason: problems.join('; ') }, details: { problems } });
}

/** Checks participants: producers are PRODUCER organisations, receivers outlets (or banks for SSC), all under the authority. */
async function participants(ctx: AppContext, authorityPath: string, kind: ProgrammeKind, producerIds: string[], receiverIds: string[], q: Queryable) {
  const ids = [...new Set([...producerIds, ...receiverIds])];
  const byId = await orgsByIds(ctx, ids, q);
  const problems: string[] = [];
  for (const id of new Set(producerIds)) {
    const o = byId.get(id);
    if (!o || !o.path.startsWith(authorityPath)) problems.push(`producer ${id} is not an organisation under the authority`);
    else if (o.kind !== 'PRODUCER') problems.push(`producer ${id} is a ${o.kind}, not a PRODUCER`);
  }
  const receivers: { orgId: string; orgKind: 'OUTLET' | 'BANK' }[] = [];
  for (const id of new Set(receiverIds)) {
    const o = byId.get(id);
    if (!o || !o.path.startsWith(authorityPath)) problems.push(`receiver ${id} is not an organisation under the authority`);
    else if (!receiverKindAllowed(kind, o.kind)) problems.push(`receiver ${id} is a ${o.kind}; ${kind === 'SOCIAL_SECURITY_CARD' ? 'OUTLET or BANK' : 'OUTLET'} expected`);
    else receivers.push({ orgId: id, orgKind: o.kind as 'OUTLET' | 'BANK' });
  }
  if (problems.length) throw new AppError('PROGRAMME_INVALID', { params: { reason: problems.join('; ') }, details: { problems } });
  return { producers: [...new Set(producerIds)], receivers };
}

export async function createProgramme(ctx: AppContext, principal: Principal, input: ProgrammeInput): Promise<ProgrammeView> {
  const authority = await getOrgInScope(ctx, principal, input.authorityOrgId);
  if (authority.kind !== 'AUTHORITY') throw new AppError('PROGRAMME_INVALID', { params: { reason: 'authorityOrgId must be an AUTHORITY organisation' } });
  const d = defaultSettings(input.kind, authority.regionCode);
  const settings: ProgrammeSettings = {
    productionDeadline: input.productionDeadline ?? d.productionDeadline,
    deliveryDeadline: input.deliveryDeadline === undefined ? d.deliveryDeadline : input.deliveryDeadline,
    productionRegionPrefix: input.productionRegionPrefix ?? d.productionRegionPrefix,
    batchSizeLimit: input.batchSizeLimit ?? d.batchSizeLimit,
    personalisationRetentionHours: input.personalisationRetentionHours ?? d.personalisationRetentionHours,
    closedApplicationRetentionDays: input.closedApplicationRetentionDays ?? d.closedApplicationRetentionDays,
    packingOrder: input.packingOrder ?? d.packingOrder,
  };
  assertSettings(settings);
  const id = randomUUID();
  const row = await ctx.db.orm.transaction(async (tx) => {
    const p = await participants(ctx, authority.path, input.kind, input.producerOrgIds ?? [], input.receiverOrgIds ?? [], tx);
    const [created] = await tx
      .insert(programmes)
      .values({ id, kind: input.kind, name: input.name.trim(), authorityOrgId: authority.id, ...columns(settings) })
      .returning();
    if (p.producers.length) await tx.insert(programmeProducers).values(p.producers.map((orgId) => ({ programmeId: id, orgId })));
    if (p.receivers.length) await tx.insert(programmeReceivers).values(p.receivers.map((r) => ({ programmeId: id, ...r })));
    return created!;
  });
  return (await views(ctx, [row]))[0]!;
}

function columns(s: ProgrammeSettings) {
  return {
    productionDeadlineAmount: s.productionDeadline.amount,
    productionDeadlineUnit: s.productionDeadline.unit,
    deliveryDeadlineAmount: s.deliveryDeadline?.amount ?? null,
    deliveryDeadlineUnit: (s.deliveryDeadline?.unit ?? null) as DeadlineUnit | null,
    productionRegionPrefix: s.productionRegionPrefix,
    batchSizeLimit: s.batchSizeLimit,
    personalisationRetentionHours: s.personalisationRetentionHours,
    closedApplicationRetentionDays: s.closedApplicationRetentionDays,
    packingOrder: s.packingOrder,
  };
}

/** Every programme's retention of closed applications, for the retention job (all programmes: it is the system's, not a user's, view). */
export async function closedApplicationRetentions(ctx: AppContext): Promise<{ programmeId: string; days: number }[]> {
  return ctx.db.orm.select({ programmeId: programmes.id, days: programmes.closedApplicationRetentionDays }).from(programmes).orderBy(asc(programmes.id));
}

export type ProgrammePatch = Partial<Omit<ProgrammeInput, 'kind' | 'authorityOrgId'>>;

export async function updateProgramme(ctx: AppContext, principal: Principal, id: string, patch: ProgrammePatch): Promise<ProgrammeView> {
  const current = await getProgrammeRow(ctx, principal, id);
  const authority = await findOrg(ctx, current.authorityOrgId);
  // Changing a programme is for those who run it, not for those who merely take part.
  if (!authority || !orgInScope(principal, authority.path)) throw new AppError('OUT_OF_SCOPE');
  const settings: ProgrammeSettings = {
    productionDeadline: patch.productionDeadline ?? { amount: current.productionDeadlineAmount, unit: current.productionDeadlineUnit },
    deliveryDeadline:
      patch.deliveryDeadline !== undefined
        ? patch.deliveryDeadline
        : current.deliveryDeadlineAmount !== null && current.deliveryDeadlineUnit !== null
          ? { amount: current.deliveryDeadlineAmount, unit: current.deliveryDeadlineUnit }
          : null,
    productionRegionPrefix: patch.productionRegionPrefix ?? current.productionRegionPrefix,
    batchSizeLimit: patch.batchSizeLimit ?? current.batchSizeLimit,
    personalisationRetentionHours: patch.personalisationRetentionHours ?? current.personalisationRetentionHours,
    closedApplicationRetentionDays: patch.closedApplicationRetentionDays ?? current.closedApplicationRetentionDays,
    packingOrder: patch.packingOrder ?? current.packingOrder,
  };
  assertSettings(settings);
  const row = await ctx.db.orm.transaction(async (tx) => {
    if (patch.producerOrgIds !== undefined || patch.receiverOrgIds !== undefined) {
      const producerIds = patch.producerOrgIds ?? (await tx.select({ id: programmeProducers.orgId }).from(programmeProducers).where(eq(programmeProducers.programmeId, id))).map((r) => r.id);
      const receiverIds = patch.receiverOrgIds ?? (await tx.select({ id: programmeReceivers.orgId }).from(programmeReceivers).where(eq(programmeReceivers.programmeId, id))).map((r) => r.id);
      const p = await participants(ctx, authority.path, current.kind, producerIds, receiverIds, tx);
      await tx.delete(programmeProducers).where(eq(programmeProducers.programmeId, id));
      await tx.delete(programmeReceivers).where(eq(programmeReceivers.programmeId, id));
      if (p.producers.length) await tx.insert(programmeProducers).values(p.producers.map((orgId) => ({ programmeId: id, orgId })));
      if (p.receivers.length) await tx.insert(programmeReceivers).values(p.receivers.map((r) => ({ programmeId: id, ...r })));
    }
    const [updated] = await tx
      .update(programmes)
      .set({ name: patch.name?.trim() ?? current.name, ...columns(settings), updatedAt: new Date() })
      .where(eq(programmes.id, id))
      .returning();
    return updated!;
  });
  return (await views(ctx, [row]))[0]!;
}
