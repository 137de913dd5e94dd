import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { Dispatcher } from '../src/modules/notify/dispatcher.ts';
import { enqueueSms, type EnqueueItem } from '../src/modules/notify/outbox.ts';
import { startSimulator } from '../src/modules/notify/simulator/index.ts';
import { createSmppGateway } from '../src/modules/notify/smpp/session.ts';
import { ensureRootOrg } from '../src/modules/orgs/service.ts';
import { startPlatform } from '../src/platform/bootstrap.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import type { AppContext } from '../src/platform/context.ts';
import { createLogger } from '../src/platform/logging/logger.ts';
import { printTable, type BenchRow } from './support.ts';

/** `--quick` or SMS_CAMPAIGN_SIZE: a smaller campaign for a smoke run. */
const SIZE = Number(process.env.SMS_CAMPAIGN_SIZE ?? (process.argv.includes('--quick') ? 10_000 : 100_000));
/** Messages offered while the dispatcher runs, for enqueue → submit latency, and their pace. */
const PACED = Math.max(2_000, Math.round(SIZE / 5));
const PACED_RATE = 2_000;
/** The `smpp` codec alone on loopback with a window of 100 (issue 4). */
const CODEC_CEILING = 9_000;
const ACCOUNT = { id: 'bench', secret: 'bench-pw' } as const;
const PROVIDER = 'bench-smpp';
const TEXT = '【常州公安】您的居住证已制作完成，请携带身份证到受理点领取。';

interface Percentiles {
  p50: number;
  p99: number;
}

/**
 * A campaign through the whole pipe on one engine: the outbox (enqueueSms, as the console's campaign
 * does), the real Dispatcher with its claims and settle writes, the SMPP client (2 transceiver binds
 * × window 50) and the simulator over loopback with a receipt 5 ms after each submit. The simulator
 * runs in this process and shares its cores.
 *
 * 1. Backlog: SIZE messages queued first, then drained: sustained submits/s, claim → submit answer.
 * 2. Paced: PACED messages offered at PACED_RATE/s in batches of 100 while the dispatcher runs:
 *    enqueue → submit answer, which is what a sender waits.
 * Duplicates are counted at the simulator (the same number and text accepted twice; every message has
 * its own number) and in the database (more than one accepted attempt per message).
 */
