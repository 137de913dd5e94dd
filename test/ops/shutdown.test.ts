import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueSms, type EnqueueItem } from '../../src/modules/notify/outbox.ts';
import { startSimulator, type Simulator } from '../../src/modules/notify/simulator/index.ts';
import { ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { useCliWorkspace } from '../helpers/cli.ts';
import { seeded, withDatabase } from './crash-support.ts';
import { exitOf, spawnSmsWorker, until } from '../helpers/process.ts';

/*
 * Graceful shutdown of a worker: `cardflow serve --role worker` gets SIGTERM while it is sending a queue
 * of SMS (claimed rows, submits in flight). It must stop claiming, finish what it claimed, record every
 * submit the SMSC took and exit 0, leaving no claim open, so a second worker takes the rest at once
 * (no lease to wait out) and every number gets its message exactly once.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ws = useCliWorkspace('cardflow-sigterm');
const MESSAGES = 300;
const ACCOUNT = { id: 'sigterm', secret: 'sigterm-pw' } as const;
const random = seeded(Number(process.env.CARDFLOW_CRASH_SEED ?? 20261202));
let sim: Simulator | null = null;
let worker: ChildProcess | null = null;

afterAll(async () => {
  worker?.kill('SIGKILL');
  await sim?.stop();
});

function startWorker(port: number): { child: ChildProcess; output: () => string } {
  // Slow enough that the queue is still being worked through when the signal comes; a long reconcile
  // window, since a claim left open would keep its message back for a minute, which the second worker must not see.
  const child = spawnSmsWorker({ root: ROOT, cwd: ws.dir, env: ws.env, port, account: ACCOUNT, rate: 100, reconcileSeconds: 60 });
  let out = '';
  for (const stream of [child.stdout!, child.stderr!]) stream.setEncoding('utf8').on('data', (d: string) => (out += d));
  return { child, output: () => out };
}

const phoneOf = (i: number) => `139${String(70_000_000 + i).padStart(8, '0')}`;

describe('SIGTERM to a worker in the middle of sending', () => {
  it('finishes and records what it claimed, exits 0, and leaves nothing claimed for the next worker', { timeout: 900_000 }, async () => {
    await ws.ok('migrate');
    await withDatabase(ws, async (ctx) => {
      const org = (await ensureRootOrg(ctx)).id;
      const items: EnqueueItem[] = Array.from({ length: MESSAGES }, (_, i) => ({
        phone: phoneOf(i),
        text: '【常州公安】您的居住证已制作完成，请到受理点领取。',
        templateId: null,
        senderOrgId: org,
        category: 'NOTIFICATION',
        idempotencyKey: `sigterm:${i}`,
        quietHoursExempt: true,
      }));
      await enqueueSms(ctx, ctx.db.orm, items);
    });
    sim = await startSimulator({ protocol: 'smpp', accounts: [ACCOUNT], receipts: { delayMs: 100 } });

    const first = startWorker(sim.port);
    worker = first.child;
    const signalAt = 20 + Math.floor(random() * 100);
    // Minutes on a loaded machine: the worker may start from the TypeScript sources.
    await until(() => sim!.stats().accepted >= signalAt, 400_000, `${signalAt} submits`);
    const signalled = Date.now();
    worker.kill('SIGTERM');
    expect(await exitOf(worker), first.output()).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(60_000);
    const acceptedBySmsc = sim.stats().accepted;
    expect(acceptedBySmsc).toBeLessThan(MESSAGES);

    await withDatabase(ws, async (ctx) => {
      const [open] = await ctx.db.rows<{ n: number }>(null, sql`select count(*)::int as n from sms_submit_attempts where outcome is null or outcome = 'UNKNOWN'`);
      expect(open!.n, 'no submit left open').toBe(0);
      const [accepted] = await ctx.db.rows<{ n: number }>(null, sql`select count(*)::int as n from sms_submit_attempts where outcome = 'ACCEPTED'`);
      expect(accepted!.n, 'every submit the SMSC took is recorded').toBe(acceptedBySmsc);
      const [queued] = await ctx.db.rows<{ n: number; leased: number }>(
        null,
        sql`select count(*)::int as n, count(*) filter (where next_attempt_at > now())::int as leased from sms_messages where status = 'QUEUED'`,
      );
      expect(queued!.n).toBe(MESSAGES - acceptedBySmsc);
      expect(queued!.leased, 'no claim held back for a dead worker').toBe(0);
    });

    const second = startWorker(sim.port);
    worker = second.child;
    await until(() => new Set(sim!.stats().parts.map((p) => p.to)).size === MESSAGES, 400_000, 'every number to get its message');
    worker.kill('SIGTERM');
    expect(await exitOf(worker), second.output()).toBe(0);
    expect(sim.stats().accepted).toBe(MESSAGES);
    expect(sim.stats().repeats).toBe(0);
  });
});
