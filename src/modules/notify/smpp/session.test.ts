import { afterEach, describe, expect, it } from 'vitest';
import type { Gateway, LateAnswer } from '../gateway.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/index.ts';
import { LONG_NOTICE, collectReceipts, gatewayError, until } from '../simulator/testing.ts';
import { matchesMessageId } from '../receipts.ts';
import { createSmppGateway, type SmppGatewayConfig } from './session.ts';

const ACCOUNT = { id: 'cardflow', secret: 's3cret' };
const TO = '13800138000';
const cleanup: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function simulator(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const sim = await startSimulator({ protocol: 'smpp', port: 0, accounts: [ACCOUNT], receipts: { delayMs: 2 }, ...opts });
  cleanup.push(() => sim.stop());
  return sim;
}

async function gateway(sim: { port: number }, config: Partial<SmppGatewayConfig> = {}, start = true): Promise<Gateway> {
  const gw = createSmppGateway({
    name: 'sim',
    host: '127.0.0.1',
    port: sim.port,
    systemId: ACCOUNT.id,
    password: ACCOUNT.secret,
    sourceAddr: '10690000',
    ...config,
    link: { responseTimeoutMs: 2_000, reconnect: { minMs: 5, maxMs: 20 }, throttle: { minMs: 5, maxMs: 20 }, ...config.link },
    pool: { submitWaitMs: 2_000, ...config.pool },
  });
  cleanup.push(() => gw.stop({ graceMs: 100 }));
  if (start) await gw.start();
  return gw;
}

