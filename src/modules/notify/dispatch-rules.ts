import { AppError } from '../../platform/errors/app-error.ts';
import { addDaysToDate, shanghaiDate, shanghaiInstant, shanghaiMinuteOfDay } from '../calendar/zone.ts';
import { backoffDelay, type GatewayError } from './gateway.ts';

/** The sending window for marketing SMS, in minutes of the Shanghai day: [start, end). */
export interface QuietHours {
  startMinute: number;
  endMinute: number;
}

/** "08:00-21:00" → minutes of the day; the window must not be empty. */
export function parseQuietHours(text: string): QuietHours {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new AppError('SMS_GATEWAY_CONFIG_INVALID', { params: { reason: `quiet hours ${text}` } });
  const startMinute = Number(m[1]) * 60 + Number(m[2]);
  const endMinute = Number(m[3]) * 60 + Number(m[4]);
  if (startMinute >= endMinute || endMinute > 24 * 60) throw new AppError('SMS_GATEWAY_CONFIG_INVALID', { params: { reason: `quiet hours ${text}` } });
  return { startMinute, endMinute };
}

/**
 * When a message may go out at the earliest: `now` inside the window (or for exempt messages),
 * else the next opening of the window, Shanghai time.
 */
export function sendableAt(now: Date, window: QuietHours, exempt: boolean): Date {
  if (exempt) return now;
  const minute = shanghaiMinuteOfDay(now);
  const today = shanghaiDate(now);
  if (minute < window.startMinute) return shanghaiInstant(today, window.startMinute);
  if (minute >= window.endMinute) return shanghaiInstant(addDaysToDate(today, 1), window.startMinute);
  return now;
}

/**
 * A token bucket with a one-second burst: at most `ratePerSecond` messages per second per provider.
 * `take` answers how long to wait before the next message may go; the clock is passed in so tests
 * need no timers.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    now: number,
  ) {
    this.tokens = ratePerSecond;
    this.last = now;
  }

  /** 0 and one token used when a message may go now; else the milliseconds until a token is due. */
  take(now: number): number {
    this.tokens = Math.min(this.ratePerSecond, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
  }
}

/** Retry delays after a temporary failure: 5 s doubling to 10 min, with jitter. */
export const RETRY = { minMs: 5_000, maxMs: 600_000 } as const;

export type FailureDecision =
  /** Nothing was accepted: try again after `delayMs`. */
  | { action: 'retry'; delayMs: number }
  /** The SMSC said no for good, or the attempts ran out. */
  | { action: 'fail' }
  /** The outcome is unknown: wait for evidence (a late answer, a receipt) until `delayMs`, then decide. */
  | { action: 'reconcile'; delayMs: number };

/**
 * What to do after a submit failed. An UNKNOWN outcome is never retried directly: the SMSC may have
 * the message, and resending it is exactly how duplicates happen.
 */
export function decideFailure(
  error: GatewayError,
  attemptsSoFar: number,
  maxAttempts: number,
  reconcileMs: number,
  retry: { minMs: number; maxMs: number } = RETRY,
  random: () => number = Math.random,
): FailureDecision {
  if (error.outcome === 'UNKNOWN') return { action: 'reconcile', delayMs: reconcileMs };
  if (error.kind === 'PERMANENT' || attemptsSoFar >= maxAttempts) return { action: 'fail' };
  return { action: 'retry', delayMs: backoffDelay(attemptsSoFar - 1, retry.minMs, retry.maxMs, random) };
}

export interface OpenAttempt {
  /** Segments of the message. */
  segments: number;
  /** Segment ids already known from the SMSC's answers. */
  knownIds: number;
}

export type ReconcileVerdict =
  /** No evidence it reached the SMSC: the message may go again. */
  | { kind: 'abandon' }
  /** Counted as submitted; `ids` are the receipt ids attributed to its missing segments (may be none). */
  | { kind: 'accepted'; ids: string[] };

/**
 * Decides attempts left open past the reconcile window (oldest first), given the ids of receipts that
 * no attempt claims and that arrived after the oldest of them started. Only receipts are evidence of
 * what the SMSC took after a crash or a lost connection. With fewer receipts than missing segments
 * the evidence cannot say which message went out, and all are resent: a duplicate is visible, billed
 * once and reported, a lost notice is not. With receipts for every missing segment nothing is resent.
 * When the counts match exactly, the receipts are attributed in submit order (SMSCs number their ids
 * as they accept), so each message gets a status from them; with more receipts than segments the
 * extra ones are someone else's and nothing is attributed.
 */
