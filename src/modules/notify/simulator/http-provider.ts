import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AppError } from '../../../platform/errors/app-error.ts';
import { ACCOUNT_HEADER, signedHeaders, verifySignature } from '../http/signature.ts';
import { decodeUserData, segmentText } from '../segments.ts';
import { Faults, ReceiptPlanner, Timers, emptyStats, recordPart, validDestination, type SimulatorOptions } from './behaviour.ts';
import type { Simulator } from './index.ts';

/** Where the simulated provider takes submits. */
export const HTTP_SUBMIT_PATH = '/sms';

interface PendingCallback {
  url: string;
  secret: string;
  body: string;
  attempts: number;
}

/**
 * The HTTP provider of docs/sms-gateways.md: signed JSON submits on POST /sms, one id per segment,
 * the first answer again for a repeated idempotency id, and receipts as signed callbacks to the
 * submit's callbackUrl (or `callbackUrl` of the options), sent again when refused.
 */
export async function startHttpProvider(opts: SimulatorOptions): Promise<Simulator> {
  const stats = emptyStats();
  const faults = new Faults();
  const timers = new Timers();
  const planner = opts.receipts ? new ReceiptPlanner(opts.receipts) : null;
  /** account + idempotency id → the ids answered the first time. */
  const answered = new Map<string, string[]>();
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let stalled = false;
  let nextId = 0x2000_0000;

  const server = http.createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      if (stalled) return;
      if (request.method !== 'POST' || request.url !== HTTP_SUBMIT_PATH) return reply(response, 404, { error: { code: 'NOT_FOUND' } });
      submit(request, response, raw);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    stats.connections++;
    socket.on('close', () => {
      sockets.delete(socket);
      stats.connections--;
    });
  });

  function submit(request: http.IncomingMessage, response: http.ServerResponse, raw: string): void {
    const account = opts.accounts.find((a) => a.id === request.headers[ACCOUNT_HEADER]);
    try {
      if (!account) throw new AppError('SMS_CALLBACK_SIGNATURE_INVALID');
      verifySignature(request.headers, raw, account.secret, Date.now());
    } catch {
      stats.bindFailures++;
      return reply(response, 401, { error: { code: 'SIGNATURE_INVALID' } });
    }
    let body: { id?: unknown; to?: unknown; text?: unknown; callbackUrl?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return reply(response, 400, { error: { code: 'BODY_INVALID' } });
    }
    if (typeof body.id !== 'string' || typeof body.to !== 'string' || typeof body.text !== 'string') return reply(response, 400, { error: { code: 'BODY_INVALID' } });
    stats.submits++;
    const fault = faults.next();
    if (fault === 'drop') {
      stats.dropped++;
      return;
    }
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    const answer = (status: number, payload: unknown) =>
      timers.after(opts.responseDelayMs ?? 0, () => {
        inFlight--;
        reply(response, status, payload);
      });
    if (fault === 'throttle') {
      stats.throttled++;
      return answer(429, { error: { code: 'THROTTLED' } });
    }
    const key = `${account.id}\u0000${body.id}`;
    const earlier = answered.get(key);
    if (earlier) return answer(200, { messageIds: earlier });
    if (!validDestination(body.to)) {
      stats.rejected++;
      return answer(400, { error: { code: 'DESTINATION_INVALID' } });
    }
    let sms;
    try {
      sms = segmentText(body.text, { reference: 0, priceMilliFen: 0 });
    } catch {
      stats.rejected++;
      return answer(400, { error: { code: 'TEXT_INVALID' } });
    }
    const to = body.to;
    const ids = sms.parts.map((part) => {
      const messageId = String(nextId++);
      recordPart(stats, { messageId, to, dataCoding: sms.dataCoding, ...decodeUserData(sms.encoding, part.userData, part.udh !== null) });
      return messageId;
    });
    answered.set(key, ids);
    stats.accepted += ids.length;
    answer(200, { messageIds: ids });
    const url = typeof body.callbackUrl === 'string' ? body.callbackUrl : opts.callbackUrl;
    if (!planner || !opts.receipts || !url) return;
    for (const messageId of ids) {
      const stat = planner.stat();
      if (stat === 'DELIVRD') stats.delivered++;
      else stats.failed++;
      const done = () => new Date().toISOString();
      timers.after(opts.receipts.delayMs, () =>
        void callback({ url, secret: account.secret, attempts: 0, body: JSON.stringify({ receipts: [{ messageId, stat, err: stat === 'DELIVRD' ? '000' : '001', doneAt: done() }] }) }),
      );
    }
  }

  /** Posts a signed receipt; one the client refuses (or cannot take) is sent again after `delayMs`. */
  async function callback(pending: PendingCallback): Promise<void> {
    pending.attempts++;
    stats.receiptsSent++;
    let ok: boolean;
    try {
      const response = await fetch(pending.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedHeaders(pending.secret, pending.body, Date.now()) },
        body: pending.body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      ok = response.ok;
    } catch {
      ok = false;
    }
    if (ok) {
      stats.receiptsAcked++;
      return;
    }
    stats.receiptsRefused++;
    if (opts.receipts && pending.attempts < (opts.receipts.maxAttempts ?? 5)) timers.after(opts.receipts.delayMs, () => void callback(pending));
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stats: () => ({ ...stats, parts: [...stats.parts] }),
    dropResponses: (n, after = 0) => {
      faults.drop += n;
      faults.dropAfter = after;
    },
    throttle: (n) => (faults.throttle += n),
    closeConnections: () => {
      for (const s of sockets) s.destroy();
    },
    stall: () => {
      stalled = true;
    },
    stop: async () => {
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(response: http.ServerResponse, status: number, payload: unknown): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
}
