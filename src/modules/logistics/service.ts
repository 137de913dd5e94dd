import { sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import type { CardActor } from '../cards/service.ts';
import { orgIdsInScope, orgsByIds } from '../orgs/service.ts';
import { programmeIdsRunBy } from '../programmes/service.ts';
import type { MoveActor } from '../applications/progress.ts';

/**
 * Shared pieces of the logistics use cases: who may see which shipment or card, and names for display.
 * Scope: a producer sees what it made and shipped, an outlet or bank branch what is addressed to it, an
 * authority everything of the programmes it (or an authority below it) runs and of its own outlets.
 */

function subtreeOf(ctx: AppContext, principal: Principal, programmeCol: SQL, receiverCol: SQL): SQL {
  return sql`(${programmeCol} in (${programmeIdsRunBy(ctx, principal)}) or ${receiverCol} in (${orgIdsInScope(ctx, principal)}))`;
}

/** Shipments (alias s) the principal may see. */
export function shipmentScope(ctx: AppContext, principal: Principal): SQL {
  if (principal.scope === 'subtree') return subtreeOf(ctx, principal, sql`s.programme_id`, sql`s.receiver_org_id`);
  return sql`(s.producer_org_id = ${principal.orgId}::uuid or s.receiver_org_id = ${principal.orgId}::uuid)`;
}

/** Cards (alias c) the principal may see. */
export function cardReadScope(ctx: AppContext, principal: Principal): SQL {
  if (principal.scope === 'subtree') return subtreeOf(ctx, principal, sql`c.programme_id`, sql`c.receiver_org_id`);
  return sql`(c.producer_org_id = ${principal.orgId}::uuid or c.receiver_org_id = ${principal.orgId}::uuid)`;
}

/** Cards (alias c) the principal may hand over, activate or report lost: those addressed to its counter. */
export function cardCounterScope(ctx: AppContext, principal: Principal): SQL {
  if (principal.scope === 'subtree') return subtreeOf(ctx, principal, sql`c.programme_id`, sql`c.receiver_org_id`);
  return sql`c.receiver_org_id = ${principal.orgId}::uuid`;
}

export async function orgNames(ctx: AppContext, q: Queryable, ids: (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((i): i is string => !!i))];
  if (unique.length === 0) return new Map();
  const orgs = await orgsByIds(ctx, unique, q);
  return new Map([...orgs].map(([id, o]) => [id, o.name]));
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
