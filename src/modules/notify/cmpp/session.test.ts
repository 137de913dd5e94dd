import { afterEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../gateway.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/index.ts';
import { LONG_NOTICE, collectReceipts, gatewayError, until } from '../simulator/testing.ts';
import { decodeMsgId, parseMsgId } from './msg-id.ts';
import { createCmppGateway, type CmppGatewayConfig } from './session.ts';

const ACCOUNT = { id: '901234', secret: 'shared-secret' };
const TO = '13800138000';
const cleanup: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function simulator(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const sim = await startSimulator({ protocol: 'cmpp', port: 0, accounts: [ACCOUNT], receipts: { delayMs: 2 }, ...opts });
  cleanup.push(() => sim.stop());
  return sim;
}

async function gateway(sim: Simulator, config: Partial<CmppGatewayConfig> = {}, start = true): Promise<Gateway> {
  const gw = createCmppGateway({
    name: 'ismg',
    host: '127.0.0.1',
    port: sim.port,
    spId: ACCOUNT.id,
    sharedSecret: ACCOUNT.secret,
    serviceId: 'CARDNOTICE',
    srcId: '1065712345',
    ...config,
    link: { responseTimeoutMs: 2_000, reconnect: { minMs: 5, maxMs: 20 }, throttle: { minMs: 5, maxMs: 20 }, ...config.link },
    pool: { submitWaitMs: 2_000, ...config.pool },
  });
  cleanup.push(() => gw.stop({ graceMs: 100 }));
  if (start) await gw.start();
  return gw;
}

describe('CMPP gateway session', () => {
  for (const version of [0x30, 0x20] as const) {
    it(`submits and matches the status report by Msg_Id (CMPP ${version >> 4}.0)`, async () => {
      const sim = await simulator({ cmppVersion: version });
      const gw = await gateway(sim, { version });
      const receipts = collectReceipts(gw);
      const result = await gw.submit({ to: TO, text: '【常州公安】您的居住证已可领取', reference: 1 });
      expect(result).toMatchObject({ segments: 1, encoding: 'UCS2' });
      expect(decodeMsgId(parseMsgId(result.messageIds[0]!)).gatewayId).toBe(0x2a5f);
      expect(sim.stats().parts[0]).toMatchObject({ to: TO, dataCoding: 8, text: '【常州公安】您的居住证已可领取' });
      await until(() => receipts.length === 1);
      expect(receipts[0]).toMatchObject({ messageId: result.messageIds[0], status: 'DELIVERED', stat: 'DELIVRD', errorCode: null });
      expect(receipts[0]!.doneAt).toBeInstanceOf(Date);
    });
  }

  it('sends a long message per segment with Pk_total/Pk_number and the UDH, a report per segment', async () => {
    const sim = await simulator();
    const gw = await gateway(sim);
    const receipts = collectReceipts(gw);
    const result = await gw.submit({ to: TO, text: LONG_NOTICE, reference: 77 });
    expect(result.segments).toBe(3);
    const parts = sim.stats().parts;
    expect(parts.map((p) => p.concat)).toEqual([1, 2, 3].map((sequence) => ({ reference: 77, total: 3, sequence })));
    expect(parts.map((p) => p.text).join('')).toBe(LONG_NOTICE);
    await until(() => receipts.length === 3);
    expect(receipts.map((r) => r.messageId).sort()).toEqual([...result.messageIds].sort());
  });

  it('reports failed deliveries with the operator stat as error code', async () => {
    const sim = await simulator({ receipts: { delayMs: 2, failureRate: 1, failureStats: ['MK:0001'] } });
    const gw = await gateway(sim);
    const receipts = collectReceipts(gw);
    await gw.submit({ to: TO, text: '通知', reference: 2 });
    await until(() => receipts.length === 1);
    expect(receipts[0]).toMatchObject({ status: 'FAILED', stat: 'MK:0001', errorCode: 'MK:0001' });
  });

  it('refuses status reports while nobody stores them, and takes them when the ISMG sends again', async () => {
    const sim = await simulator({ receipts: { delayMs: 5, maxAttempts: 100 } });
    const gw = await gateway(sim);
    const { messageIds } = await gw.submit({ to: TO, text: '稍后', reference: 2 });
    await until(() => sim.stats().receiptsRefused >= 1);
    const receipts = collectReceipts(gw);
    await until(() => receipts.length === 1);
    expect(receipts[0]!.messageId).toBe(messageIds[0]);
    await until(() => sim.stats().receiptsAcked === 1);
  });

  it('keeps the window over many submits', async () => {
    const sim = await simulator({ responseDelayMs: 5, receipts: false });
    const gw = await gateway(sim, { link: { window: 4 } });
    await Promise.all(Array.from({ length: 30 }, (_, i) => gw.submit({ to: TO, text: `通知 ${i}`, reference: i })));
    expect(sim.stats().accepted).toBe(30);
    expect(sim.stats().maxInFlight).toBeLessThanOrEqual(4);
    expect(sim.stats().maxInFlight).toBeGreaterThan(1);
  });

  it('refuses to connect with a wrong shared secret', async () => {
    const sim = await simulator();
    const gw = await gateway(sim, { sharedSecret: 'wrong' }, false);
    const error = await gatewayError(gw.start());
    expect(error).toMatchObject({ code: 'SMS_GATEWAY_BIND_FAILED', kind: 'PERMANENT', protocolStatus: 3 });
  });

  it('gives an unanswered SUBMIT as TEMPORARY with an unknown outcome', async () => {
    const sim = await simulator();
    const gw = await gateway(sim, { link: { responseTimeoutMs: 30 } });
    sim.dropResponses(1);
    const error = await gatewayError(gw.submit({ to: TO, text: '无应答', reference: 3 }));
    expect(error).toMatchObject({ code: 'SMS_GATEWAY_TIMEOUT', kind: 'TEMPORARY', outcome: 'UNKNOWN' });
  });

  it('backs off on flow control (Result 8) and resends', async () => {
    const sim = await simulator();
    const gw = await gateway(sim);
    sim.throttle(2);
    await expect(gw.submit({ to: TO, text: '限流', reference: 4 })).resolves.toMatchObject({ segments: 1 });
    expect(sim.stats()).toMatchObject({ throttled: 2, accepted: 1 });
  });

  it('refuses an invalid number as PERMANENT (Result 13)', async () => {
    const sim = await simulator();
    const gw = await gateway(sim);
    const error = await gatewayError(gw.submit({ to: 'abc', text: '号码错', reference: 5 }));
    expect(error).toMatchObject({ code: 'SMS_DESTINATION_INVALID', kind: 'PERMANENT', protocolStatus: 13 });
  });

  it('reconnects after the ISMG drops the connection, and gets reports that were waiting', async () => {
    const sim = await simulator({ receipts: { delayMs: 30 } });
    const gw = await gateway(sim);
    const receipts = collectReceipts(gw);
    const { messageIds } = await gw.submit({ to: TO, text: '断线前', reference: 6 });
    sim.closeConnections();
    await until(() => sim.stats().binds === 2);
    await until(() => receipts.length === 1);
    expect(receipts[0]!.messageId).toBe(messageIds[0]);
    expect(gw.metrics().reconnects).toBe(1);
  });

  it('keeps the link alive with ACTIVE_TEST when idle', async () => {
    const sim = await simulator();
    await gateway(sim, { link: { keepAliveMs: 10 } });
    await until(() => sim.stats().keepAlives >= 2);
  });

  it('drops a link whose ACTIVE_TEST goes unanswered and connects again', async () => {
    const sim = await simulator();
    const gw = await gateway(sim, { link: { keepAliveMs: 10, responseTimeoutMs: 30 } });
    sim.stall();
    await until(() => sim.stats().binds === 2);
    expect(gw.health().binds[0]!.lastError).toMatch(/dead link/);
    await expect(gw.submit({ to: TO, text: '恢复', reference: 7 })).resolves.toMatchObject({ segments: 1 });
  });

  it('terminates on stop after the answers still due', async () => {
    const sim = await simulator({ responseDelayMs: 20, receipts: false });
    const gw = await gateway(sim);
    const inFlight = Array.from({ length: 3 }, (_, i) => gw.submit({ to: TO, text: `最后 ${i}`, reference: i }));
    await until(() => gw.metrics().inFlight === 3);
    await gw.stop({ graceMs: 2_000 });
    await expect(Promise.all(inFlight)).resolves.toHaveLength(3);
    expect(sim.stats()).toMatchObject({ accepted: 3, unbinds: 1 });
  });
});
