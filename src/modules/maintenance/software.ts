import { and, desc, eq } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { maintenanceSiteSoftware, maintenanceSoftwareChanges } from './schema.ts';
import { visibleSite } from './scope.ts';
import { SOFTWARE_ITEM_CODES, type SoftwareItem } from './ledger.ts';

/** The software inventory of an outlet (seed 001 table 1): installed versions and every change to them. */

export async function siteSoftware(ctx: AppContext, principal: Principal, siteOrgId: string) {
  await visibleSite(ctx, principal, siteOrgId);
  const rows = await ctx.db.orm.select().from(maintenanceSiteSoftware).where(eq(maintenanceSiteSoftware.siteOrgId, siteOrgId));
  const byItem = new Map(rows.map((r) => [r.item, r]));
  const changes = await ctx.db.orm
    .select()
    .from(maintenanceSoftwareChanges)
    .where(eq(maintenanceSoftwareChanges.siteOrgId, siteOrgId))
    .orderBy(desc(maintenanceSoftwareChanges.at))
    .limit(200);
  return {
    items: SOFTWARE_ITEM_CODES.map((item) => {
      const row = byItem.get(item);
      return { item, version: row?.version ?? null, updatedAt: row?.updatedAt.toISOString() ?? null };
    }),
    changes: changes.map((c) => ({ item: c.item, fromVersion: c.fromVersion, toVersion: c.toVersion, actorName: c.actorName, at: c.at.toISOString() })),
  };
}

/** Sets the versions given; an item whose version is unchanged writes nothing, a changed one writes its history row. */
export async function setSiteSoftware(ctx: AppContext, principal: Principal, siteOrgId: string, items: { item: SoftwareItem; version: string }[]): Promise<number> {
  await visibleSite(ctx, principal, siteOrgId);
  const seen = new Set<string>();
  for (const { item, version } of items) {
    if (seen.has(item)) throw new AppError('VALIDATION_FAILED', { params: { reason: `${item} is listed twice` } });
    if (version.trim() === '') throw new AppError('VALIDATION_FAILED', { params: { reason: `the version of ${item} is empty` } });
    seen.add(item);
  }
  return ctx.db.orm.transaction(async (tx) => {
    let changed = 0;
    for (const { item, version } of items) {
      const to = version.trim();
      const [current] = await tx
        .select()
        .from(maintenanceSiteSoftware)
        .where(and(eq(maintenanceSiteSoftware.siteOrgId, siteOrgId), eq(maintenanceSiteSoftware.item, item)))
        .for('update');
      if (current?.version === to) continue;
      await tx
        .insert(maintenanceSiteSoftware)
        .values({ siteOrgId, item, version: to })
        .onConflictDoUpdate({ target: [maintenanceSiteSoftware.siteOrgId, maintenanceSiteSoftware.item], set: { version: to, updatedAt: new Date() } });
      await tx.insert(maintenanceSoftwareChanges).values({ siteOrgId, item, fromVersion: current?.version ?? null, toVersion: to, actorId: principal.id, actorName: principal.name });
      changed++;
    }
    return changed;
  });
}
