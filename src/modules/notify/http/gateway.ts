import { randomUUID } from 'node:crypto';
import { AppError } from '../../../platform/errors/app-error.ts';
import type { ErrorCode } from '../../../platform/errors/messages.ts';
import {
  GatewayError,
  type FailureKind,
  type Gateway,
  type GatewayHealth,
  type GatewayMetrics,
  type InboundListener,
  type LateAnswer,
  type OutboundSms,
  type ReceiptListener,
  type SubmitOutcome,
  type SubmitResult,
} from '../gateway.ts';
import { segmentText } from '../segments.ts';
import { verifyCallback } from './callback.ts';
import { ACCOUNT_HEADER, REPLAY_WINDOW_MS, SIGNATURE_HEADER, signedHeaders } from './signature.ts';

/** A generic JSON SMS provider over HTTPS; the contract is in docs/sms-gateways.md ("HTTP provider"). */
export interface HttpGatewayConfig {
  name: string;
  /** Where submits are POSTed. */
  url: string;
  account: string;
  /** Shared secret for the HMAC-SM3 signature of our submits. */
  secret: string;
  /** Secret the provider signs its callbacks with; default `secret`. */
  callbackSecret?: string;
  /** Sent with every submit: where the provider posts receipts and replies (see httpReceiptRoutes). */
  callbackUrl?: string;
  /** Sender number, when the provider lets the caller choose it. */
  sourceAddr?: string;
  /** Submits awaiting their answer at most; further callers wait in line. Default 20. */
  window?: number;
  /** Default 10 s; after it the outcome is unknown (the request may have been taken). */
  responseTimeoutMs?: number;
  /** How long a submit may wait for a window slot before it fails NOT_SENT. Default 30 s. */
  submitWaitMs?: number;
  stopGraceMs?: number;
  /** How far a callback's timestamp may be from our clock. Default 5 minutes. */
  replayWindowMs?: number;
}

/** A Gateway that also takes the provider's signed callbacks (mounted by httpReceiptRoutes). */
export interface HttpGateway extends Gateway {
  /**
   * Verifies a callback and hands its receipts and replies to the listeners. Rejects with an AppError
   * for a bad signature, timestamp or body, and with the listener's error when one fails to store (the
   * provider should then send the callback again). A callback already handled is not handed on twice.
   */
  handleCallback(headers: Record<string, string | string[] | undefined>, body: string): Promise<{ receipts: number; inbound: number }>;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

/** Network errors that mean the request never reached the provider. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export function createHttpGateway(config: HttpGatewayConfig): HttpGateway {
  const window = config.window ?? 20;
  if (!Number.isInteger(window) || window < 1) throw new AppError('SMS_GATEWAY_CONFIG_INVALID', { params: { reason: `window ${window}` } });
  try {
    new URL(config.url);
  } catch {
    throw new AppError('SMS_GATEWAY_CONFIG_INVALID', { params: { reason: `url ${config.url}` } });
  }
  return new HttpProviderGateway(config, window);
}

class HttpProviderGateway implements HttpGateway {
  readonly name: string;
  private state: 'stopped' | 'running' | 'stopping' = 'stopped';
  private active = 0;
  private readonly waiters: Waiter[] = [];
  private readonly receiptListeners = new Set<ReceiptListener>();
  private readonly inboundListeners = new Set<InboundListener>();
  private lastError: string | null = null;
  private lastOk = true;
  /** Signatures of callbacks already handled, with when they expire from the replay window. */
  private readonly handled = new Map<string, number>();
  private readonly counters = { submitted: 0, throttled: 0, receipts: 0, receiptErrors: 0, lateResponses: 0, lateListenerErrors: 0, reconnects: 0 };
  private readonly failed: GatewayMetrics['failed'] = { NOT_SENT: 0, UNKNOWN: 0, REFUSED: 0 };

  constructor(
    private readonly config: HttpGatewayConfig,
    private readonly window: number,
  ) {
    this.name = config.name;
  }

  /** HTTP has no session to open: the gateway is ready at once, and a provider that is down shows in the first submit. */
  async start(): Promise<void> {
    this.state = 'running';
  }

