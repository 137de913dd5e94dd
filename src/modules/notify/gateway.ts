import { AppError } from '../../platform/errors/app-error.ts';
import type { ErrorCode } from '../../platform/errors/messages.ts';
import type { ReceiptStatus } from './receipts.ts';
import type { ConcatInfo } from './segments.ts';

/**
 * What the SMS dispatcher sees of a gateway, whatever its protocol (SMPP, CMPP, HTTP).
 * The dispatcher owns retries and idempotency; a gateway only says what happened to one attempt.
 */
export interface Gateway {
  readonly name: string;
  /** Connects and binds; resolves once one connection can submit (see each implementation). */
  start(): Promise<void>;
  /**
   * Splits the text and submits every segment, one after the other; resolves with the SMSC's id of
   * each segment. Fails with a GatewayError; the segments accepted before the failure are in it.
   */
  submit(message: OutboundSms): Promise<SubmitResult>;
  /**
   * Final receipts (intermediate ones such as ENROUTE are acknowledged and dropped). Register before
   * start(): while no listener is registered, receipts are refused and the SMSC sends them again.
   */
  onReceipt(listener: ReceiptListener): () => void;
  /**
   * Answers that came after their submit had failed with SMS_GATEWAY_TIMEOUT: they settle the unknown
   * outcome of the attempt named in that error.
   */
  onLateAnswer(listener: (answer: LateAnswer) => void): () => void;
  /**
   * Messages from handsets (replies, opt-outs such as 退订 or T). Acknowledged once every listener has
   * resolved and refused when one rejects, so the SMSC sends them again; with no listener they are
   * acknowledged and dropped. CMPP replies are not passed on yet (acknowledged and dropped).
   */
  onInbound(listener: InboundListener): () => void;
  /** Stops taking submits, waits up to `graceMs` for answers still due, then unbinds and closes. */
  stop(opts?: { graceMs?: number }): Promise<void>;
  health(): GatewayHealth;
  metrics(): GatewayMetrics;
}

export interface OutboundSms {
  /** Destination number as the SMSC expects it (for China: 11 digits, no +86). */
  to: string;
  /** The complete text, signature 【…】 included. */
  text: string;
  /**
   * Concatenation reference (0–255) for a long message; it must differ between long messages sent
   * to the same handset close together.
   */
  reference: number;
  /**
   * The dispatcher's key for this message (card attempt + event). The HTTP provider answers a repeated
   * key with the first answer instead of sending again; SMPP and CMPP have no such field and ignore it.
   */
  idempotencyKey?: string;
}

export interface SubmitResult {
  /** The id the SMSC gave each segment, in segment order; receipts come per segment with these ids. */
  messageIds: string[];
  segments: number;
  encoding: 'GSM7' | 'UCS2';
}

export interface GatewayReceipt {
  /** Same form as SubmitResult.messageIds (see the gateway's id settings). */
  messageId: string;
  status: ReceiptStatus;
  /** Raw stat (DELIVRD, UNDELIV, MBBLACK, MK:0001…), kept for the failure report. */
  stat: string;
  /** SMPP err field, or the CMPP stat of a failure; null when the SMSC gave none. */
  errorCode: string | null;
  doneAt: Date | null;
  /** The handset the receipt is about, when the SMSC names it: evidence for reconcile after a crash. */
  handset?: string | null;
}

/**
 * A listener may return a promise (to store the receipt durably): the receipt is acknowledged to the
 * SMSC only after it resolves, and refused if it rejects, so that the SMSC sends it again.
 */
export type ReceiptListener = (receipt: GatewayReceipt) => void | Promise<void>;

/** A message from a handset, one per received part (a long reply comes as several, see `concat`). */
export interface GatewayInbound {
  /** The handset's number as the SMSC gives it. */
  from: string;
  /** Our number it was sent to. */
  to: string;
  text: string;
  /** Set on a part of a long reply, to put the parts together. */
  concat: ConcatInfo | null;
  receivedAt: Date;
}

export type InboundListener = (sms: GatewayInbound) => void | Promise<void>;

export interface LateAnswer {
  /** GatewayError.attempt of the timed-out submit. */
  attempt: string;
  /** The id the SMSC gave the segment after all, or null when the late answer refused it. */
  messageId: string | null;
}

export type FailureKind = 'TEMPORARY' | 'PERMANENT';

/**
 * NOT_SENT: the segment never left us; resend freely.
 * UNKNOWN: it was written and no answer came (timeout, connection lost). The SMSC may have accepted
 *   it: resending blindly is how duplicates happen, so the dispatcher must first wait for a receipt or
 *   reconcile before it resends.
 * REFUSED: the SMSC answered with an error status; nothing was accepted.
 */
export type SubmitOutcome = 'NOT_SENT' | 'UNKNOWN' | 'REFUSED';

export class GatewayError extends AppError {
  readonly kind: FailureKind;
  readonly outcome: SubmitOutcome;
  /** Protocol status of the SMSC's answer, when there was one. */
  readonly protocolStatus: number | null;
  /** Ids of the segments accepted before this failure (a long message can be partly sent). */
  acceptedIds: string[] = [];
  /** Index of the segment that failed. */
  segment = 0;
  /** For a timeout: names the attempt, so that a late answer (onLateAnswer) can settle its outcome. */
  attempt: string | null = null;

  /** A non-gateway AppError from building the submit (text too long, a field too long): permanent, nothing sent. */
  static fromInput(error: AppError): GatewayError {
    return new GatewayError(error.code, { kind: 'PERMANENT', outcome: 'NOT_SENT', params: error.params, cause: error });
  }

  constructor(
    code: ErrorCode,
    opts: { kind: FailureKind; outcome: SubmitOutcome; params: Record<string, string | number>; protocolStatus?: number; cause?: unknown },
  ) {
    super(code, { params: opts.params, cause: opts.cause });
    this.name = 'GatewayError';
    this.kind = opts.kind;
    this.outcome = opts.outcome;
    this.protocolStatus = opts.protocolStatus ?? null;
  }
}

export type GatewayState = 'stopped' | 'starting' | 'up' | 'degraded' | 'down' | 'stopping';

export interface GatewayHealth {
  state: GatewayState;
  /** `throttledUntil`: the bind takes no submits before then, after a throttling answer. */
  binds: Array<{ id: string; mode: string; state: string; lastError: string | null; throttledUntil: Date | null }>;
}

export interface GatewayMetrics {
  /** Segments written and not yet answered. */
  inFlight: number;
  /** Segments waiting for a window slot or a connection. */
  waiting: number;
  /** Segments the SMSC accepted. */
  submitted: number;
  /** Segments refused, not sent or with an unknown outcome, by outcome. */
  failed: Record<SubmitOutcome, number>;
  throttled: number;
  receipts: number;
  /**
   * Receipts that could not be read (acknowledged: a resend would not help) or that no listener
   * stored (refused, so the SMSC sends them again).
   */
  receiptErrors: number;
  /** Answers that arrived after their request had timed out (for a submit, see onLateAnswer). */
  lateResponses: number;
  /** onLateAnswer listeners that threw. */
  lateListenerErrors: number;
  /** Connections re-established after one was lost. */
  reconnects: number;
}

/** Exponential backoff with jitter: attempt 0 waits about `minMs`, doubling up to `maxMs`, each scaled by 0.5–1. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.5 + random() / 2));
}
