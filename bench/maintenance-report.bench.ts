import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createOrg, createUser, ensureRootOrg, findUserByUsername, findUserWithOrg } from '../src/modules/orgs/service.ts';
import { createContract } from '../src/modules/maintenance/contracts.ts';
import { generateReport, getReport } from '../src/modules/maintenance/reports-service.ts';
import { maintenanceAssets, maintenanceBreaches, maintenanceSites, maintenanceTicketEvents, maintenanceTickets } from '../src/modules/maintenance/schema.ts';
import { maintenanceVisits } from '../src/modules/maintenance/visits-schema.ts';
import { ASSET_TYPE_CODES } from '../src/modules/maintenance/ledger.ts';
import { principalFor } from '../src/platform/auth/service.ts';
import type { AppContext } from '../src/platform/context.ts';
import { startPlatform } from '../src/platform/bootstrap.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { insertJson } from '../src/platform/db/bulk.ts';
import { createLogger } from '../src/platform/logging/logger.ts';
import { printTable, type BenchRow } from './support.ts';

const OUTLETS = 1000;
const ASSETS_PER_OUTLET = 20;
/** About two faults per outlet and month over 2025. */
const TICKETS = 24_000;
const CHUNK = 5000;
const MONTH = '2025-11';
const MS_PER_MINUTE = 60_000;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/** A fixed linear congruential sequence: the same data on every run. */
function sequence(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/**
 * The city of seed 001 at scale: 1,000 outlets of one contract, 20 assets each, a year (2025) of faults
 * with their status histories, a signed monthly visit per outlet and month (a few missed), and the
 * breaches of the late ones. Everything but the organisations is written in bulk.
 */
async function seed(ctx: AppContext) {
  const root = await ensureRootOrg(ctx);
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'bench', roles: ['ADMIN'] }, root, 'CLI');
  const city = await createOrg(ctx, cli, { name: '上海市社保卡服务中心', kind: 'AUTHORITY', parentId: root.id, regionCode: '310000' });
  const maintainer = await createOrg(ctx, cli, { name: '网点运维公司', kind: 'MAINTAINER', parentId: root.id });
  await createUser(ctx, cli, { username: 'bench_engineer', displayName: '工程师', orgId: maintainer.id, roles: ['MAINTAINER_ENGINEER'], password: 'Bench-password-1' });
  const user = await findUserWithOrg(ctx, (await findUserByUsername(ctx, 'bench_engineer'))!.id);
  const engineer = principalFor(user!.user, user!.org);
  const contract = await createContract(ctx, cli, {
    name: '受理网点设备维护 2025–2026',
    authorityOrgId: city.id,
    maintainerOrgId: maintainer.id,
    termStart: '2025-01-01',
    termEnd: '2026-12-31',
    zoneTableId: null,
    clock: 'WORKING',
    responseTarget: 'ACKNOWLEDGED',
    responseMinutes: { URBAN: 120, SUBURBAN: 180 },
    fixMinutes: { URBAN: 480, SUBURBAN: 600 },
    warnPercent: 75,
    breachTerminationCount: 5,
  });
  const outlets: string[] = [];
  for (let i = 0; i < OUTLETS; i++) outlets.push((await createOrg(ctx, cli, { name: `第${i + 1}受理网点`, kind: 'OUTLET', parentId: city.id, regionCode: '310104' })).id);
  const { db } = ctx;
  await insertJson(db, db.orm, maintenanceSites, outlets.map((orgId, i) => ({ orgId, contractId: contract.id, services: ['SOCIAL_SECURITY_CARD'], openingHours: '09:00-17:00', zoneOverride: i % 3 === 0 ? 'SUBURBAN' : 'URBAN' })));
  const assets = outlets.flatMap((siteOrgId, o) =>
    Array.from({ length: ASSETS_PER_OUTLET }, (_, a) => ({
      id: crypto.randomUUID(),
      siteOrgId,
      type: ASSET_TYPE_CODES[a % ASSET_TYPE_CODES.length]!,
      serial: `SN${String(o).padStart(4, '0')}${String(a).padStart(2, '0')}`,
      model: 'M-1',
      status: a === 0 && o % 10 === 0 ? ('FAULTY' as const) : ('IN_SERVICE' as const),
    })),
  );
  await inChunks(assets, (c) => insertJson(db, db.orm, maintenanceAssets, c));

  const random = sequence(20251101);
  const yearStart = Date.parse('2025-01-01T00:00:00+08:00');
  const yearSpan = Date.parse('2026-01-01T00:00:00+08:00') - yearStart;
  const tickets: (typeof maintenanceTickets.$inferInsert & { id: string; openedAt: Date })[] = [];
  const events: (typeof maintenanceTicketEvents.$inferInsert)[] = [];
  for (let i = 0; i < TICKETS; i++) {
    const o = Math.floor(random() * OUTLETS);
    // Opened on a whole minute between 08:00 and 18:00 of a day of the year.
    const day = Math.floor(random() * (yearSpan / 86_400_000));
    const openedAt = new Date(yearStart + day * 86_400_000 + (480 + Math.floor(random() * 600)) * MS_PER_MINUTE);
    const ack = new Date(openedAt.getTime() + Math.floor(5 + random() * 200) * MS_PER_MINUTE);
    const resolved = new Date(ack.getTime() + Math.floor(30 + random() * 600) * MS_PER_MINUTE);
    const id = crypto.randomUUID();
    const urban = o % 3 !== 0;
    tickets.push({
      id,
      ticketNo: `WX2025${String(i + 1).padStart(6, '0')}`,
      contractId: contract.id,
      siteOrgId: outlets[o]!,
      assetId: assets[o * ASSETS_PER_OUTLET + (i % ASSETS_PER_OUTLET)]!.id,
      category: ['读卡机故障', '制卡机故障', '网络故障', '计算机故障', '软件故障'][i % 5]!,
      description: '故障',
      channel: 'CONSOLE' as const,
      zone: urban ? ('URBAN' as const) : ('SUBURBAN' as const),
      clock: 'WORKING' as const,
      responseTarget: 'ACKNOWLEDGED' as const,
      responseMinutes: urban ? 120 : 180,
      fixMinutes: urban ? 480 : 600,
      warnPercent: 75,
      openingHours: '09:00-17:00',
      status: 'RESOLVED' as const,
      openedAt,
      lastEventAt: resolved,
      lastSeq: 3,
    });
    const event = (seq: number, action: 'OPEN' | 'ACKNOWLEDGE' | 'RESOLVE', fromStatus: 'NEW' | 'ACKNOWLEDGED' | null, toStatus: 'NEW' | 'ACKNOWLEDGED' | 'RESOLVED', at: Date) => ({
      ticketId: id,
      seq,
      action,
      fromStatus,
      toStatus,
      at,
      actorType: 'USER',
      actorName: 'bench',
      idempotencyKey: `${id}:${seq}`,
    });
    events.push(event(1, 'OPEN', null, 'NEW', openedAt), event(2, 'ACKNOWLEDGE', 'NEW', 'ACKNOWLEDGED', ack), event(3, 'RESOLVE', 'ACKNOWLEDGED', 'RESOLVED', resolved));
  }
  await inChunks(tickets, (c) => insertJson(db, db.orm, maintenanceTickets, c));
  await inChunks(events, (c) => insertJson(db, db.orm, maintenanceTicketEvents, c));

  const visits = [];
  for (let month = 1; month <= 12; month++) {
    const m = `2025-${String(month).padStart(2, '0')}`;
    for (const [o, siteOrgId] of outlets.entries()) {
      const missed = (o + month) % 97 === 0;
      const signedAt = new Date(Date.parse(`${m}-15T10:00:00+08:00`));
      visits.push({
        contractId: contract.id,
        siteOrgId,
        month: m,
        kind: 'PREVENTIVE' as const,
        services: ['SOCIAL_SECURITY_CARD' as const],
        status: missed ? ('PLANNED' as const) : ('SIGNED' as const),
        signerNameEnc: missed ? null : 'x',
        signerNameMasked: missed ? null : '张*',
        signatureEnc: missed ? null : Buffer.from('png'),
        signatureSm3: missed ? null : '00',
        signedAt: missed ? null : signedAt,
      });
    }
  }
  await inChunks(visits, (c) => insertJson(db, db.orm, maintenanceVisits, c));
  const breaches = Array.from({ length: 300 }, (_, i) => ({
    contractId: contract.id,
    ticketId: tickets[i * 10]!.id,
    kind: 'LATE_RESPONSE' as const,
    occurredAt: tickets[i * 10]!.openedAt,
    allowedMinutes: 120,
    usedMinutes: 150,
    evidence: {},
  }));
  await insertJson(db, db.orm, maintenanceBreaches, breaches);
  return { contract, engineer };
}