  async submit(message: OutboundSms): Promise<SubmitResult> {
    let segmented;
    try {
      segmented = segmentText(message.text, { reference: message.reference, priceMilliFen: 0 });
    } catch (e) {
      throw e instanceof AppError ? GatewayError.fromInput(e) : e;
    }
    await this.acquire();
    try {
      const messageIds = await this.post(message);
      this.counters.submitted += messageIds.length;
      this.lastOk = true;
      return { messageIds, segments: segmented.segments, encoding: segmented.encoding };
    } catch (e) {
      if (e instanceof GatewayError) {
        this.failed[e.outcome]++;
        this.lastOk = false;
        this.lastError = e.message;
      }
      throw e;
    } finally {
      this.release();
    }
  }

  onReceipt(listener: ReceiptListener): () => void {
    this.receiptListeners.add(listener);
    return () => this.receiptListeners.delete(listener);
  }

  /** Never called: a timed-out request is abandoned. Resend with the same idempotency key instead; the provider answers it with the first ids. */
  onLateAnswer(_listener: (answer: LateAnswer) => void): () => void {
    return () => undefined;
  }

  onInbound(listener: InboundListener): () => void {
    this.inboundListeners.add(listener);
    return () => this.inboundListeners.delete(listener);
  }

  async handleCallback(headers: Record<string, string | string[] | undefined>, body: string): Promise<{ receipts: number; inbound: number }> {
    const now = Date.now();
    const windowMs = this.config.replayWindowMs ?? REPLAY_WINDOW_MS;
    const content = verifyCallback(headers, body, this.config.callbackSecret ?? this.config.secret, now, windowMs);
    const signature = String(headers[SIGNATURE_HEADER]);
    for (const [seen, expires] of this.handled) if (expires < now) this.handled.delete(seen);
    if (this.handled.has(signature)) return { receipts: 0, inbound: 0 };
    try {
      if (content.receipts.length > 0 && this.receiptListeners.size === 0) throw new Error('no receipt listener');
      for (const r of content.receipts) await Promise.all([...this.receiptListeners].map((l) => l(r)));
      for (const m of content.inbound) await Promise.all([...this.inboundListeners].map((l) => l(m)));
    } catch (e) {
      this.counters.receiptErrors++;
      throw e;
    }
    this.counters.receipts += content.receipts.length;
    // Remembered for twice the window: the timestamp may be up to one window old or ahead.
    this.handled.set(signature, now + 2 * windowMs);
    return { receipts: content.receipts.length, inbound: content.inbound.length };
  }

