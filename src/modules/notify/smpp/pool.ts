import { AppError } from '../../../platform/errors/app-error.ts';
import {
  GatewayError,
  type Gateway,
  type GatewayHealth,
  type GatewayInbound,
  type GatewayMetrics,
  type GatewayReceipt,
  type GatewayState,
  type InboundListener,
  type LateAnswer,
  type OutboundSms,
  type ReceiptListener,
  type SubmitResult,
} from '../gateway.ts';
import type { SegmentedSms } from '../segments.ts';
import type { Link, LinkHooks } from './link.ts';

export interface PoolSettings {
  /** How long a segment may wait for a window slot on a bound connection before it fails NOT_SENT. */
  submitWaitMs: number;
  /** Throttled segments are sent again this many times (after the bind's pause) before failing. */
  throttleRetries: number;
  /** Default grace for stop(). */
  stopGraceMs: number;
}

export const POOL_DEFAULTS: PoolSettings = { submitWaitMs: 30_000, throttleRetries: 3, stopGraceMs: 10_000 };

interface Waiter {
  resolve(link: Link<unknown>): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * A Gateway over several binds to one provider. Segments go round-robin to binds that have a free
 * window slot; callers wait in one FIFO queue when every window is full or no bind is up.
 * A segment that never left (NOT_SENT, e.g. its bind dropped before the write) or was throttled is
 * tried again on the next free bind; a written segment without an answer is never resent here.
 */
export class LinkPool implements Gateway {
  private readonly links: Array<Link<unknown>> = [];
  private readonly waiters: Waiter[] = [];
  private readonly listeners = new Set<ReceiptListener>();
  private readonly lateListeners = new Set<(answer: LateAnswer) => void>();
  private readonly inboundListeners = new Set<InboundListener>();
  private next = 0;
  private state: 'stopped' | 'starting' | 'running' | 'stopping' = 'stopped';
  private readonly counters = { submitted: 0, throttled: 0, receipts: 0, receiptErrors: 0, lateResponses: 0, lateListenerErrors: 0, reconnects: 0 };
  private readonly failed: GatewayMetrics['failed'] = { NOT_SENT: 0, UNKNOWN: 0, REFUSED: 0 };

  constructor(
    readonly name: string,
    private readonly settings: PoolSettings,
    private readonly segment: (message: OutboundSms) => SegmentedSms,
  ) {}

  /** The hooks a link of this pool reports to; pass them to each link's constructor, then add it. */
  readonly hooks: LinkHooks = {
    capacity: () => this.pump(),
    reconnected: () => this.counters.reconnects++,
    late: (answer) => {
      this.counters.lateResponses++;
      if (!answer) return;
      // Runs inside the socket's data handler: a listener's bug must not stop the PDUs after it.
      for (const l of this.lateListeners) {
        try {
          l(answer);
        } catch {
          this.counters.lateListenerErrors++;
        }
      }
    },
    receipt: (r) => this.deliver(r),
    inbound: (sms) => this.receive(sms),
    unreadableReceipt: () => this.counters.receiptErrors++,
  };

  add(link: Link<unknown>): void {
    this.links.push(link);
  }

  /** Resolves when one bind is up; rejects when every bind's first attempt failed (they keep retrying until stop). */
  async start(): Promise<void> {
    if (this.links.length === 0) throw new AppError('SMS_GATEWAY_CONFIG_INVALID', { params: { reason: 'no binds' } });
    this.state = 'starting';
    const attempts = this.links.map((l) => l.start());
    try {
      await Promise.any(attempts);
      this.state = 'running';
    } catch (e) {
      this.state = 'running';
      throw e instanceof AggregateError ? e.errors[0] : e;
    }
  }

  async submit(message: OutboundSms): Promise<SubmitResult> {
    let sms: SegmentedSms;
    try {
      sms = this.segment(message);
    } catch (e) {
      throw e instanceof AppError ? GatewayError.fromInput(e) : e;
    }
    const ids: string[] = [];
    for (let i = 0; i < sms.parts.length; i++) {
      try {
        ids.push(await this.submitSegment(message.to, sms, i));
      } catch (e) {
        if (e instanceof GatewayError) {
          e.acceptedIds = ids;
          e.segment = i;
        }
        throw e;
      }
    }
    return { messageIds: ids, segments: sms.segments, encoding: sms.encoding };
  }

