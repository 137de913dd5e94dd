import { and, asc, desc, eq, max } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { parseSegments } from '../calendar/rules.ts';
import { isValidDate } from '../calendar/zone.ts';
import { findOrg, orgsByIds } from '../orgs/service.ts';
import { orgInScope } from '../../platform/auth/principal.ts';
import { maintenanceContracts, maintenanceSites, maintenanceZoneTables, type SiteService } from './schema.ts';
import { contractVisible, siteVisible } from './scope.ts';
import { policyProblems, type ResponseTarget, type SlaClock, type SlaPolicy } from './sla.ts';
import { SHANGHAI_ZONES_2025, zoneOf, zoneTableProblems, type Zone, type ZoneEntry } from './zones.ts';

/** Zone tables, maintenance contracts and the outlets (sites) they serve. */

export type ContractRow = typeof maintenanceContracts.$inferSelect;
export type SiteRow = typeof maintenanceSites.$inferSelect;

export const ZONE_PRESETS: Record<string, readonly ZoneEntry[]> = { SHANGHAI_2025: SHANGHAI_ZONES_2025 };

export async function listZoneTables(ctx: AppContext) {
  const rows = await ctx.db.orm.select().from(maintenanceZoneTables).orderBy(asc(maintenanceZoneTables.name), desc(maintenanceZoneTables.version));
  return rows.map((r) => ({ id: r.id, name: r.name, version: r.version, entries: r.entries, createdAt: r.createdAt.toISOString() }));
}

/** A new version of the named table (version 1 for a new name); earlier versions stay for the contracts using them. */
export async function createZoneTable(ctx: AppContext, input: { name: string; entries?: ZoneEntry[]; preset?: string }) {
  const entries = input.preset ? ZONE_PRESETS[input.preset] : input.entries;
  if (!entries) throw new AppError('MAINTENANCE_ZONE_TABLE_INVALID', { params: { reason: 'give the entries or a known preset' } });
  const problems = zoneTableProblems(entries);
  if (problems.length > 0) throw new AppError('MAINTENANCE_ZONE_TABLE_INVALID', { params: { reason: problems.join('; ') }, details: { problems } });
  return ctx.db.orm.transaction(async (tx) => {
    const [{ latest } = { latest: null }] = await tx.select({ latest: max(maintenanceZoneTables.version) }).from(maintenanceZoneTables).where(eq(maintenanceZoneTables.name, input.name));
    const [row] = await tx
      .insert(maintenanceZoneTables)
      .values({ name: input.name, version: (latest ?? 0) + 1, entries: [...entries] })
      .returning();
    return { id: row!.id, name: row!.name, version: row!.version, entries: row!.entries, createdAt: row!.createdAt.toISOString() };
  });
}

export interface ContractInput {
  name: string;
  authorityOrgId: string;
  maintainerOrgId: string;
  termStart: string;
  termEnd: string;
  zoneTableId: string | null;
  clock: SlaClock;
  responseTarget: ResponseTarget;
  responseMinutes: Record<Zone, number>;
  fixMinutes: Record<Zone, number> | null;
  warnPercent: number;
  breachTerminationCount: number | null;
}

export function policyOf(c: ContractRow): SlaPolicy {
  return {
    clock: c.clock,
    responseTarget: c.responseTarget,
    responseMinutes: { URBAN: c.responseMinutesUrban, SUBURBAN: c.responseMinutesSuburban },
    fixMinutes: c.fixMinutesUrban !== null && c.fixMinutesSuburban !== null ? { URBAN: c.fixMinutesUrban, SUBURBAN: c.fixMinutesSuburban } : null,
    warnPercent: c.warnPercent,
  };
}

export function contractView(c: ContractRow, names: ReadonlyMap<string, string>) {
  return {
    id: c.id,
    name: c.name,
    authorityOrgId: c.authorityOrgId,
    authorityName: names.get(c.authorityOrgId) ?? '',
    maintainerOrgId: c.maintainerOrgId,
    maintainerName: names.get(c.maintainerOrgId) ?? '',
    termStart: c.termStart,
    termEnd: c.termEnd,
    zoneTableId: c.zoneTableId,
    ...policyOf(c),
    breachTerminationCount: c.breachTerminationCount,
  };
}

function contractInvalid(reason: string): AppError {
  return new AppError('MAINTENANCE_CONTRACT_INVALID', { params: { reason } });
}

export async function createContract(ctx: AppContext, principal: Principal, input: ContractInput): Promise<ContractRow> {
  const problems = policyProblems(input);
  if (!isValidDate(input.termStart) || !isValidDate(input.termEnd)) problems.push('the term needs real YYYY-MM-DD dates');
  else if (input.termEnd < input.termStart) problems.push('the term ends before it starts');
  if (input.breachTerminationCount !== null && (!Number.isInteger(input.breachTerminationCount) || input.breachTerminationCount < 1)) {
    problems.push('the termination threshold must be a whole number of breaches ≥ 1');
  }
  if (problems.length > 0) throw new AppError('MAINTENANCE_CONTRACT_INVALID', { params: { reason: problems.join('; ') }, details: { problems } });
  const authority = await findOrg(ctx, input.authorityOrgId);
  if (!authority || !orgInScope(principal, authority.path)) throw new AppError('OUT_OF_SCOPE');
  if (authority.kind !== 'AUTHORITY') throw contractInvalid('the client must be an authority');
  const maintainer = await findOrg(ctx, input.maintainerOrgId);
  if (!maintainer || maintainer.kind !== 'MAINTAINER') throw contractInvalid('the contractor must be a maintainer organisation');
  if (input.zoneTableId) {
    const [table] = await ctx.db.orm.select({ id: maintenanceZoneTables.id }).from(maintenanceZoneTables).where(eq(maintenanceZoneTables.id, input.zoneTableId));
    if (!table) throw contractInvalid('the zone table does not exist');
  }
  const [row] = await ctx.db.orm
    .insert(maintenanceContracts)
    .values({
      name: input.name,
      authorityOrgId: input.authorityOrgId,
      maintainerOrgId: input.maintainerOrgId,
      termStart: input.termStart,
      termEnd: input.termEnd,
      zoneTableId: input.zoneTableId,
      clock: input.clock,
      responseTarget: input.responseTarget,
      responseMinutesUrban: input.responseMinutes.URBAN,
      responseMinutesSuburban: input.responseMinutes.SUBURBAN,
      fixMinutesUrban: input.fixMinutes?.URBAN ?? null,
      fixMinutesSuburban: input.fixMinutes?.SUBURBAN ?? null,
      warnPercent: input.warnPercent,
      breachTerminationCount: input.breachTerminationCount,
    })
    .returning();
  return row!;
}