  async stop(opts: { graceMs?: number } = {}): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(this.error('SMS_GATEWAY_STOPPED', 'TEMPORARY', 'NOT_SENT'));
    }
    const deadline = Date.now() + (opts.graceMs ?? this.config.stopGraceMs ?? 10_000);
    while (this.active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    this.state = 'stopped';
  }

  health(): GatewayHealth {
    const state = this.state === 'running' ? (this.lastOk ? 'up' : 'degraded') : this.state;
    return { state, binds: [{ id: `${this.name}#http`, mode: 'http', state: this.state, lastError: this.lastError, throttledUntil: null }] };
  }

  metrics(): GatewayMetrics {
    return { inFlight: this.active, waiting: this.waiters.length, failed: { ...this.failed }, ...this.counters };
  }

  private acquire(): Promise<void> {
    if (this.state !== 'running') return Promise.reject(this.error('SMS_GATEWAY_STOPPED', 'TEMPORARY', 'NOT_SENT'));
    if (this.active < this.window) {
      this.active++;
      return Promise.resolve();
    }
    const waitMs = this.config.submitWaitMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          this.failed.NOT_SENT++;
          reject(this.error('SMS_GATEWAY_UNAVAILABLE', 'TEMPORARY', 'NOT_SENT', { waitMs }));
        }, waitMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Hands the slot straight to the next waiting submit, or frees it. */
  private release(): void {
    const next = this.waiters.shift();
    if (!next) {
      this.active--;
      return;
    }
    clearTimeout(next.timer);
    next.resolve();
  }

  private async post(message: OutboundSms): Promise<string[]> {
    const key = message.idempotencyKey ?? randomUUID();
    const body = JSON.stringify({
      id: key,
      to: message.to,
      text: message.text,
      ...(this.config.sourceAddr ? { from: this.config.sourceAddr } : {}),
      ...(this.config.callbackUrl ? { callbackUrl: this.config.callbackUrl } : {}),
    });
    const timeoutMs = this.config.responseTimeoutMs ?? 10_000;
    let status: number;
    let answer: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(this.config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [ACCOUNT_HEADER]: this.config.account, ...signedHeaders(this.config.secret, body, Date.now()) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      answer = await response.text();
    } catch (e) {
      throw this.networkError(e, key, timeoutMs);
    }
    if (status >= 200 && status < 300) return this.messageIds(answer);
    throw this.statusError(status, answer, retryAfter);
  }

  private messageIds(answer: string): string[] {
    let ids: unknown;
    try {
      ids = (JSON.parse(answer) as { messageIds?: unknown }).messageIds;
    } catch {
      ids = undefined;
    }
    if (Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string' && id !== '')) return ids as string[];
    // Taken (2xx) but without ids we can match receipts on: as good as unknown.
    throw this.error('SMS_GATEWAY_RESPONSE_INVALID', 'TEMPORARY', 'UNKNOWN', { reason: 'messageIds must be a non-empty list of strings' });
  }

  private networkError(e: unknown, key: string, timeoutMs: number): GatewayError {
    if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
      const error = this.error('SMS_GATEWAY_TIMEOUT', 'TEMPORARY', 'UNKNOWN', { timeoutMs }, e);
      error.attempt = `${this.name}/${key}`;
      return error;
    }
    const code = (e instanceof Error && (e.cause as { code?: string } | undefined)?.code) || '';
    if (NOT_CONNECTED_CODES.has(code)) return this.error('SMS_GATEWAY_NOT_CONNECTED', 'TEMPORARY', 'NOT_SENT', {}, e);
    return this.error('SMS_GATEWAY_CONNECTION_LOST', 'TEMPORARY', 'UNKNOWN', {}, e);
  }

  /**
   * 429 and 503 say the provider took nothing: resend after a pause. Other 5xx may come after the
   * provider stored the message: unknown. 4xx refuse the message itself: permanent.
   */
  private statusError(status: number, answer: string, retryAfter: string | null): GatewayError {
    const http = `HTTP ${status}`;
    if (status === 429) {
      this.counters.throttled++;
      return this.error('SMS_GATEWAY_THROTTLED', 'TEMPORARY', 'REFUSED', { status: retryAfter ? `${http}, Retry-After ${retryAfter}` : http }, undefined, status);
    }
    if (status === 503) return this.error('SMS_GATEWAY_BUSY', 'TEMPORARY', 'REFUSED', { status: http }, undefined, status);
    if (status >= 500) return this.error('SMS_GATEWAY_SERVER_ERROR', 'TEMPORARY', 'UNKNOWN', { status }, undefined, status);
    if (status === 401 || status === 403) return this.error('SMS_GATEWAY_BIND_FAILED', 'PERMANENT', 'REFUSED', { status: http }, undefined, status);
    let providerCode: unknown;
    try {
      providerCode = (JSON.parse(answer) as { error?: { code?: unknown } }).error?.code;
    } catch {
      providerCode = undefined;
    }
    const code = providerCode === 'DESTINATION_INVALID' ? 'SMS_DESTINATION_INVALID' : 'SMS_GATEWAY_REJECTED';
    return this.error(code, 'PERMANENT', 'REFUSED', { status: typeof providerCode === 'string' ? `${http} ${providerCode}` : http }, undefined, status);
  }

  private error(code: ErrorCode, kind: FailureKind, outcome: SubmitOutcome, params: Record<string, string | number> = {}, cause?: unknown, protocolStatus?: number): GatewayError {
    return new GatewayError(code, { kind, outcome, params: { gateway: this.name, ...params }, cause, protocolStatus });
  }
}
