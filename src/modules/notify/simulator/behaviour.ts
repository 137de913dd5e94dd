import type { ConcatInfo } from '../segments.ts';
import type { IdRadix } from '../receipts.ts';
import type { CmppVersion } from '../cmpp/commands.ts';

/** How the simulated SMSC behaves; everything has a default that accepts and delivers. */
export interface SimulatorOptions {
  protocol: 'smpp' | 'cmpp' | 'http';
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** SMPP system_id / password, CMPP Source_Addr / shared secret, or HTTP account / signing secret. */
  accounts: Array<{ id: string; secret: string }>;
  /** CMPP only; the client must speak the same version. Default 0x30. */
  cmppVersion?: CmppVersion;
  /**
   * SMPP only: how ids are written in submit_sm_resp and in the receipt text (the receipted_message_id
   * TLV, when sent, uses the submit form). Default decimal for both.
   */
  messageIds?: { submit: IdRadix; receipt: IdRadix };
  /** SMPP only: add the receipted_message_id and message_state TLVs to receipts. */
  receiptTlvs?: boolean;
  /** HTTP only: where receipts are posted when a submit names no callbackUrl. */
  callbackUrl?: string;
  /** Delay before each submit response. */
  responseDelayMs?: number;
  /** Receipts per accepted segment; `false` sends none. */
  receipts?: false | ReceiptBehaviour;
}

export interface ReceiptBehaviour {
  delayMs: number;
  /** Share of segments that fail, 0–1, drawn from a seeded generator so runs repeat. */
  failureRate?: number;
  /** Stat values for failures, used in turn. Default UNDELIV. */
  failureStats?: string[];
  seed?: number;
  /** A receipt the client refuses is sent again after `delayMs`, up to this many times. */
  maxAttempts?: number;
}

export interface SubmittedPart {
  messageId: string;
  to: string;
  dataCoding: number;
  concat: ConcatInfo | null;
  text: string;
}

export interface SimulatorStats {
  connections: number;
  binds: number;
  bindFailures: number;
  submits: number;
  accepted: number;
  throttled: number;
  dropped: number;
  rejected: number;
  /** The most submits one connection had waiting for their response at the same time. */
  maxInFlight: number;
  receiptsSent: number;
  receiptsAcked: number;
  receiptsRefused: number;
  delivered: number;
  failed: number;
  keepAlives: number;
  unbinds: number;
  /**
   * Accepted segments whose number, part and text had been accepted before: messages that reached the
   * handset twice. Counted over the simulator's whole life, unlike `parts`.
   */
  repeats: number;
  /** Replies from handsets sent with sendInbound, and those the client acknowledged. */
  inboundSent: number;
  inboundAcked: number;
  /** Accepted segments as received, oldest first (the latest 10,000). */
  parts: SubmittedPart[];
}

/**
 * Parts kept in stats, at least; older ones are dropped so a long-running simulator does not grow
 * without bound. They go a batch at a time: dropping one per submit shifted the whole list each time.
 */
const PARTS_KEPT = 10_000;

/** Every (number, part, text) accepted per simulator, for `repeats`. */
const accepted = new WeakMap<SimulatorStats, Set<string>>();

export function recordPart(stats: SimulatorStats, part: SubmittedPart): void {
  let seen = accepted.get(stats);
  if (!seen) accepted.set(stats, (seen = new Set()));
  const key = `${part.to}\u0000${part.concat?.sequence ?? 1}\u0000${part.text}`;
  if (seen.has(key)) stats.repeats++;
  else seen.add(key);
  stats.parts.push(part);
  if (stats.parts.length >= 2 * PARTS_KEPT) stats.parts.splice(0, stats.parts.length - PARTS_KEPT);
}

export function emptyStats(): SimulatorStats {
  return {
    connections: 0,
    binds: 0,
    bindFailures: 0,
    submits: 0,
    accepted: 0,
    throttled: 0,
    dropped: 0,
    rejected: 0,
    maxInFlight: 0,
    receiptsSent: 0,
    receiptsAcked: 0,
    receiptsRefused: 0,
    delivered: 0,
    failed: 0,
    keepAlives: 0,
    unbinds: 0,
    repeats: 0,
    inboundSent: 0,
    inboundAcked: 0,
    parts: [],
  };
}

/** Faults switched on at run time: the next `n` submits are answered that way. */
export class Faults {
  /** Submits answered normally before the drops start. */
  dropAfter = 0;
  drop = 0;
  throttle = 0;

  /** What to do with the next submit. */
  next(): 'drop' | 'throttle' | 'answer' {
    if (this.drop > 0 && this.dropAfter > 0) {
      this.dropAfter--;
      return 'answer';
    }
    if (this.drop > 0) {
      this.drop--;
      return 'drop';
    }
    if (this.throttle > 0) {
      this.throttle--;
      return 'throttle';
    }
    return 'answer';
  }
}

/** Destinations the simulated SMSC accepts: mainland mobile numbers and other plain digit strings. */
export function validDestination(to: string): boolean {
  return /^\d{5,21}$/.test(to);
}

/** The final stat of each receipt, failures drawn with a seeded generator (mulberry32). */
export class ReceiptPlanner {
  private state: number;
  private failures = 0;

  constructor(private readonly behaviour: ReceiptBehaviour) {
    this.state = behaviour.seed ?? 1;
  }

  stat(): string {
    if (this.random() >= (this.behaviour.failureRate ?? 0)) return 'DELIVRD';
    const stats = this.behaviour.failureStats ?? ['UNDELIV'];
    return stats[this.failures++ % stats.length]!;
  }

  private random(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** YYMMDDhhmm in Beijing time, as receipts and CMPP status reports carry dates. */
export function beijingStamp(at: Date): string {
  const t = new Date(at.getTime() + 8 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(t.getUTCFullYear() % 100)}${two(t.getUTCMonth() + 1)}${two(t.getUTCDate())}${two(t.getUTCHours())}${two(t.getUTCMinutes())}`;
}

/** Timers the simulator owns, cleared together on stop. */
export class Timers {
  private readonly all = new Set<NodeJS.Timeout>();

  after(ms: number, fn: () => void): void {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      this.all.delete(t);
      fn();
    }, ms);
    this.all.add(t);
  }

  clear(): void {
    for (const t of this.all) clearTimeout(t);
    this.all.clear();
  }
}
