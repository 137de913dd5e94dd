import net from 'node:net';
import { GatewayError, backoffDelay, type GatewayInbound, type GatewayReceipt, type LateAnswer } from '../gateway.ts';
import type { SegmentedSms } from '../segments.ts';

/**
 * One bind to an SMSC over TCP, protocol-neutral: SMPP and CMPP sessions extend it with their codec.
 * It owns sequence numbers, the per-request response timeout, keep-alive with dead-link detection,
 * reconnect with backoff, and the throttle pause; the pool (pool.ts) owns the window accounting
 * across binds and the queue of callers waiting for a slot.
 */
export interface LinkSettings {
  host: string;
  port: number;
  /** Submits awaiting their response on this bind, at most. */
  window: number;
  /** How long a request waits for its response before it is given up as UNKNOWN. */
  responseTimeoutMs: number;
  /** Silence on the connection after which a keep-alive request is sent. */
  keepAliveMs: number;
  connectTimeoutMs: number;
  reconnect: { minMs: number; maxMs: number };
  /** Pause after a throttling answer: doubles with each one in a row, reset by an accepted submit. */
  throttle: { minMs: number; maxMs: number };
}

export const LINK_DEFAULTS: Omit<LinkSettings, 'host' | 'port'> = {
  window: 10,
  responseTimeoutMs: 10_000,
  keepAliveMs: 30_000,
  connectTimeoutMs: 10_000,
  reconnect: { minMs: 1_000, maxMs: 60_000 },
  throttle: { minMs: 200, maxMs: 10_000 },
};

export type LinkState = 'idle' | 'connecting' | 'binding' | 'ready' | 'reconnecting' | 'closing' | 'stopped';

/** What a link reports to its pool. */
export interface LinkHooks {
  /** A slot may have become free: the bind came up, a response arrived, a pause ended. */
  capacity(): void;
  reconnected(): void;
  /** An answer to a request that had timed out; `answer` is set when it answered a submit. */
  late(answer: LateAnswer | null): void;
  /** Resolves once the receipt is stored; a rejection makes the link refuse it so the SMSC resends. */
  receipt(receipt: GatewayReceipt): Promise<void>;
  /** Resolves once the handset's message is handled; a rejection makes the link refuse it so the SMSC resends. */
  inbound(sms: GatewayInbound): Promise<void>;
  /** A receipt that could not be read (acknowledged anyway: resending would not make it readable). */
  unreadableReceipt(error: unknown): void;
}

interface Pending<In> {
  resolve(pdu: In): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

/** How many timed-out sequence numbers are remembered to recognise late answers. */
const LATE_MEMORY = 10_000;

export abstract class Link<In> {
  state: LinkState = 'idle';
  lastError: string | null = null;
  /** Submits reserved by the pool and not yet finished. */
  inFlight = 0;
  abstract readonly mode: string;
  abstract readonly canSubmit: boolean;

  private socket: net.Socket | null = null;
  private sequence = 0;
  private readonly pending = new Map<number, Pending<In>>();
  /** Timed-out sequence number → the attempt name its error carried. */
  private readonly timedOut = new Map<number, string>();
  private connection = 0;
  private reconnectAttempt = 0;
  private everBound = false;
  private stopping = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private keepAliveOutstanding = false;
  private lastReceived = 0;
  private pausedUntil = 0;
  private pauseTimer: NodeJS.Timeout | null = null;
  private throttleStreak = 0;
  private firstAttempt: { resolve(): void; reject(e: unknown): void } | null = null;

  constructor(
    readonly id: string,
    readonly gateway: string,
    protected readonly settings: LinkSettings,
    protected readonly hooks: LinkHooks,
  ) {}

  /** Cuts the byte stream into PDUs; a fresh reader per connection. Throws when the stream is corrupt. */
  protected abstract createReader(): (chunk: Buffer) => In[];
  protected abstract sequenceOf(pdu: In): number;
  protected abstract isResponse(pdu: In): boolean;
  protected abstract bindFrame(sequence: number): Buffer;
  /** Throws a GatewayError when the bind response refuses us. */
  protected abstract checkBind(response: In): void;
  protected abstract keepAliveFrame(sequence: number): Buffer;
  protected abstract unbindFrame(sequence: number): Buffer;
  /** An SMSC-initiated request: keep-alive, receipt, unbind. */
  protected abstract handleRequest(pdu: In): void;
  /** For a submit response: the id it gives (null when it refuses); null for any other PDU. */
  protected abstract submitAnswer(response: In): { messageId: string | null } | null;
  /** Submits one segment and resolves with the SMSC's id for it. */
  abstract submitSegment(to: string, sms: SegmentedSms, index: number): Promise<string>;

