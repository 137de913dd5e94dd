import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { orgInScope, type Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { findOrg, orgIdsInScope } from '../orgs/service.ts';
import { maintenanceContracts, maintenanceSites } from './schema.ts';

/**
 * Who sees what in maintenance: an outlet its own site, an authority the sites below it and the
 * contracts it signed, a maintainer the sites of the contracts it holds.
 */

function contractsHeldBy(ctx: AppContext, principal: Principal, q: Queryable) {
  return q.select({ id: maintenanceContracts.id }).from(maintenanceContracts).where(eq(maintenanceContracts.maintainerOrgId, principal.orgId));
}

/** Rows whose site column names a site the principal may see (contractCol: the contract serving it). */
export function siteVisible(ctx: AppContext, principal: Principal, siteCol: AnyPgColumn, contractCol: AnyPgColumn, q: Queryable = ctx.db.orm): SQL {
  return or(inArray(siteCol, orgIdsInScope(ctx, principal, q)), inArray(contractCol, contractsHeldBy(ctx, principal, q)))!;
}

/** Contracts the principal may see: signed by an authority in scope, or held by the principal's maintainer. */
export function contractVisible(ctx: AppContext, principal: Principal, q: Queryable = ctx.db.orm): SQL {
  return or(inArray(maintenanceContracts.authorityOrgId, orgIdsInScope(ctx, principal, q)), eq(maintenanceContracts.maintainerOrgId, principal.orgId))!;
}

/** The contract if the principal may see it; NOT_FOUND otherwise, so that others' contracts look like none. */
export async function visibleContract(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm): Promise<typeof maintenanceContracts.$inferSelect> {
  const [c] = await q
    .select()
    .from(maintenanceContracts)
    .where(and(eq(maintenanceContracts.id, id), contractVisible(ctx, principal, q)));
  if (!c) throw new AppError('NOT_FOUND');
  return c;
}

/**
 * The site row if the principal may see it. An organisation of the principal's own scope that no
 * contract serves yet is named as such; anything else reads as OUT_OF_SCOPE, unknown ids included.
 */
export async function visibleSite(ctx: AppContext, principal: Principal, orgId: string, q: Queryable = ctx.db.orm) {
  const [site] = await q
    .select()
    .from(maintenanceSites)
    .where(and(eq(maintenanceSites.orgId, orgId), siteVisible(ctx, principal, maintenanceSites.orgId, maintenanceSites.contractId, q)));
  if (site) return site;
  if (await inOwnScope(ctx, principal, orgId, q)) throw new AppError('MAINTENANCE_SITE_NOT_REGISTERED');
  throw new AppError('OUT_OF_SCOPE');
}

/** Whether the org lies within the principal's own organisation scope (not merely reached through a contract). */
export async function inOwnScope(ctx: AppContext, principal: Principal, orgId: string, q: Queryable = ctx.db.orm): Promise<boolean> {
  const org = await findOrg(ctx, orgId, q);
  return org !== null && orgInScope(principal, org.path);
}
