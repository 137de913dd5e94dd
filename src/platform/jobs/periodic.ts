import type { Logger } from 'pino';
import { recordJobRun } from '../metrics.ts';

export interface PeriodicJob {
  /** Clears the timers and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

export interface PeriodicJobOptions<T> {
  /** Name in logs and in the job metrics. */
  name: string;
  everyMs: number;
  /** Delay of the first run (default: one interval). */
  firstAfterMs?: number;
  run: () => Promise<T>;
  /** Logs or otherwise reports a successful run's result. */
  onResult?: (result: T) => void;
  logger: Logger;
}

/**
 * Runs a background job on a timer, never two runs of it at once in this process (a slow run makes the
 * next tick a no-op), logging and counting failures. Coordination between processes is the job's own
 * business (row claims, advisory locks).
 */
export function startPeriodicJob<T>(opts: PeriodicJobOptions<T>): PeriodicJob {
  let current: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (current || stopped) return;
    current = opts
      .run()
      .then((result) => {
        recordJobRun(opts.name, true);
        opts.onResult?.(result);
      })
      .catch((err: unknown) => {
        recordJobRun(opts.name, false);
        opts.logger.error({ err, job: opts.name }, `${opts.name} failed`);
      })
      .finally(() => {
        current = null;
      });
  };
  const first = setTimeout(tick, opts.firstAfterMs ?? opts.everyMs);
  const timer = setInterval(tick, opts.everyMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      if (current) await current;
    },
  };
}