async function run(databaseUrl: string | null, engine: string): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-bench-sms-'));
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl ?? '', CARDFLOW_DATA_DIR: path.join(dir, 'data'), CARDFLOW_KEY_FILE: path.join(dir, 'keys.json'), CARDFLOW_LOG_LEVEL: 'error' });
  const ctx = await startPlatform(config, createLogger('error', process.stderr), { announce: () => undefined });
  const sim = await startSimulator({ protocol: 'smpp', accounts: [ACCOUNT], receipts: { delayMs: 5 } });
  const gateway = createSmppGateway({
    name: PROVIDER,
    host: '127.0.0.1',
    port: sim.port,
    systemId: ACCOUNT.id,
    password: ACCOUNT.secret,
    sourceAddr: '10690000',
    binds: ['transceiver', 'transceiver'],
    link: { window: 50 },
  });
  const dispatcher = new Dispatcher(ctx, {
    provider: PROVIDER,
    gateway,
    ratePerSecond: 100_000,
    inFlight: 100,
    batchSize: 500,
    quietHours: { startMinute: 0, endMinute: 24 * 60 },
    maxAttempts: 5,
    reconcileMs: 600_000,
    pollMs: 5,
  });
  let peakRss = 0;
  const rss = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    const org = (await ensureRootOrg(ctx)).id;
    const t0 = performance.now();
    await enqueue(ctx, org, 0, SIZE, 5_000);
    const enqueueRate = SIZE / ((performance.now() - t0) / 1000);
    process.stderr.write(`${engine}: ${SIZE} queued in ${Math.round(performance.now() - t0)} ms\n`);

    dispatcher.attach();
    await gateway.start();
    const t1 = performance.now();
    dispatcher.start();
    await waitFor(() => sim.stats().accepted >= SIZE, 30 * 60_000);
    const backlogRate = SIZE / ((performance.now() - t1) / 1000);
    process.stderr.write(`${engine}: backlog submitted at ${Math.round(backlogRate)}/s\n`);

    const t2 = performance.now();
    for (let sent = 0; sent < PACED; sent += 100) {
      await enqueue(ctx, org, SIZE + sent, Math.min(100, PACED - sent), 100);
      const due = t2 + ((sent + 100) / PACED_RATE) * 1000;
      if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
    }
    const total = SIZE + PACED;
    await waitFor(() => sim.stats().accepted >= total && sim.stats().receiptsAcked >= total, 10 * 60_000);
    await waitFor(() => false, 500);
    await dispatcher.stop();
    await gateway.stop();

    const claimToAnswer = await percentiles(ctx, sql`extract(epoch from (m.submitted_at - a.started_at)) * 1000`, sql`m.idempotency_key < ${'bench:1'}`);
    const enqueueToAnswer = await percentiles(ctx, sql`extract(epoch from (m.submitted_at - m.created_at)) * 1000`, sql`m.idempotency_key >= ${'bench:1'}`);
    const submitToReceipt = await percentiles(ctx, sql`extract(epoch from (r.received_at - m.submitted_at)) * 1000`, sql`true`);
    const [counts] = await ctx.db.rows<{ delivered: number; twice: number; unmatched: number }>(
      null,
      sql`select (select count(*)::int from sms_messages where status = 'DELIVERED') as delivered,
                 (select count(*)::int from (select message_id from sms_submit_attempts where outcome = 'ACCEPTED' group by message_id having count(*) > 1) d) as twice,
                 (select count(*)::int from (select provider, smsc_message_id from sms_receipts
                                             except select provider, unnest(smsc_ids) from sms_submit_attempts) u) as unmatched`,
    );
    const stats = sim.stats();
    const duplicates = stats.repeats + Number(counts!.twice);
    const matchedPct = Math.round((Number(counts!.delivered) / total) * 1000) / 10;
    const scenario = `SMS campaign (${engine})`;
    const pgTargets = engine === 'PostgreSQL';
    return [
      { scenario, metric: `${SIZE.toLocaleString('en-US')} messages queued (enqueueSms, 5,000 per transaction)`, value: Math.round(enqueueRate), unit: 'msg/s' },
      { scenario, metric: 'sustained submits, backlog through dispatcher → SMPP → simulator', value: Math.round(backlogRate), unit: 'msg/s', target: pgTargets ? '≥ 2,000' : '(info)', pass: pgTargets ? backlogRate >= 2_000 : undefined },
      { scenario, metric: 'ratio to the smpp codec ceiling (~9,000/s)', value: Math.round((backlogRate / CODEC_CEILING) * 1000) / 10, unit: '%' },
      { scenario, metric: 'claim → submit answer p50 (backlog)', value: claimToAnswer.p50, unit: 'ms' },
      { scenario, metric: 'claim → submit answer p99 (backlog)', value: claimToAnswer.p99, unit: 'ms' },
      { scenario, metric: `enqueue → submit answer p50 (${PACED.toLocaleString('en-US')} offered at ${PACED_RATE.toLocaleString('en-US')}/s)`, value: enqueueToAnswer.p50, unit: 'ms' },
      { scenario, metric: `enqueue → submit answer p99 (${PACED.toLocaleString('en-US')} offered at ${PACED_RATE.toLocaleString('en-US')}/s)`, value: enqueueToAnswer.p99, unit: 'ms', target: pgTargets ? '< 1,000' : '(info)', pass: pgTargets ? enqueueToAnswer.p99 < 1_000 : undefined },
      { scenario, metric: 'submit → receipt stored p50', value: submitToReceipt.p50, unit: 'ms' },
      { scenario, metric: 'submit → receipt stored p99', value: submitToReceipt.p99, unit: 'ms' },
      { scenario, metric: 'duplicates (simulator repeats + messages accepted twice)', value: duplicates, unit: 'msg', target: '0', pass: duplicates === 0 },
      { scenario, metric: 'receipts matched (messages DELIVERED)', value: matchedPct, unit: '%', target: '100', pass: Number(counts!.delivered) === total && Number(counts!.unmatched) === 0 },
      { scenario, metric: 'peak RSS (bench, dispatcher and simulator in one process)', value: Math.round(peakRss / 1024 / 1024), unit: 'MiB' },
    ];
  } finally {
    clearInterval(rss);
    await sim.stop();
    await ctx.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function enqueue(ctx: AppContext, org: string, from: number, count: number, perTransaction: number): Promise<void> {
  for (let i = from; i < from + count; i += perTransaction) {
    const items: EnqueueItem[] = [];
    for (let k = i; k < Math.min(from + count, i + perTransaction); k++) {
      items.push({ phone: `139${String(k).padStart(8, '0')}`, text: TEXT, templateId: null, senderOrgId: org, category: 'NOTIFICATION', idempotencyKey: `bench:${k < SIZE ? 0 : 1}:${k}`, quietHoursExempt: true });
    }
    await ctx.db.orm.transaction((tx) => enqueueSms(ctx, tx, items).then(() => undefined));
  }
}

/** Nearest-rank p50/p99 in ms of `expr` over single-segment messages joined with their accepted attempt and receipt. */
async function percentiles(ctx: AppContext, expr: ReturnType<typeof sql>, where: ReturnType<typeof sql>): Promise<Percentiles> {
  const [row] = await ctx.db.rows<{ p50: number | null; p99: number | null }>(
    null,
    sql`select percentile_disc(0.5) within group (order by v) as p50, percentile_disc(0.99) within group (order by v) as p99 from (
          select ${expr} as v from sms_messages m
          join sms_submit_attempts a on a.message_id = m.id and a.outcome = 'ACCEPTED'
          join sms_receipts r on r.provider = a.provider and r.smsc_message_id = a.smsc_ids[1]
          where ${where}) x`,
  );
  return { p50: Math.round(Number(row?.p50 ?? 0)), p99: Math.round(Number(row?.p99 ?? 0)) };
}

async function waitFor(condition: () => boolean, limitMs: number): Promise<void> {
  const until = performance.now() + limitMs;
  while (!condition() && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
}

/** PostgreSQL when DATABASE_URL is set (a database of its own, dropped afterwards), then the embedded engine. */
export async function benchSmsCampaign(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const admin = process.env.DATABASE_URL;
  if (admin) {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    const name = `cardflow_bench_sms_${Date.now()}`;
    await client.query(`create database ${name}`);
    try {
      const url = new URL(admin);
      url.pathname = `/${name}`;
      rows.push(...(await run(url.toString(), 'PostgreSQL')));
    } finally {
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    }
  }
  if (process.env.SMS_CAMPAIGN_ENGINES !== 'postgres') rows.push(...(await run(null, 'PGlite')));
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printTable('sms-campaign', await benchSmsCampaign());
