import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueSms, type EnqueueItem } from '../../src/modules/notify/outbox.ts';
import { smsMessages, smsSubmitAttempts } from '../../src/modules/notify/schema.ts';
import { startSimulator, type Simulator } from '../../src/modules/notify/simulator/index.ts';
import { ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { useCliWorkspace } from '../helpers/cli.ts';
import { exitOf, spawnSmsWorker, until } from '../helpers/process.ts';

/*
 * The dispatcher killed with SIGKILL mid-campaign: a real `cardflow serve --role worker` process,
 * bound to the simulator of this test, is killed while it submits, then started again. Counted at the
 * SMSC: every number gets its message exactly once; in the database every message ends DELIVERED.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ws = useCliWorkspace('sms-sigkill');
const MESSAGES = Number(process.env.SIGKILL_MESSAGES ?? 300);
const ACCOUNT = { id: 'sigkill', secret: 'sigkill-pw' } as const;
const RECONCILE_SECONDS = 2;
let sim: Simulator | null = null;
let worker: ChildProcess | null = null;

afterAll(async () => {
  worker?.kill('SIGKILL');
  await sim?.stop();
});

function startWorker(port: number): ChildProcess {
  const child = spawnSmsWorker({ root: ROOT, cwd: ws.dir, env: ws.env, port, account: ACCOUNT, rate: 2000, reconcileSeconds: RECONCILE_SECONDS });
  // Warnings and errors of the worker (its log goes to standard output) show up in the test's output.
  for (const stream of [child.stdout!, child.stderr!]) stream.setEncoding('utf8').on('data', (d: string) => process.stderr.write(d));
  return child;
}

const phoneOf = (i: number) => `139${String(60_000_000 + i).padStart(8, '0')}`;
const distinctNumbers = () => new Set(sim!.stats().parts.map((p) => p.to)).size;

describe('dispatcher killed with SIGKILL mid-campaign', () => {
  it('loses nothing and submits no idempotency key twice after a restart', { timeout: 900_000 }, async () => {
    await ws.ok('migrate');
    const ids = await ws.withDb(async (ctx) => {
      const org = (await ensureRootOrg(ctx)).id;
      const items: EnqueueItem[] = Array.from({ length: MESSAGES }, (_, i) => ({
        phone: phoneOf(i),
        text: '【常州公安】您的居住证已制作完成，请到受理点领取。',
        templateId: null,
        senderOrgId: org,
        category: 'NOTIFICATION',
        idempotencyKey: `sigkill:${i}`,
        quietHoursExempt: true,
      }));
      return (await enqueueSms(ctx, ctx.db.orm, items)).map((r) => r.id);
    });
    sim = await startSimulator({ protocol: 'smpp', accounts: [ACCOUNT], receipts: { delayMs: 200 } });

    worker = startWorker(sim.port);
    await until(() => sim!.stats().accepted >= MESSAGES * 0.2, 300_000, 'the first submits');
    worker.kill('SIGKILL');
    await exitOf(worker);
    expect(sim.stats().accepted).toBeLessThan(MESSAGES);

    // Restarted until the database shows every message delivered; each stop is a clean SIGTERM.
    let delivered = 0;
    for (let round = 0; round < 4 && delivered < MESSAGES; round++) {
      worker = startWorker(sim.port);
      await until(() => distinctNumbers() === MESSAGES && sim!.stats().receiptsAcked >= sim!.stats().accepted, 400_000, 'every number to get its message');
      // Attempts open at the kill are settled by reconcile after its window.
      await new Promise((r) => setTimeout(r, 3 * RECONCILE_SECONDS * 1000));
      worker.kill('SIGTERM');
      await exitOf(worker);
      delivered = await ws.withDb(async (ctx) => {
        const [row] = await ctx.db.orm.select({ n: sql<number>`count(*)::int` }).from(smsMessages).where(sql`${smsMessages.status} = 'DELIVERED' and ${inArray(smsMessages.id, ids)}`);
        return Number(row!.n);
      });
    }

    const stats = sim.stats();
    expect(stats.accepted).toBe(MESSAGES);
    expect(stats.repeats).toBe(0);
    expect(distinctNumbers()).toBe(MESSAGES);
    expect(delivered).toBe(MESSAGES);
    await ws.withDb(async (ctx) => {
      const accepted = await ctx.db.rows<{ message_id: string; n: number }>(
        null,
        sql`select message_id, count(*)::int as n from ${smsSubmitAttempts} where outcome = 'ACCEPTED' group by message_id`,
      );
      expect(accepted).toHaveLength(MESSAGES);
      expect(accepted.every((a) => Number(a.n) === 1)).toBe(true);
    });
  });
});
