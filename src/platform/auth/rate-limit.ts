import { count, lt, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors/app-error.ts';
import type { Principal } from './principal.ts';
import { loginAttempts } from './schema.ts';

/** Whose budget a request spends: its API key's, its user's, or (signed out) its address's. */
export interface RequestBucket {
  purpose: 'api_key' | 'api_user' | 'api_ip';
  key: string;
  limit: number;
}

export interface RequestLimits {
  perApiKey: number;
  perUser: number;
  perIp: number;
}

/** The bucket of a request; null when its kind of caller is not limited (limit 0). */
export function requestBucket(principal: Principal | null, ip: string, limits: RequestLimits): RequestBucket | null {
  const bucket: RequestBucket =
    principal?.type === 'API_KEY'
      ? { purpose: 'api_key', key: principal.id, limit: limits.perApiKey }
      : principal
        ? { purpose: 'api_user', key: principal.id, limit: limits.perUser }
        : { purpose: 'api_ip', key: ip, limit: limits.perIp };
  return bucket.limit > 0 ? bucket : null;
}

/** Start of the fixed window holding `nowMs`, and the whole seconds until the next one starts (at least 1). */
export function fixedWindow(nowMs: number, windowSeconds: number): { start: Date; retryAfterSeconds: number } {
  const windowMs = windowSeconds * 1000;
  const startMs = Math.floor(nowMs / windowMs) * windowMs;
  return { start: new Date(startMs), retryAfterSeconds: Math.max(1, Math.ceil((startMs + windowMs - nowMs) / 1000)) };
}

/**
 * Adds one to the counter of (purpose, key) in the window starting `windowStart` and answers the new
 * count. Committed asynchronously: every API request and progress lookup passes here, and a counter
 * the database server loses in a crash only resets a window, which is not worth a disk flush each.
 */
export async function bumpCounter(ctx: AppContext, purpose: string, key: string, windowStart: Date): Promise<number> {
  const [row] = await ctx.db.rows<{ attempts: number }>(null, bumpCounterStatement(purpose, key, windowStart));
  return Number(row?.attempts ?? 0);
}

/**
 * bumpCounter's statement (returning `attempts`), for a caller that runs it as a WITH clause of its
 * own read: one round trip for both, on a path that serves a thousand requests a second.
 */
export function bumpCounterStatement(purpose: string, key: string, windowStart: Date): SQL {
  return sql`insert into login_attempts (purpose, ip, window_start, attempts)
      select ${purpose}, ${key}, ${windowStart.toISOString()}::timestamptz, 1 from (select set_config('synchronous_commit', 'off', true)) as async_commit
      on conflict (purpose, ip, window_start) do update set attempts = login_attempts.attempts + 1
      returning attempts`;
}

/**
 * Counts one API request against its bucket in a fixed window shared by every API process: one upsert
 * on the counter table sign-ins and progress lookups use. Over the budget it throws RATE_LIMITED whose
 * details carry the seconds until the window ends (sent as Retry-After).
 */
export async function countRequest(ctx: AppContext, bucket: RequestBucket, nowMs: number = Date.now()): Promise<void> {
  const { start, retryAfterSeconds } = fixedWindow(nowMs, ctx.config.rateLimitWindowSeconds);
  if ((await bumpCounter(ctx, bucket.purpose, bucket.key, start)) > bucket.limit) {
    throw new AppError('RATE_LIMITED', { details: { retryAfterSeconds, limit: bucket.limit, windowSeconds: ctx.config.rateLimitWindowSeconds } });
  }
}

/** Deletes counter windows (requests, sign-ins, progress lookups) that started before `before`. */
export async function pruneRequestCounters(ctx: AppContext, before: Date): Promise<number> {
  const rows = await ctx.db.orm.delete(loginAttempts).where(lt(loginAttempts.windowStart, before)).returning({ ip: loginAttempts.ip });
  return rows.length;
}

/** How many counter windows pruneRequestCounters would delete (the retention dry run). */
export async function countRequestWindowsBefore(ctx: AppContext, before: Date): Promise<number> {
  const [row] = await ctx.db.orm.select({ n: count() }).from(loginAttempts).where(lt(loginAttempts.windowStart, before));
  return Number(row?.n ?? 0);
}