  onReceipt(listener: ReceiptListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onLateAnswer(listener: (answer: LateAnswer) => void): () => void {
    this.lateListeners.add(listener);
    return () => this.lateListeners.delete(listener);
  }

  onInbound(listener: InboundListener): () => void {
    this.inboundListeners.add(listener);
    return () => this.inboundListeners.delete(listener);
  }

  async stop(opts: { graceMs?: number } = {}): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(this.stoppedError());
    }
    const deadline = Date.now() + (opts.graceMs ?? this.settings.stopGraceMs);
    await new Promise<void>((resolve) => {
      const check = () => {
        if (this.inFlight() === 0 || Date.now() >= deadline) return resolve();
        setTimeout(check, Math.min(10, Math.max(1, deadline - Date.now())));
      };
      check();
    });
    await Promise.all(this.links.map((l) => l.close()));
    this.state = 'stopped';
  }

  health(): GatewayHealth {
    let state: GatewayState;
    if (this.state !== 'running') state = this.state;
    else {
      const senders = this.links.filter((l) => l.canSubmit);
      const up = senders.filter((l) => l.state === 'ready').length;
      state = up === senders.length ? 'up' : up > 0 ? 'degraded' : 'down';
    }
    return {
      state,
      binds: this.links.map((l) => ({ id: l.id, mode: l.mode, state: l.state, lastError: l.lastError, throttledUntil: l.throttledUntil })),
    };
  }

  metrics(): GatewayMetrics {
    return { inFlight: this.inFlight(), waiting: this.waiters.length, failed: { ...this.failed }, ...this.counters };
  }

  private inFlight(): number {
    return this.links.reduce((sum, l) => sum + l.inFlight, 0);
  }

  private async submitSegment(to: string, sms: SegmentedSms, index: number): Promise<string> {
    let throttles = 0;
    const waitUntil = Date.now() + this.settings.submitWaitMs;
    for (;;) {
      const link = await this.acquire(waitUntil);
      try {
        const id = await link.submitSegment(to, sms, index);
        this.counters.submitted++;
        return id;
      } catch (thrown) {
        const e = thrown instanceof AppError && !(thrown instanceof GatewayError) ? GatewayError.fromInput(thrown) : thrown;
        const retry = e instanceof GatewayError && this.state === 'running' && this.retryable(e, throttles);
        if (e instanceof GatewayError && e.code === 'SMS_GATEWAY_THROTTLED') {
          this.counters.throttled++;
          throttles++;
        }
        if (!retry) {
          if (e instanceof GatewayError) this.failed[e.outcome]++;
          throw e;
        }
      } finally {
        link.release();
      }
    }
  }

  private retryable(e: GatewayError, throttles: number): boolean {
    if (e.code === 'SMS_GATEWAY_THROTTLED') return throttles < this.settings.throttleRetries;
    return e.code === 'SMS_GATEWAY_NOT_CONNECTED';
  }

  private acquire(waitUntil: number): Promise<Link<unknown>> {
    if (this.state !== 'running' && this.state !== 'starting') return Promise.reject(this.stoppedError());
    return new Promise((resolve, reject) => {
      const waitMs = Math.max(0, waitUntil - Date.now());
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          this.failed.NOT_SENT++;
          reject(new GatewayError('SMS_GATEWAY_UNAVAILABLE', { kind: 'TEMPORARY', outcome: 'NOT_SENT', params: { gateway: this.name, waitMs: this.settings.submitWaitMs } }));
        }, waitMs),
      };
      this.waiters.push(waiter);
      this.pump();
    });
  }

  /** Hands free slots to waiting segments, round-robin over the binds. */
  private pump(): void {
    const now = Date.now();
    while (this.waiters.length > 0) {
      const link = this.pick(now);
      if (!link) return;
      const waiter = this.waiters.shift()!;
      clearTimeout(waiter.timer);
      link.reserve();
      waiter.resolve(link);
    }
  }

  private pick(now: number): Link<unknown> | null {
    for (let i = 0; i < this.links.length; i++) {
      const link = this.links[(this.next + i) % this.links.length]!;
      if (link.hasSlot(now)) {
        this.next = (this.next + i + 1) % this.links.length;
        return link;
      }
    }
    return null;
  }

  /** With no listener nobody stores the receipt: refuse it, so the SMSC keeps it and sends it again. */
  private async deliver(receipt: GatewayReceipt): Promise<void> {
    try {
      if (this.listeners.size === 0) throw new Error('no receipt listener');
      await Promise.all([...this.listeners].map((l) => l(receipt)));
      this.counters.receipts++;
    } catch (e) {
      this.counters.receiptErrors++;
      throw e;
    }
  }

  private async receive(sms: GatewayInbound): Promise<void> {
    await Promise.all([...this.inboundListeners].map((l) => l(sms)));
  }

  private stoppedError(): GatewayError {
    return new GatewayError('SMS_GATEWAY_STOPPED', { kind: 'TEMPORARY', outcome: 'NOT_SENT', params: { gateway: this.name } });
  }
}
