import { and, asc, count, desc, eq, gt, gte, ilike, lte, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { Queryable } from '../db/engine.ts';
import { hmacSm3 } from '../crypto/sm.ts';
import { redactSensitiveText } from '../crypto/masking.ts';
import { auditHead, auditLog } from './schema.ts';
import { checkLinks, GENESIS_HASH, linkHash, type BrokenLink } from './chain.ts';

export type AuditOutcome = 'SUCCESS' | 'DENIED' | 'FAILED';
export type ActorType = 'USER' | 'API_KEY' | 'SYSTEM' | 'CLI' | 'ANONYMOUS';

export interface AuditEntryInput {
  actorType: ActorType;
  actorId?: string | null;
  actorName?: string | null;
  orgId?: string | null;
  orgName?: string | null;
  ip?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome: AuditOutcome;
  requestId?: string | null;
  /** Masked values only: the trail is readable by auditors who may not see personal data. */
  details?: Record<string, unknown>;
}

export function auditChainKey(ctx: AppContext): Buffer {
  return hmacSm3(ctx.keyring.blindIndexKey, 'cardflow audit chain v1');
}

/** An ID or phone number can arrive in any text (a phone typed as a user name): the trail keeps it masked. */
function maskStrings(value: unknown): unknown {
  if (typeof value === 'string') return redactSensitiveText(value);
  if (Array.isArray(value)) return value.map(maskStrings);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskStrings(v)]));
  return value;
}

/** Appends one entry, inside `q`'s transaction if given (so it commits or rolls back with the change). */
export async function appendAudit(ctx: AppContext, entry: AuditEntryInput, q?: Queryable): Promise<number> {
  const run = async (tx: Queryable) => {
    // The head row lock serialises appends from every process.
    const head = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
    const prev = head[0] ?? { seq: 0, hash: GENESIS_HASH };
    const fields = {
      seq: prev.seq + 1,
      at: new Date(),
      actorType: entry.actorType,
      actorId: entry.actorId ?? null,
      actorName: entry.actorName == null ? null : redactSensitiveText(entry.actorName),
      orgId: entry.orgId ?? null,
      orgName: entry.orgName ?? null,
      ip: entry.ip ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      outcome: entry.outcome,
      requestId: entry.requestId ?? null,
      details: maskStrings(JSON.parse(JSON.stringify(entry.details ?? {}))) as Record<string, unknown>,
    };
    const hash = linkHash(auditChainKey(ctx), prev.hash, fields);
    await tx.insert(auditLog).values({ ...fields, prevHash: prev.hash, hash });
    await tx
      .insert(auditHead)
      .values({ id: 1, seq: fields.seq, hash })
      .onConflictDoUpdate({ target: auditHead.id, set: { seq: fields.seq, hash } });
    return fields.seq;
  };
  if (q) return run(q);
  return ctx.db.orm.transaction(run);
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  reason: BrokenLink['reason'] | null;
}

export async function verifyAuditChain(ctx: AppContext, onProgress?: (checked: number, total: number) => void): Promise<AuditVerification> {
  const key = auditChainKey(ctx);
  const state = { expectedSeq: 1, prevHash: GENESIS_HASH };
  const [{ total } = { total: 0 }] = await ctx.db.orm.select({ total: count() }).from(auditLog);
  const pageSize = 5000;
  let checked = 0;
  let lastSeq = 0;
  for (;;) {
    const rows = await ctx.db.orm.select().from(auditLog).where(gt(auditLog.seq, lastSeq)).orderBy(asc(auditLog.seq)).limit(pageSize);
    if (rows.length === 0) break;
    const broken = checkLinks(key, rows, state);
    if (broken) return { ok: false, checked: checked + (broken.seq - (rows[0]?.seq ?? broken.seq)), firstBrokenSeq: broken.seq, reason: broken.reason };
    checked += rows.length;
    lastSeq = rows[rows.length - 1]!.seq;
    onProgress?.(checked, total);
  }
  const [head] = await ctx.db.orm.select().from(auditHead).where(eq(auditHead.id, 1));
  const headSeq = head?.seq ?? 0;
  const headHash = head?.hash ?? GENESIS_HASH;
  if (headSeq !== state.expectedSeq - 1 || headHash !== state.prevHash) {
    return { ok: false, checked, firstBrokenSeq: state.expectedSeq, reason: 'HEAD_MISMATCH' };
  }
  return { ok: true, checked, firstBrokenSeq: null, reason: null };
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

export async function searchAudit(ctx: AppContext, query: AuditQuery) {
  const where: SQL[] = [];
  if (query.actor) where.push(ilike(auditLog.actorName, `%${escapeLike(query.actor)}%`));
  if (query.action) where.push(ilike(auditLog.action, `%${escapeLike(query.action)}%`));
  if (query.outcome) where.push(eq(auditLog.outcome, query.outcome));
  if (query.targetType) where.push(eq(auditLog.targetType, query.targetType));
  if (query.targetId) where.push(eq(auditLog.targetId, query.targetId));
  if (query.from) where.push(gte(auditLog.at, query.from));
  if (query.to) where.push(lte(auditLog.at, query.to));
  const condition = where.length ? and(...where) : sql`true`;
  const [{ total } = { total: 0 }] = await ctx.db.orm.select({ total: count() }).from(auditLog).where(condition);
  const rows = await ctx.db.orm
    .select()
    .from(auditLog)
    .where(condition)
    .orderBy(desc(auditLog.seq))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return { total, items: rows };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
