import { inArray } from 'drizzle-orm';
import { Dispatcher, type DispatcherOptions } from '../../src/modules/notify/dispatcher.ts';
import type { Gateway } from '../../src/modules/notify/gateway.ts';
import { smsMessages, smsSubmitAttempts } from '../../src/modules/notify/schema.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/modules/notify/simulator/index.ts';
import { createSmppGateway, type SmppGatewayConfig } from '../../src/modules/notify/smpp/session.ts';
import { until } from '../../src/modules/notify/simulator/testing.ts';
import type { TestContext } from '../helpers/context.ts';

export const ACCOUNT = { id: 'cardflow', secret: 'sim-pw' } as const;

export function simulator(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({ protocol: 'smpp', accounts: [ACCOUNT], receipts: { delayMs: 20 }, ...opts });
}

/** An SMPP gateway to the simulator with short timeouts, so faults show up within a test. */
export function gatewayTo(sim: Simulator, extra: Partial<SmppGatewayConfig> = {}): Gateway {
  return createSmppGateway({
    name: 'sim',
    host: '127.0.0.1',
    port: sim.port,
    systemId: ACCOUNT.id,
    password: ACCOUNT.secret,
    sourceAddr: '10690000',
    link: { window: 10, responseTimeoutMs: 1_000, reconnect: { minMs: 50, maxMs: 200 }, keepAliveMs: 1_000, connectTimeoutMs: 1_000, throttle: { minMs: 20, maxMs: 100 } },
    pool: { submitWaitMs: 3_000, throttleRetries: 1, stopGraceMs: 500 },
    ...extra,
  });
}

export function dispatcherFor(ctx: TestContext, gateway: Gateway, opts: Partial<DispatcherOptions> = {}): Dispatcher {
  return new Dispatcher(ctx, {
    provider: 'sim',
    gateway,
    ratePerSecond: 2_000,
    inFlight: 10,
    batchSize: 50,
    quietHours: { startMinute: 0, endMinute: 24 * 60 },
    maxAttempts: 5,
    // Well above the 1 s response timeout, so a slow machine's late answers settle attempts before it ends.
    reconcileMs: 2_500,
    pollMs: 10,
    ...opts,
  });
}

/** Statuses of the given messages, by id. */
export async function statuses(ctx: TestContext, ids: string[]): Promise<Map<string, string>> {
  const rows = await ctx.db.orm.select({ id: smsMessages.id, status: smsMessages.status }).from(smsMessages).where(inArray(smsMessages.id, ids));
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** Polls the database until every message is in `status` (or the limit passes and the test fails). */
export async function untilAll(ctx: TestContext, ids: string[], status: string, limitMs = 15_000): Promise<void> {
  let done = false;
  const deadline = Date.now() + limitMs;
  while (!done) {
    const s = await statuses(ctx, ids);
    done = ids.every((id) => s.get(id) === status);
    if (!done && Date.now() > deadline) throw new Error(`not all ${status}: ${JSON.stringify([...s.values()])}`);
    if (!done) await new Promise((r) => setTimeout(r, 25));
  }
}

export async function attemptsOf(ctx: TestContext, ids: string[]) {
  return ctx.db.orm.select().from(smsSubmitAttempts).where(inArray(smsSubmitAttempts.messageId, ids));
}

/** Segments the simulator accepted per destination number. */
export function acceptedPerNumber(sim: Simulator): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of sim.stats().parts) out.set(p.to, (out.get(p.to) ?? 0) + 1);
  return out;
}

export { until };
