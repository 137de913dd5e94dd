import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { orgsByIds } from '../orgs/service.ts';
import { programmeProducers } from '../programmes/schema.ts';
import { getProgrammeRow, listProgrammes, programmeNames } from '../programmes/service.ts';
import { batchRules } from './schema.ts';

export type BatchRuleRow = typeof batchRules.$inferSelect;

/** "HH:MM" (Asia/Shanghai) ↔ minute of the day, as the rule stores it. */
export function minuteOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

export function hhmmOf(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

async function ruleViews(ctx: AppContext, rows: BatchRuleRow[]) {
  if (rows.length === 0) return [];
  const pn = await programmeNames(
    ctx,
    rows.map((r) => r.programmeId),
  );
  const orgs = await orgsByIds(
    ctx,
    rows.map((r) => r.producerOrgId),
  );
  const on = new Map([...orgs].map(([id, o]) => [id, o.name]));
  return rows.map((r) => ({
    id: r.id,
    programmeId: r.programmeId,
    programmeName: pn.get(r.programmeId) ?? '',
    producerOrgId: r.producerOrgId,
    producerName: on.get(r.producerOrgId) ?? '',
    dailyAt: r.dailyAtMinute === null ? null : hhmmOf(r.dailyAtMinute),
    whenWaiting: r.whenWaiting,
    enabled: r.enabled,
    lastRunAt: r.lastRunAt?.toISOString() ?? null,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listRules(ctx: AppContext, principal: Principal) {
  const ids = (await listProgrammes(ctx, principal)).map((p) => p.id);
  if (ids.length === 0) return [];
  const rows = await ctx.db.orm.select().from(batchRules).where(inArray(batchRules.programmeId, ids)).orderBy(asc(batchRules.createdAt));
  return ruleViews(ctx, rows);
}

async function ruleInScope(ctx: AppContext, principal: Principal, id: string): Promise<BatchRuleRow> {
  const [row] = await ctx.db.orm.select().from(batchRules).where(eq(batchRules.id, id));
  if (!row) throw new AppError('OUT_OF_SCOPE');
  await getProgrammeRow(ctx, principal, row.programmeId);
  return row;
}

export interface RuleInput {
  programmeId: string;
  producerOrgId: string;
  dailyAt?: string | null;
  whenWaiting?: number | null;
  enabled?: boolean;
}

export async function createRule(ctx: AppContext, principal: Principal, input: RuleInput) {
  const programme = await getProgrammeRow(ctx, principal, input.programmeId);
  const [member] = await ctx.db.orm
    .select()
    .from(programmeProducers)
    .where(and(eq(programmeProducers.programmeId, programme.id), eq(programmeProducers.orgId, input.producerOrgId)));
  if (!member) throw new AppError('BATCH_PRODUCER_INVALID');
  const dailyAtMinute = input.dailyAt ? minuteOf(input.dailyAt) : null;
  const whenWaiting = input.whenWaiting ?? null;
  if (dailyAtMinute === null && whenWaiting === null) throw new AppError('BATCH_RULE_TRIGGER_REQUIRED');
  const [existing] = await ctx.db.orm
    .select({ id: batchRules.id })
    .from(batchRules)
    .where(and(eq(batchRules.programmeId, programme.id), eq(batchRules.producerOrgId, input.producerOrgId)));
  if (existing) throw new AppError('BATCH_RULE_EXISTS', { details: { ruleId: existing.id } });
  const [row] = await ctx.db.orm
    .insert(batchRules)
    .values({ programmeId: programme.id, producerOrgId: input.producerOrgId, dailyAtMinute, whenWaiting, enabled: input.enabled ?? true, createdBy: principal.name })
    .returning();
  return (await ruleViews(ctx, [row!]))[0]!;
}

export async function updateRule(ctx: AppContext, principal: Principal, id: string, patch: { dailyAt?: string | null; whenWaiting?: number | null; enabled?: boolean }) {
  const row = await ruleInScope(ctx, principal, id);
  const dailyAtMinute = patch.dailyAt === undefined ? row.dailyAtMinute : patch.dailyAt === null ? null : minuteOf(patch.dailyAt);
  const whenWaiting = patch.whenWaiting === undefined ? row.whenWaiting : patch.whenWaiting;
  if (dailyAtMinute === null && whenWaiting === null) throw new AppError('BATCH_RULE_TRIGGER_REQUIRED');
  const [updated] = await ctx.db.orm
    .update(batchRules)
    .set({ dailyAtMinute, whenWaiting, enabled: patch.enabled ?? row.enabled })
    .where(eq(batchRules.id, id))
    .returning();
  return (await ruleViews(ctx, [updated!]))[0]!;
}

export async function deleteRule(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  await ruleInScope(ctx, principal, id);
  await ctx.db.orm.delete(batchRules).where(eq(batchRules.id, id));
}
