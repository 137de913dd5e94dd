import { sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import type { CardActor } from '../cards/service.ts';
import type { MoveActor } from '../applications/progress.ts';

/**
 * Shared pieces of the logistics use cases: who may see which shipment or card, and names for display.
 * Scope: a producer sees what it made and shipped, an outlet or bank branch what is addressed to it, an
 * authority everything of the programmes it (or an authority below it) runs and of its own outlets.
 */

function subtreeOf(principal: Principal, programmeCol: SQL, receiverCol: SQL): SQL {
  const prefix = `${principal.orgPath}%`;
  return sql`(exists (select 1 from programmes p join organisations po on po.id = p.authority_org_id where p.id = ${programmeCol} and po.path like ${prefix})
           or exists (select 1 from organisations ro where ro.id = ${receiverCol} and ro.path like ${prefix}))`;
}

/** Shipments (alias s) the principal may see. */
export function shipmentScope(principal: Principal): SQL {
  if (principal.scope === 'subtree') return subtreeOf(principal, sql`s.programme_id`, sql`s.receiver_org_id`);
  return sql`(s.producer_org_id = ${principal.orgId}::uuid or s.receiver_org_id = ${principal.orgId}::uuid)`;
}

/** Cards (alias c) the principal may see. */
export function cardReadScope(principal: Principal): SQL {
  if (principal.scope === 'subtree') return subtreeOf(principal, sql`c.programme_id`, sql`c.receiver_org_id`);
  return sql`(c.producer_org_id = ${principal.orgId}::uuid or c.receiver_org_id = ${principal.orgId}::uuid)`;
}

/** Cards (alias c) the principal may hand over, activate or report lost: those addressed to its counter. */
export function cardCounterScope(principal: Principal): SQL {
  if (principal.scope === 'subtree') return subtreeOf(principal, sql`c.programme_id`, sql`c.receiver_org_id`);
  return sql`c.receiver_org_id = ${principal.orgId}::uuid`;
}

export async function orgNames(ctx: AppContext, q: Queryable, ids: (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((i): i is string => !!i))];
  if (unique.length === 0) return new Map();
  const rows = await ctx.db.rows<{ id: string; name: string }>(q, sql`select id, name from organisations where id in (${sql.join(unique.map((i) => sql`${i}::uuid`), sql`, `)})`);
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function cardActor(principal: Principal): CardActor {
  return { type: principal.type, id: principal.id, name: principal.name, orgId: principal.orgId };
}

export function moveActor(principal: Principal): MoveActor {
  return { type: principal.type, id: principal.id, name: principal.name };
}

export function iso(d: Date | string | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  return (d instanceof Date ? d : new Date(d)).toISOString();
}
