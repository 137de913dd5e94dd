import type { Logger } from 'pino';
import type { AppContext } from '../../platform/context.ts';
import { Dispatcher } from './dispatcher.ts';
import { parseQuietHours } from './dispatch-rules.ts';
import { createProvider } from './providers.ts';
import type { Simulator } from './simulator/index.ts';
import { relayLifecycleNotices } from './lifecycle-notices.ts';
import { alertHeldMessages } from './words-holds.ts';
import { startPeriodicJob } from '../../platform/jobs/periodic.ts';

export interface SmsWorker {
  /** Stops claiming, waits for submits and receipt writes in flight, then closes the gateway. */
  stop(): Promise<void>;
  /** The in-process SMSC when no gateway is configured: what reached the "handsets". */
  simulator: Simulator | null;
}

/** Messages claimed per query. */
const BATCH_SIZE = 200;
const POLL_MS = 250;
/** Card-lifecycle notices waiting in the applications' outbox are turned into SMS this often, in batches. */
const RELAY_EVERY_MS = 5_000;
const RELAY_BATCH = 500;
/** Held messages must reach the duty officer within the minute. */
const HOLD_ALERT_EVERY_MS = 30_000;

/** Relays notices until a batch finds nothing more to relay, so a backlog drains in one run. */
async function relayAll(ctx: AppContext): Promise<number> {
  let relayed = 0;
  for (;;) {
    const r = await relayLifecycleNotices(ctx, RELAY_BATCH);
    relayed += r.sent + r.failed;
    if (r.sent + r.failed === 0) return relayed;
  }
}

/**
 * The SMS dispatcher of this process: connects the configured gateway (or the simulator), settles
 * what a previous run left open, then drains the outbox until stopped.
 */
export async function startSmsWorker(ctx: AppContext, logger: Logger): Promise<SmsWorker> {
  const provider = await createProvider(ctx.config, logger);
  const dispatcher = new Dispatcher(ctx, {
    provider: provider.name,
    gateway: provider.gateway,
    ratePerSecond: ctx.config.smsRatePerSecond,
    inFlight: provider.inFlight,
    batchSize: BATCH_SIZE,
    quietHours: parseQuietHours(ctx.config.smsQuietHours),
    maxAttempts: ctx.config.smsMaxAttempts,
    reconcileMs: ctx.config.smsReconcileSeconds * 1000,
    pollMs: POLL_MS,
  });
  const detach = dispatcher.attach();
  try {
    await provider.gateway.start();
  } catch (err) {
    // The binds keep retrying in the background; messages wait in the outbox meanwhile.
    logger.error({ err, provider: provider.name }, 'sms gateway not reachable at start; retrying');
  }
  dispatcher.start();
  const relay = startPeriodicJob({
    name: 'lifecycle notice relay',
    everyMs: RELAY_EVERY_MS,
    run: () => relayAll(ctx),
    onResult: (n) => {
      if (n > 0) logger.info({ relayed: n }, 'lifecycle notices queued as SMS');
    },
    logger,
  });
  const holdAlert = startPeriodicJob({
    name: 'sensitive-word hold alert',
    everyMs: HOLD_ALERT_EVERY_MS,
    run: () => alertHeldMessages(ctx),
    onResult: (r) => {
      if (r.queued) logger.warn({ held: r.held }, 'messages held for sensitive words; duty phone alerted');
    },
    logger,
  });
  logger.info({ provider: provider.name, rate: ctx.config.smsRatePerSecond, inFlight: provider.inFlight }, 'sms dispatcher started');
  return {
    simulator: provider.simulator,
    async stop() {
      await relay.stop();
      await holdAlert.stop();
      await dispatcher.stop();
      await provider.gateway.stop();
      detach();
      await provider.simulator?.stop();
    },
  };
}