async function run(databaseUrl: string | null, engine: string): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-bench-report-'));
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl ?? '', CARDFLOW_DATA_DIR: path.join(dir, 'data'), CARDFLOW_KEY_FILE: path.join(dir, 'keys.json'), CARDFLOW_LOG_LEVEL: 'error' });
  const ctx = await startPlatform(config, createLogger('error', process.stderr), { announce: () => undefined });
  try {
    const t0 = performance.now();
    const { contract, engineer } = await seed(ctx);
    process.stderr.write(`${engine}: seeded in ${Math.round(performance.now() - t0)} ms\n`);
    const periodStart = `${MONTH}-01`;
    // One warm-up, then the timed generation (a regeneration of the draft, as the maintainer does).
    await generateReport(ctx, engineer, { contractId: contract.id, kind: 'MONTHLY', periodStart });
    const t1 = performance.now();
    const id = await generateReport(ctx, engineer, { contractId: contract.id, kind: 'MONTHLY', periodStart });
    const ms = Math.round(performance.now() - t1);
    const report = await getReport(ctx, engineer, id);
    process.stderr.write(`${engine}: ${report.content.tickets.opened} tickets in ${MONTH}, ${report.content.visits.months[0]?.missing ?? 0} outlets missed\n`);
    const scenario = `maintenance report (${engine})`;
    return [
      { scenario, metric: `monthly report for ${OUTLETS.toLocaleString('en-US')} outlets × ${ASSETS_PER_OUTLET} assets, ${TICKETS.toLocaleString('en-US')} tickets in the year`, value: ms, unit: 'ms', target: engine === 'PostgreSQL' ? '< 5,000' : '(info)', pass: engine === 'PostgreSQL' ? ms < 5000 : true },
      { scenario, metric: `tickets in ${MONTH} with response and fix clocks`, value: report.content.tickets.opened, unit: 'tickets' },
    ];
  } finally {
    await ctx.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Generating the monthly report at the scale of issue 5's benchmark, on the engine in use: PostgreSQL
 * when DATABASE_URL is set (in a database of its own, dropped afterwards), the embedded engine otherwise.
 */
export async function benchMaintenanceReport(): Promise<BenchRow[]> {
  const admin = process.env.DATABASE_URL;
  if (!admin) return run(null, 'PGlite');
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  const name = `cardflow_bench_report_${Date.now()}`;
  await client.query(`create database ${name}`);
  try {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return await run(url.toString(), 'PostgreSQL');
  } finally {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printTable('maintenance-report', await benchMaintenanceReport());
