import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { sendError } from '../../../http/errors.ts';
import type { GatewayReceipt } from '../gateway.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { HTTP_SUBMIT_PATH } from '../simulator/http-provider.ts';
import { LONG_NOTICE, gatewayError, until } from '../simulator/testing.ts';
import { createHttpGateway, type HttpGateway, type HttpGatewayConfig } from './gateway.ts';
import { RECEIPT_PATH, httpReceiptRoutes } from './receipt-routes.ts';
import { signedHeaders } from './signature.ts';

const ACCOUNT = { id: 'cz-police', secret: 'provider-secret' };
const NOTICE = '【常州公安】您的居住证已制作完成，请携带身份证到受理点领取。';
const cleanup: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function provider(opts: Partial<Parameters<typeof startSimulator>[0]> = {}): Promise<Simulator> {
  const sim = await startSimulator({ protocol: 'http', port: 0, accounts: [ACCOUNT], receipts: { delayMs: 5 }, ...opts });
  cleanup.push(() => sim.stop());
  return sim;
}

/**
 * Our side: the gateway, and a Fastify app on loopback with its callback route. The route is registered
 * before the port is known, the gateway (whose callbackUrl names the port) is made after listening.
 */
async function gatewayFor(port: number, extra: Partial<HttpGatewayConfig> = {}): Promise<{ gateway: HttpGateway; app: FastifyInstance }> {
  let gateway: HttpGateway | null = null;
  const app = Fastify();
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  await app.register(httpReceiptRoutes({ name: 'cz-http', handleCallback: (headers, body) => gateway!.handleCallback(headers, body) }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  cleanup.push(() => app.close());
  const callbackUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}${RECEIPT_PATH}/cz-http`;
  gateway = createHttpGateway(gatewayConfig(port, { callbackUrl, ...extra }));
  await gateway.start();
  const started = gateway;
  cleanup.push(() => started.stop({ graceMs: 100 }));
  return { gateway: started, app };
}

function gatewayConfig(port: number, extra: Partial<HttpGatewayConfig>): HttpGatewayConfig {
  return { name: 'cz-http', url: `http://127.0.0.1:${port}${HTTP_SUBMIT_PATH}`, account: ACCOUNT.id, secret: ACCOUNT.secret, responseTimeoutMs: 2_000, ...extra };
}

/** A provider that answers every submit with one fixed status and body. */
async function fixedProvider(status: number, body: string): Promise<number> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

describe('HTTP gateway against the simulated provider on loopback', () => {
  it('submits signed JSON, gets one id per segment, and matches the signed receipt callbacks', async () => {
    const sim = await provider({ receipts: { delayMs: 5, failureRate: 0.5, failureStats: ['MBBLACK'], seed: 3 } });
    const { gateway } = await gatewayFor(sim.port);
    const receipts: GatewayReceipt[] = [];
    gateway.onReceipt((r) => {
      receipts.push(r);
    });
    const short = await gateway.submit({ to: '13800138000', text: NOTICE, reference: 1, idempotencyKey: 'card-1/READY' });
    const long = await gateway.submit({ to: '13800138001', text: LONG_NOTICE, reference: 2, idempotencyKey: 'card-2/READY' });
    expect(short).toMatchObject({ segments: 1, encoding: 'UCS2' });
    expect(short.messageIds).toHaveLength(1);
    expect(long.segments).toBe(3);
    expect(long.messageIds).toHaveLength(3);
    expect(sim.stats().parts.map((p) => p.text).join('')).toBe(NOTICE + LONG_NOTICE);

    await until(() => receipts.length === 4);
    expect(receipts.map((r) => r.messageId).sort()).toEqual([...short.messageIds, ...long.messageIds].sort());
    const stats = sim.stats();
    expect(receipts.filter((r) => r.status === 'FAILED')).toHaveLength(stats.failed);
    expect(receipts.filter((r) => r.stat === 'MBBLACK')).toHaveLength(stats.failed);
    await until(() => sim.stats().receiptsAcked === 4);
    expect(gateway.metrics()).toMatchObject({ submitted: 4, receipts: 4 });
  });

  it('answers a repeated idempotency key with the first ids, and the provider sends nothing twice', async () => {
    const sim = await provider();
    const { gateway } = await gatewayFor(sim.port);
    gateway.onReceipt(() => undefined);
    const first = await gateway.submit({ to: '13800138000', text: NOTICE, reference: 1, idempotencyKey: 'card-7/READY' });
    const again = await gateway.submit({ to: '13800138000', text: NOTICE, reference: 1, idempotencyKey: 'card-7/READY' });
    expect(again.messageIds).toEqual(first.messageIds);
    expect(sim.stats().accepted).toBe(1);
    await until(() => sim.stats().receiptsAcked === 1);
  });

  it('keeps the window: no more submits in flight than configured', async () => {
    const sim = await provider({ responseDelayMs: 30, receipts: false });
    const { gateway } = await gatewayFor(sim.port, { window: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => gateway.submit({ to: `1380013800${i}`, text: NOTICE, reference: i })));
    expect(sim.stats()).toMatchObject({ accepted: 8, maxInFlight: 2 });
  });

  it('maps throttling, a refused number, a wrong secret and silence to kind and outcome', async () => {
    const sim = await provider({ receipts: false });
    const { gateway } = await gatewayFor(sim.port, { responseTimeoutMs: 300 });
    sim.throttle(1);
    expect(await gatewayError(gateway.submit({ to: '13800138000', text: NOTICE, reference: 1 }))).toMatchObject({ code: 'SMS_GATEWAY_THROTTLED', kind: 'TEMPORARY', outcome: 'REFUSED', protocolStatus: 429 });
    expect(await gatewayError(gateway.submit({ to: '12', text: NOTICE, reference: 1 }))).toMatchObject({ code: 'SMS_DESTINATION_INVALID', kind: 'PERMANENT', outcome: 'REFUSED' });
    sim.dropResponses(1);
    const timeout = await gatewayError(gateway.submit({ to: '13800138000', text: NOTICE, reference: 1, idempotencyKey: 'k-1' }));
    expect(timeout).toMatchObject({ code: 'SMS_GATEWAY_TIMEOUT', kind: 'TEMPORARY', outcome: 'UNKNOWN', attempt: 'cz-http/k-1' });

    const wrong = createHttpGateway(gatewayConfig(sim.port, { secret: 'not-the-secret' }));
    await wrong.start();
    expect(await gatewayError(wrong.submit({ to: '13800138000', text: NOTICE, reference: 1 }))).toMatchObject({ code: 'SMS_GATEWAY_BIND_FAILED', kind: 'PERMANENT' });
    expect(sim.stats().bindFailures).toBe(1);
    expect(gateway.metrics().failed).toEqual({ NOT_SENT: 0, UNKNOWN: 1, REFUSED: 2 });
  });

  it('maps server errors and unreadable answers to an unknown outcome, 503 to busy, and a closed port to not sent', async () => {
    const cases: Array<[number, string, Record<string, string>]> = [
      [500, '{}', { code: 'SMS_GATEWAY_SERVER_ERROR', kind: 'TEMPORARY', outcome: 'UNKNOWN' }],
      [503, '{}', { code: 'SMS_GATEWAY_BUSY', kind: 'TEMPORARY', outcome: 'REFUSED' }],
      [200, '{"messageIds":[]}', { code: 'SMS_GATEWAY_RESPONSE_INVALID', kind: 'TEMPORARY', outcome: 'UNKNOWN' }],
      [422, '{"error":{"code":"TEMPLATE_UNKNOWN"}}', { code: 'SMS_GATEWAY_REJECTED', kind: 'PERMANENT', outcome: 'REFUSED' }],
    ];
    for (const [status, body, expected] of cases) {
      const gateway = createHttpGateway(gatewayConfig(await fixedProvider(status, body), {}));
      await gateway.start();
      expect(await gatewayError(gateway.submit({ to: '13800138000', text: NOTICE, reference: 1 })), `HTTP ${status}`).toMatchObject(expected);
    }
    const closed = await fixedProvider(200, '{}');
    await cleanup.pop()!();
    const gateway = createHttpGateway(gatewayConfig(closed, {}));
    await gateway.start();
    expect(await gatewayError(gateway.submit({ to: '13800138000', text: NOTICE, reference: 1 }))).toMatchObject({ code: 'SMS_GATEWAY_NOT_CONNECTED', outcome: 'NOT_SENT' });
  });
});

describe('HTTP receipt callbacks', () => {
  it('are refused while they cannot be stored, and the provider sends them again', async () => {
    const sim = await provider({ receipts: { delayMs: 20, maxAttempts: 5 } });
    const { gateway } = await gatewayFor(sim.port);
    let failures = 2;
    const stored: GatewayReceipt[] = [];
    gateway.onReceipt((r) => {
      if (failures-- > 0) throw new Error('database down');
      stored.push(r);
    });
    const { messageIds } = await gateway.submit({ to: '13800138000', text: NOTICE, reference: 1 });
    await until(() => stored.length === 1);
    expect(stored[0]!.messageId).toBe(messageIds[0]);
    await until(() => sim.stats().receiptsAcked === 1);
    expect(sim.stats()).toMatchObject({ receiptsSent: 3, receiptsRefused: 2 });
  });

  it('answer 401 to a bad signature or an old timestamp and hand a replayed callback on only once', async () => {
    const sim = await provider({ receipts: false });
    const { gateway, app } = await gatewayFor(sim.port);
    const stored: GatewayReceipt[] = [];
    gateway.onReceipt((r) => {
      stored.push(r);
    });
    const url = `${RECEIPT_PATH}/cz-http`;
    const body = JSON.stringify({ receipts: [{ messageId: '42', stat: 'DELIVRD' }] });
    const post = (headers: Record<string, string>) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: body });

    const forged = await post(signedHeaders('guess', body, Date.now()));
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ error: { code: 'SMS_CALLBACK_SIGNATURE_INVALID' } });
    const stale = await post(signedHeaders(ACCOUNT.secret, body, Date.now() - 10 * 60_000));
    expect(stale.statusCode).toBe(401);
    expect(stale.json()).toMatchObject({ error: { code: 'SMS_CALLBACK_EXPIRED' } });
    expect(stored).toEqual([]);

    const headers = signedHeaders(ACCOUNT.secret, body, Date.now());
    expect((await post(headers)).statusCode).toBe(204);
    expect((await post(headers)).statusCode).toBe(204);
    expect(stored.map((r) => r.messageId)).toEqual(['42']);
  });
});
