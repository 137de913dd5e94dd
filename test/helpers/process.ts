import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The child's exit code once it has exited (null when a signal ended it). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Polls `condition` until it holds; after `limitMs` fails naming `what` it was waiting for. */
export async function until(condition: () => boolean, limitMs: number, what: string): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A `cardflow serve --role worker` whose SMS gateway is the simulator on `port`, sending at `rate`
 * messages/s and reconciling unknown submits after `reconcileSeconds`, at any hour.
 */
export function spawnSmsWorker(opts: { root: string; cwd: string; env: NodeJS.ProcessEnv; port: number; account: { id: string; secret: string }; rate: number; reconcileSeconds: number }): ChildProcess {
  const env = {
    ...opts.env,
    CARDFLOW_LOG_LEVEL: 'warn',
    CARDFLOW_SMS_HOST: '127.0.0.1',
    CARDFLOW_SMS_PORT: String(opts.port),
    CARDFLOW_SMS_ACCOUNT: opts.account.id,
    CARDFLOW_SMS_PASSWORD: opts.account.secret,
    CARDFLOW_SMS_RATE: String(opts.rate),
    CARDFLOW_SMS_WINDOW: '20',
    CARDFLOW_SMS_RECONCILE_SECONDS: String(opts.reconcileSeconds),
    CARDFLOW_SMS_QUIET_HOURS: '00:00-24:00',
  };
  return spawn(process.execPath, [path.join(opts.root, 'bin/cardflow.js'), 'serve', '--role', 'worker'], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}