  /** Starts connecting; resolves when bound, rejects with the first attempt's error (retries go on). */
  start(): Promise<void> {
    this.stopping = false;
    const first = new Promise<void>((resolve, reject) => (this.firstAttempt = { resolve, reject }));
    void this.connect();
    return first;
  }

  /** Free for one more submit now: bound, able to submit, under the window and not paused. */
  hasSlot(now: number): boolean {
    // The writable check matters: request() refuses exactly when it fails, so a slot is never handed
    // to a socket that is already gone but whose close event has not run yet.
    return this.state === 'ready' && this.canSubmit && this.inFlight < this.settings.window && now >= this.pausedUntil && this.writable();
  }

  /** When the throttle pause ends, or null when the bind is not paused. */
  get throttledUntil(): Date | null {
    return this.pausedUntil > Date.now() ? new Date(this.pausedUntil) : null;
  }

  reserve(): void {
    this.inFlight++;
  }

  release(): void {
    this.inFlight--;
    this.hooks.capacity();
  }

  /** Unbinds politely and closes; requests still pending fail as CONNECTION_LOST (outcome UNKNOWN). */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    if (!socket) {
      this.state = 'stopped';
      return;
    }
    if (this.state === 'ready') {
      this.state = 'closing';
      await this.request((seq) => this.unbindFrame(seq), Math.min(this.settings.responseTimeoutMs, 2_000)).catch(() => undefined);
    }
    await new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve();
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 1_000).unref();
    });
    this.state = 'stopped';
  }

  /** Sends a request and waits for the response with the same sequence number. */
  protected request(build: (sequence: number) => Buffer, timeoutMs = this.settings.responseTimeoutMs): Promise<In> {
    const socket = this.socket;
    if (!socket || !this.writable()) {
      return Promise.reject(new GatewayError('SMS_GATEWAY_NOT_CONNECTED', { kind: 'TEMPORARY', outcome: 'NOT_SENT', params: { gateway: this.gateway } }));
    }
    this.sequence = this.sequence >= 0x7fff_fffe ? 1 : this.sequence + 1;
    const seq = this.sequence;
    const frame = build(seq);
    return new Promise<In>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        const error = this.error('SMS_GATEWAY_TIMEOUT', { timeoutMs });
        error.attempt = `${this.id}/${this.connection}/${seq}`;
        this.timedOut.set(seq, error.attempt);
        if (this.timedOut.size > LATE_MEMORY) this.timedOut.delete(this.timedOut.keys().next().value!);
        reject(error);
      }, timeoutMs);
      this.pending.set(seq, { resolve, reject, timer });
      this.corkedWrite(socket, frame);
    });
  }

  /** Sends a response or other PDU that expects no answer. */
  protected send(frame: Buffer): void {
    if (this.writable()) this.corkedWrite(this.socket!, frame);
  }

  /** Frames written in the same tick leave in one segment: at thousands a second, a syscall each is what costs. */
  private corkedWrite(socket: net.Socket, frame: Buffer): void {
    socket.cork();
    socket.write(frame);
    process.nextTick(() => socket.uncork());
  }

  private writable(): boolean {
    return !!this.socket && !this.socket.destroyed && this.socket.writable;
  }

  /** After a throttling answer: no submits on this bind until the pause is over. */
  protected throttled(): void {
    const delay = backoffDelay(this.throttleStreak++, this.settings.throttle.minMs, this.settings.throttle.maxMs);
    this.pausedUntil = Date.now() + delay;
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => {
      // Timers may fire a millisecond before Date.now() reaches the deadline: end the pause explicitly.
      this.pauseTimer = null;
      this.pausedUntil = 0;
      this.hooks.capacity();
    }, delay);
  }

  protected accepted(): void {
    this.throttleStreak = 0;
  }

  /** A written request that got no answer: the SMSC may have acted on it. */
  protected error(code: 'SMS_GATEWAY_TIMEOUT' | 'SMS_GATEWAY_CONNECTION_LOST', params: Record<string, number> = {}): GatewayError {
    return new GatewayError(code, { kind: 'TEMPORARY', outcome: 'UNKNOWN', params: { gateway: this.gateway, ...params } });
  }

  /** Ends the connection after what was written is flushed (the SMSC unbound us); the close handler reconnects. */
  protected hangUp(reason: string): void {
    this.lastError = reason;
    this.state = 'closing';
    this.socket?.end();
  }

  /** Drops the connection (corrupt stream, dead link, refused bind); the close handler reconnects. */
  protected fail(reason: string): void {
    this.lastError = reason;
    if (this.state === 'ready') this.state = 'closing';
    this.socket?.destroy();
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = null;
    if (this.stopping) return;
    this.state = 'connecting';
    this.connection++;
    const socket = net.connect({ host: this.settings.host, port: this.settings.port });
    socket.setNoDelay(true);
    this.socket = socket;
    const read = this.createReader();
    socket.on('data', (chunk: Buffer) => this.onData(read, chunk));
    socket.on('error', (e) => (this.lastError = e.message));
    socket.once('close', () => this.onClose(socket));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`connect timeout after ${this.settings.connectTimeoutMs} ms`)), this.settings.connectTimeoutMs);
        socket.once('connect', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.once('close', () => {
          clearTimeout(timer);
          reject(new Error(this.lastError ?? 'connection closed'));
        });
      });
      this.state = 'binding';
      this.lastReceived = Date.now();
      this.checkBind(await this.request((seq) => this.bindFrame(seq)));
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      this.firstAttempt?.reject(
        e instanceof GatewayError
          ? e
          : new GatewayError('SMS_GATEWAY_CONNECT_FAILED', { kind: 'TEMPORARY', outcome: 'NOT_SENT', params: { gateway: this.gateway, reason: this.lastError }, cause: e }),
      );
      this.firstAttempt = null;
      socket.destroy();
      return;
    }
    this.state = 'ready';
    this.reconnectAttempt = 0;
    if (this.everBound) this.hooks.reconnected();
    this.everBound = true;
    this.firstAttempt?.resolve();
    this.firstAttempt = null;
    this.startKeepAlive();
    this.hooks.capacity();
  }

  private onData(read: (chunk: Buffer) => In[], chunk: Buffer): void {
    this.lastReceived = Date.now();
    let pdus: In[];
    try {
      pdus = read(chunk);
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
      return;
    }
    for (const pdu of pdus) {
      if (!this.isResponse(pdu)) {
        this.handleRequest(pdu);
        continue;
      }
      const seq = this.sequenceOf(pdu);
      const waiting = this.pending.get(seq);
      if (waiting) {
        clearTimeout(waiting.timer);
        this.pending.delete(seq);
        waiting.resolve(pdu);
      } else if (this.timedOut.has(seq)) {
        const attempt = this.timedOut.get(seq)!;
        this.timedOut.delete(seq);
        const answer = this.submitAnswer(pdu);
        this.hooks.late(answer && { attempt, messageId: answer.messageId });
      }
    }
  }

  private onClose(socket: net.Socket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = null;
    this.keepAliveOutstanding = false;
    this.timedOut.clear();
    const lost = [...this.pending.values()];
    this.pending.clear();
    for (const p of lost) {
      clearTimeout(p.timer);
      p.reject(this.error('SMS_GATEWAY_CONNECTION_LOST'));
    }
    if (this.stopping) {
      this.state = 'stopped';
      return;
    }
    this.state = 'reconnecting';
    const delay = backoffDelay(this.reconnectAttempt++, this.settings.reconnect.minMs, this.settings.reconnect.maxMs);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  /** Checks at half the keep-alive period so that silence is noticed within 1.5 periods. */
  private startKeepAlive(): void {
    const period = this.settings.keepAliveMs;
    this.keepAliveTimer = setInterval(() => {
      if (this.state !== 'ready' || this.keepAliveOutstanding || Date.now() - this.lastReceived < period) return;
      this.keepAliveOutstanding = true;
      this.request((seq) => this.keepAliveFrame(seq)).then(
        () => (this.keepAliveOutstanding = false),
        () => this.fail('no answer to the keep-alive: dead link'),
      );
    }, Math.max(1, Math.floor(period / 2)));
    this.keepAliveTimer.unref();
  }
}