describe('SMPP gateway session', () => {
  it('submits a message and reports its receipt under the submit id', async () => {
    const sim = await simulator();
    const gw = await gateway(sim);
    const receipts = collectReceipts(gw);
    const result = await gw.submit({ to: TO, text: 'Your card is ready', reference: 1 });
    expect(result).toMatchObject({ segments: 1, encoding: 'GSM7' });
    await until(() => receipts.length === 1);
    expect(receipts[0]).toMatchObject({ messageId: result.messageIds[0], status: 'DELIVERED', stat: 'DELIVRD' });
    expect(receipts[0]!.doneAt).toBeInstanceOf(Date);
    expect(sim.stats().parts[0]).toMatchObject({ to: TO, dataCoding: 0, text: 'Your card is ready' });
    expect(gw.metrics()).toMatchObject({ submitted: 1, receipts: 1, inFlight: 0 });
  });

  it('matches hexadecimal receipt ids to decimal submit ids, and the TLV id to the submit form', async () => {
    for (const [messageIds, receiptTlvs] of [
      [{ submit: 'dec', receipt: 'hex' }, false],
      [{ submit: 'hex', receipt: 'dec' }, true],
    ] as const) {
      const sim = await simulator({ messageIds, receiptTlvs });
      const gw = await gateway(sim, { messageIds });
      const receipts = collectReceipts(gw);
      const { messageIds: ids } = await gw.submit({ to: TO, text: '您的社保卡已制作完成', reference: 2 });
      await until(() => receipts.length === 1);
      const raw = sim.stats().parts[0]!.messageId;
      expect(raw).toBe(messageIds.submit === 'hex' ? (0x1000_0000).toString(16).toUpperCase() : String(0x1000_0000));
      expect(ids).toEqual([String(0x1000_0000)]);
      expect(receipts[0]!.messageId).toBe(ids[0]);
    }
  });

  it('passes ids unchanged without radix settings, for matchesMessageId to compare', async () => {
    const sim = await simulator({ messageIds: { submit: 'hex', receipt: 'dec' } });
    const gw = await gateway(sim);
    const receipts = collectReceipts(gw);
    const { messageIds } = await gw.submit({ to: TO, text: 'raw ids', reference: 2 });
    await until(() => receipts.length === 1);
    expect(messageIds).toEqual(['10000000']);
    expect(receipts[0]!.messageId).toBe(String(0x1000_0000));
    expect(matchesMessageId(messageIds[0]!, receipts[0]!.messageId)).toBe(true);
  });

  it('reports each receipt as the SMSC decided it, failures with their stat', async () => {
    const sim = await simulator({ receipts: { delayMs: 2, failureRate: 0.3, failureStats: ['UNDELIV', 'EXPIRED'], seed: 7 } });
    const gw = await gateway(sim);
    const receipts = collectReceipts(gw);
    await Promise.all(Array.from({ length: 20 }, (_, i) => gw.submit({ to: TO, text: `m${i}`, reference: i })));
    await until(() => receipts.length === 20);
    const { delivered, failed } = sim.stats();
    expect(failed).toBeGreaterThan(0);
    expect(delivered).toBeGreaterThan(0);
    expect(receipts.filter((r) => r.status === 'DELIVERED')).toHaveLength(delivered);
    const failures = receipts.filter((r) => r.status !== 'DELIVERED');
    expect(failures).toHaveLength(failed);
    for (const r of failures) expect([r.stat, r.status]).toEqual(r.stat === 'EXPIRED' ? ['EXPIRED', 'EXPIRED'] : ['UNDELIV', 'FAILED']);
  });

  it('sends a long UCS-2 message in parts with the concatenation header and gets a receipt per part', async () => {
    const sim = await simulator();
    const gw = await gateway(sim);
    const receipts = collectReceipts(gw);
    const result = await gw.submit({ to: TO, text: LONG_NOTICE, reference: 42 });
    expect(result).toMatchObject({ segments: 3, encoding: 'UCS2' });
    const parts = sim.stats().parts;
    expect(parts.map((p) => p.dataCoding)).toEqual([8, 8, 8]);
    expect(parts.map((p) => p.concat)).toEqual([1, 2, 3].map((sequence) => ({ reference: 42, total: 3, sequence })));
    expect(parts.map((p) => p.text).join('')).toBe(LONG_NOTICE);
    await until(() => receipts.length === 3);
    expect(receipts.map((r) => r.messageId).sort()).toEqual([...result.messageIds].sort());
    expect(new Set(result.messageIds).size).toBe(3);
  });

  it('never has more submits awaiting a response than the window', async () => {
    const sim = await simulator({ responseDelayMs: 5 });
    const gw = await gateway(sim, { link: { window: 3 } });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => gw.submit({ to: TO, text: `notice ${i}`, reference: i })));
    expect(results).toHaveLength(30);
    expect(sim.stats().accepted).toBe(30);
    expect(sim.stats().maxInFlight).toBeLessThanOrEqual(3);
    expect(sim.stats().maxInFlight).toBeGreaterThan(1);
  });

  it('spreads submits round-robin over several binds, each with its own window', async () => {
    const sim = await simulator({ responseDelayMs: 5 });
    const gw = await gateway(sim, { binds: ['transceiver', 'transceiver'], link: { window: 2 } });
    await until(() => gw.health().binds.every((b) => b.state === 'ready'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => gw.submit({ to: TO, text: `n${i}`, reference: i })));
    expect(sim.stats()).toMatchObject({ binds: 2, accepted: 20 });
    expect(sim.stats().maxInFlight).toBeLessThanOrEqual(2);
    expect(gw.health().state).toBe('up');
  });

  it('receives receipts on a receiver bind when submits go through a transmitter bind', async () => {
    const sim = await simulator();
    const gw = await gateway(sim, { binds: ['transmitter', 'receiver'] });
    await until(() => gw.health().binds.every((b) => b.state === 'ready'));
    const receipts = collectReceipts(gw);
    const { messageIds } = await gw.submit({ to: TO, text: 'hello', reference: 3 });
    await until(() => receipts.length === 1);
    expect(receipts[0]!.messageId).toBe(messageIds[0]);
  });

  it('gives a response timeout as TEMPORARY with an unknown outcome, not as "not sent"', async () => {
    const sim = await simulator();
    const gw = await gateway(sim, { link: { responseTimeoutMs: 30 } });
    sim.dropResponses(1);
    const error = await gatewayError(gw.submit({ to: TO, text: 'lost answer', reference: 4 }));
    expect(error).toMatchObject({ code: 'SMS_GATEWAY_TIMEOUT', kind: 'TEMPORARY', outcome: 'UNKNOWN', acceptedIds: [], segment: 0 });
    expect(gw.metrics().failed).toEqual({ NOT_SENT: 0, UNKNOWN: 1, REFUSED: 0 });
    await expect(gw.submit({ to: TO, text: 'next', reference: 5 })).resolves.toMatchObject({ segments: 1 });
  });

  it('passes on a late answer under the attempt named by the timeout error', async () => {
    const sim = await simulator({ responseDelayMs: 40, receipts: false });
    const gw = await gateway(sim, { link: { responseTimeoutMs: 10 } });
    const late: LateAnswer[] = [];
    gw.onLateAnswer((a) => late.push(a));
    const error = await gatewayError(gw.submit({ to: TO, text: 'slow SMSC', reference: 4 }));
    expect(error).toMatchObject({ outcome: 'UNKNOWN', attempt: expect.stringMatching(/^sim#1\//) });
    await until(() => late.length === 1);
    expect(late[0]).toEqual({ attempt: error.attempt, messageId: sim.stats().parts[0]!.messageId });
    expect(gw.metrics().lateResponses).toBe(1);
  });

  it('turns bad input into a PERMANENT error with nothing sent', async () => {
    const sim = await simulator();
    const gw = await gateway(sim);
    const error = await gatewayError(gw.submit({ to: TO, text: '', reference: 1 }));
    expect(error).toMatchObject({ code: 'SMS_TEXT_EMPTY', kind: 'PERMANENT', outcome: 'NOT_SENT' });
    expect(sim.stats().submits).toBe(0);
  });

  it('reports a part that timed out after earlier parts were accepted, with their ids', async () => {
    const sim = await simulator({ receipts: false });
    // Long enough that part 1's answer is never late on a busy machine; part 2's never comes.
    const gw = await gateway(sim, { link: { responseTimeoutMs: 150 } });
    sim.dropResponses(1, 1);
    const error = await gatewayError(gw.submit({ to: TO, text: LONG_NOTICE, reference: 6 }));
    expect(error).toMatchObject({ outcome: 'UNKNOWN', segment: 1 });
    expect(error.acceptedIds).toEqual([sim.stats().parts[0]!.messageId]);
    expect(sim.stats().submits).toBe(2);
  });

  it('reconnects after the SMSC drops the connection', async () => {
    const sim = await simulator();
    const gw = await gateway(sim);
    await gw.submit({ to: TO, text: 'before', reference: 7 });
    sim.closeConnections();
    await until(() => sim.stats().binds === 2);
    await expect(gw.submit({ to: TO, text: 'after', reference: 8 })).resolves.toMatchObject({ segments: 1 });
    expect(sim.stats().binds).toBe(2);
    expect(gw.metrics().reconnects).toBe(1);
  });

  it('detects a dead link with enquire_link and binds again', async () => {
    const sim = await simulator();
    const gw = await gateway(sim, { link: { keepAliveMs: 10, responseTimeoutMs: 30 } });
    await gw.submit({ to: TO, text: 'before', reference: 7 });
    sim.stall();
    await until(() => sim.stats().binds === 2);
    expect(gw.health().binds[0]!.lastError).toMatch(/dead link/);
    await expect(gw.submit({ to: TO, text: 'after', reference: 8 })).resolves.toMatchObject({ segments: 1 });
  });

  it('fails NOT_SENT when no bind comes up in time', async () => {
    const sim = await simulator();
    const gw = await gateway(sim, { pool: { submitWaitMs: 30 } });
    await sim.stop();
    await until(() => gw.health().state === 'down');
    const error = await gatewayError(gw.submit({ to: TO, text: 'nobody there', reference: 9 }));
    expect(error).toMatchObject({ code: 'SMS_GATEWAY_UNAVAILABLE', kind: 'TEMPORARY', outcome: 'NOT_SENT' });
  });

  it('backs off and resends when throttled, and gives up after the configured retries', async () => {
    const sim = await simulator();
    const gw = await gateway(sim, { pool: { throttleRetries: 2 } });
    sim.throttle(2);
    await expect(gw.submit({ to: TO, text: 'slowly', reference: 10 })).resolves.toMatchObject({ segments: 1 });
    expect(sim.stats()).toMatchObject({ submits: 3, throttled: 2, accepted: 1 });
    expect(gw.metrics().throttled).toBe(2);

    sim.throttle(3);
    const error = await gatewayError(gw.submit({ to: TO, text: 'too fast', reference: 11 }));
    expect(error).toMatchObject({ code: 'SMS_GATEWAY_THROTTLED', kind: 'TEMPORARY', outcome: 'REFUSED', protocolStatus: 0x58 });
    expect(sim.stats()).toMatchObject({ throttled: 5, accepted: 1 });
  });

  it('pauses a throttled bind and sends through the other one meanwhile', async () => {
    const sim = await simulator({ receipts: false });
    const gw = await gateway(sim, { binds: ['transceiver', 'transceiver'], link: { throttle: { minMs: 60_000, maxMs: 60_000 } } });
    await until(() => gw.health().binds.every((b) => b.state === 'ready'));
    sim.throttle(1);
    await gw.submit({ to: TO, text: 'first', reference: 1 });
    const paused = gw.health().binds.filter((b) => b.throttledUntil !== null);
    expect(paused).toHaveLength(1);
    expect(paused[0]!.throttledUntil!.getTime()).toBeGreaterThan(Date.now() + 10_000);
    await Promise.all(Array.from({ length: 5 }, (_, i) => gw.submit({ to: TO, text: `more ${i}`, reference: i })));
    expect(sim.stats()).toMatchObject({ throttled: 1, accepted: 6 });
  });

  it('sends nothing on a bind while its throttle pause lasts', async () => {
    const sim = await simulator({ receipts: false });
    const gw = await gateway(sim, { link: { throttle: { minMs: 60_000, maxMs: 60_000 } }, pool: { throttleRetries: 0, submitWaitMs: 50 } });
    sim.throttle(1);
    expect(await gatewayError(gw.submit({ to: TO, text: 'a', reference: 1 }))).toMatchObject({ code: 'SMS_GATEWAY_THROTTLED' });
    expect(await gatewayError(gw.submit({ to: TO, text: 'b', reference: 2 }))).toMatchObject({ code: 'SMS_GATEWAY_UNAVAILABLE', outcome: 'NOT_SENT' });
    expect(sim.stats().submits).toBe(1);
  });

  it('refuses an invalid number as PERMANENT', async () => {
    const sim = await simulator();
    const gw = await gateway(sim);
    const error = await gatewayError(gw.submit({ to: '12', text: 'x', reference: 12 }));
    expect(error).toMatchObject({ code: 'SMS_DESTINATION_INVALID', kind: 'PERMANENT', outcome: 'REFUSED' });
  });

  it('fails to start when nothing listens, as TEMPORARY, and binds once the SMSC is there', async () => {
    const probe = await startSimulator({ protocol: 'smpp', port: 0, accounts: [ACCOUNT] });
    const port = probe.port;
    await probe.stop();
    const gw = await gateway({ port }, {}, false);
    const error = await gatewayError(gw.start());
    expect(error).toMatchObject({ code: 'SMS_GATEWAY_CONNECT_FAILED', kind: 'TEMPORARY', outcome: 'NOT_SENT' });
    const sim = await simulator({ port });
    await until(() => gw.health().state === 'up');
    await expect(gw.submit({ to: TO, text: 'finally', reference: 1 })).resolves.toMatchObject({ segments: 1 });
    expect(sim.stats().accepted).toBe(1);
  });

  it('fails to start with wrong credentials, as PERMANENT', async () => {
    const sim = await simulator();
    const gw = await gateway(sim, { password: 'wrong' }, false);
    const error = await gatewayError(gw.start());
    expect(error).toMatchObject({ code: 'SMS_GATEWAY_BIND_FAILED', kind: 'PERMANENT' });
    expect(sim.stats().bindFailures).toBeGreaterThanOrEqual(1);
  });

  it('reports failures with their stat and refuses a receipt the listener could not store, so it comes again', async () => {
    const sim = await simulator({ receipts: { delayMs: 2, failureRate: 1, failureStats: ['MBBLACK'] } });
    const gw = await gateway(sim);
    let refusals = 1;
    const stored: string[] = [];
    gw.onReceipt(async (r) => {
      if (refusals-- > 0) throw new Error('database down');
      stored.push(`${r.messageId}:${r.status}:${r.stat}`);
    });
    const { messageIds } = await gw.submit({ to: TO, text: 'blocked', reference: 13 });
    await until(() => stored.length === 1);
    expect(stored).toEqual([`${messageIds[0]}:FAILED:MBBLACK`]);
    await until(() => sim.stats().receiptsAcked === 1);
    expect(sim.stats()).toMatchObject({ receiptsRefused: 1, failed: 1 });
    expect(gw.metrics()).toMatchObject({ receipts: 1, receiptErrors: 1 });
  });

  it('stops gracefully: refuses new submits, waits for the answers still due, then unbinds', async () => {
    const sim = await simulator({ responseDelayMs: 20, receipts: false });
    const gw = await gateway(sim);
    const inFlight = Array.from({ length: 5 }, (_, i) => gw.submit({ to: TO, text: `last ${i}`, reference: i }));
    await until(() => gw.metrics().inFlight === 5);
    const stopped = gw.stop({ graceMs: 2_000 });
    const late = await gatewayError(gw.submit({ to: TO, text: 'too late', reference: 99 }));
    expect(late).toMatchObject({ code: 'SMS_GATEWAY_STOPPED', outcome: 'NOT_SENT' });
    const results = await Promise.all(inFlight);
    await stopped;
    expect(results.every((r) => r.messageIds.length === 1)).toBe(true);
    expect(sim.stats()).toMatchObject({ accepted: 5, unbinds: 1 });
    expect(gw.health().state).toBe('stopped');
  });
});