export async function listContracts(ctx: AppContext, principal: Principal): Promise<ContractRow[]> {
  return ctx.db.orm.select().from(maintenanceContracts).where(contractVisible(ctx, principal)).orderBy(asc(maintenanceContracts.name));
}

export async function contractById(ctx: AppContext, id: string, q: Queryable = ctx.db.orm): Promise<ContractRow | null> {
  const [row] = await q.select().from(maintenanceContracts).where(eq(maintenanceContracts.id, id));
  return row ?? null;
}

export async function zoneEntriesOf(ctx: AppContext, zoneTableId: string | null, q: Queryable = ctx.db.orm): Promise<ZoneEntry[]> {
  if (!zoneTableId) return [];
  const [row] = await q.select({ entries: maintenanceZoneTables.entries }).from(maintenanceZoneTables).where(eq(maintenanceZoneTables.id, zoneTableId));
  return row?.entries ?? [];
}

/**
 * The zone of a site under its contract. A contract without a zone table (seed 002: one allowance for
 * every site) treats sites as URBAN unless they say otherwise.
 */
export function siteZone(entries: readonly ZoneEntry[], regionCode: string | null, override: Zone | null): Zone {
  if (entries.length === 0) return override ?? 'URBAN';
  return zoneOf(entries, regionCode ?? '', override);
}

export interface SiteInput {
  contractId: string;
  services: SiteService[];
  openingHours: string;
  zoneOverride: Zone | null;
}

function siteInvalid(reason: string): AppError {
  return new AppError('MAINTENANCE_SITE_INVALID', { params: { reason } });
}

/** Registers or updates an outlet (or a core-system site) under a contract. */
export async function upsertSite(ctx: AppContext, principal: Principal, orgId: string, input: SiteInput) {
  const org = await findOrg(ctx, orgId);
  if (!org || !orgInScope(principal, org.path)) throw new AppError('OUT_OF_SCOPE');
  if (org.kind !== 'OUTLET' && org.kind !== 'AUTHORITY') throw siteInvalid('only an outlet or an authority site can be maintained');
  const contract = await contractById(ctx, input.contractId);
  if (!contract) throw siteInvalid('the contract does not exist');
  let hours: string;
  try {
    hours = parseSegments(input.openingHours)
      .map((s) => `${hhmm(s.start)}-${hhmm(s.end)}`)
      .join(',');
  } catch (error) {
    throw siteInvalid(error instanceof AppError ? String(error.params.reason ?? error.message) : 'opening hours must look like 09:00-12:00,13:00-17:00');
  }
  // The zone must be decidable now, not when the first fault is reported.
  siteZone(await zoneEntriesOf(ctx, contract.zoneTableId), org.regionCode, input.zoneOverride);
  const services = [...new Set(input.services)];
  const values = { contractId: input.contractId, services, openingHours: hours, zoneOverride: input.zoneOverride, updatedAt: new Date() };
  await ctx.db.orm
    .insert(maintenanceSites)
    .values({ orgId, ...values })
    .onConflictDoUpdate({ target: maintenanceSites.orgId, set: values });
  return (await listSites(ctx, principal, orgId))[0]!;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export async function listSites(ctx: AppContext, principal: Principal, onlyOrgId?: string) {
  const rows = await ctx.db.orm
    .select({ site: maintenanceSites, contract: maintenanceContracts })
    .from(maintenanceSites)
    .innerJoin(maintenanceContracts, eq(maintenanceContracts.id, maintenanceSites.contractId))
    .where(and(siteVisible(ctx, principal, maintenanceSites.orgId, maintenanceSites.contractId), onlyOrgId ? eq(maintenanceSites.orgId, onlyOrgId) : undefined));
  const orgs = await orgsByIds(ctx, rows.map((r) => r.site.orgId));
  const zoneTables = new Map<string | null, ZoneEntry[]>();
  for (const { contract } of rows) {
    if (!zoneTables.has(contract.zoneTableId)) zoneTables.set(contract.zoneTableId, await zoneEntriesOf(ctx, contract.zoneTableId));
  }
  const out = rows.map(({ site, contract }) => {
    const org = orgs.get(site.orgId);
    let zone: Zone | null = null;
    try {
      zone = siteZone(zoneTables.get(contract.zoneTableId) ?? [], org?.regionCode ?? null, site.zoneOverride);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
    }
    return {
      orgId: site.orgId,
      name: org?.name ?? '',
      regionCode: org?.regionCode ?? null,
      contractId: contract.id,
      contractName: contract.name,
      services: site.services,
      openingHours: site.openingHours,
      zoneOverride: site.zoneOverride,
      zone,
    };
  });
  return out.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