export function reconcileDecision(open: readonly OpenAttempt[], unmatchedReceiptIds: readonly string[]): ReconcileVerdict[] {
  const missing = open.map((a) => Math.max(0, a.segments - a.knownIds));
  const total = missing.reduce((a, b) => a + b, 0);
  if (total === 0 || unmatchedReceiptIds.length < total) {
    return open.map((_, i) => (missing[i] === 0 ? { kind: 'accepted', ids: [] } : { kind: 'abandon' }));
  }
  if (unmatchedReceiptIds.length > total) return open.map(() => ({ kind: 'accepted', ids: [] }));
  const ordered = [...unmatchedReceiptIds].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  let next = 0;
  return missing.map((n) => {
    const ids = ordered.slice(next, next + n);
    next += n;
    return { kind: 'accepted', ids };
  });
}

/** An attempt left open past the reconcile window, with what identifies its message. */
export interface OpenAttemptDetail extends OpenAttempt {
  /** Blind index of the message's number: receipts naming the handset are matched by it. */
  phoneIdx: string;
  startedAt: number;
  /** End of the message's validity. */
  expiresAt: number;
}

/** A receipt no attempt claims; `phoneIdx` when the SMSC named the handset (SMPP source_addr, CMPP Dest_terminal_Id). */
export interface UnmatchedReceipt {
  id: string;
  phoneIdx: string | null;
}

export type AttemptVerdict =
  | ReconcileVerdict
  /** No evidence either way yet: the attempt stays open and the message waits. */
  | { kind: 'wait' }
  /** Validity is over without evidence: the message ends EXPIRED and is never resent (an alert says so). */
  | { kind: 'unconfirmed' };

/**
 * Decides open attempts (oldest first) after a crash or a lost answer, without ever resending blindly:
 *
 * 1. A receipt naming the message's handset is its own: as many as its missing segments make it
 *    accepted with those ids.
 * 2. The rest are decided by count over the receipts that name no handset (reconcileDecision).
 * 3. Where that finds no evidence, "not taken" is believed only when the SMSC has since sent receipts
 *    for submits made with or after the attempt (`latestReceiptedStart`): it reports, so silence about
 *    this one means it never arrived, and the message may go again. Without such proof the attempt waits;
 *    at the end of the message's validity it is `unconfirmed`, never resent.
 */
export function reconcileAttempts(
  open: readonly OpenAttemptDetail[],
  unmatched: readonly UnmatchedReceipt[],
  evidence: { now: number; latestReceiptedStart: number | null },
): AttemptVerdict[] {
  const byPhone = new Map<string, string[]>();
  for (const r of unmatched) if (r.phoneIdx !== null) byPhone.set(r.phoneIdx, [...(byPhone.get(r.phoneIdx) ?? []), r.id]);
  const verdicts: Array<AttemptVerdict | null> = open.map((a) => {
    const missing = Math.max(0, a.segments - a.knownIds);
    const own = byPhone.get(a.phoneIdx) ?? [];
    if (missing === 0 || own.length < missing) return null;
    byPhone.set(a.phoneIdx, own.slice(missing));
    return { kind: 'accepted', ids: own.slice(0, missing) };
  });
  const rest = open.flatMap((a, i) => (verdicts[i] === null ? [{ a, i }] : []));
  const anonymous = unmatched.filter((r) => r.phoneIdx === null).map((r) => r.id);
  const byCount = reconcileDecision(
    rest.map(({ a }) => a),
    anonymous,
  );
  for (const [k, { a, i }] of rest.entries()) {
    const v = byCount[k]!;
    if (v.kind === 'accepted') verdicts[i] = v;
    else if (evidence.latestReceiptedStart !== null && a.startedAt <= evidence.latestReceiptedStart) verdicts[i] = v;
    else verdicts[i] = a.expiresAt <= evidence.now ? { kind: 'unconfirmed' } : { kind: 'wait' };
  }
  return verdicts as AttemptVerdict[];
}
