// One engine's run of the 100,000-application lifecycle scenario, in its own process so peak RSS is its
// own. Started by lifecycle.bench.ts with the engine in the environment; prints one JSON line of rows.
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/platform/config/config.ts';
import { createLogger } from '../src/platform/logging/logger.ts';
import { startPlatform } from '../src/platform/bootstrap.ts';
import type { AppContext } from '../src/platform/context.ts';
import { principalFor } from '../src/platform/auth/service.ts';
import type { Principal } from '../src/platform/auth/principal.ts';
import { createOrg, createUser, ensureRootOrg, findUserByUsername, findUserWithOrg } from '../src/modules/orgs/service.ts';
import { seedCalendarIfEmpty } from '../src/modules/calendar/service.ts';
import { createProgramme } from '../src/modules/programmes/service.ts';
import { approveApplications, createApplication, importApplications, listApplications } from '../src/modules/applications/service.ts';
import { csvField } from '../src/modules/applications/csv.ts';
import { createBatches } from '../src/modules/production/batches.ts';
import { demoPerson, rng } from '../src/cli/demo-data.ts';
import { createPackageKey } from '../src/modules/production/keys.ts';
import { createPackageLink, openDownload } from '../src/modules/production/downloads.ts';
import { reportResults } from '../src/modules/production/results.ts';
import { createShipment } from '../src/modules/logistics/shipments.ts';
import { cardAttempts } from '../src/modules/cards/schema.ts';
import { applications } from '../src/modules/applications/schema.ts';
import { bulkScan, confirmReceipt } from '../src/modules/logistics/receipt.ts';
import { issueCard } from '../src/modules/logistics/issuance.ts';
import { decryptField } from '../src/platform/crypto/field-cipher.ts';
import { buildApp } from '../src/http/app.ts';
import autocannon from 'autocannon';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { ROOT, type BenchRow } from './support.ts';

export interface StepResult {
  step: string;
  cards: number;
  ms: number;
  peakRssMb: number;
}

const count = Number(process.env.BENCH_CARDS ?? 100_000);
const withPhoto = Math.min(1000, count);
const engine = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const steps: StepResult[] = [];

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

// BENCH_PROFILE=dir writes one CPU profile per step there (open them in Chrome DevTools).
const profileDir = process.env.BENCH_PROFILE;
const inspector = profileDir ? new Session() : null;
inspector?.connect();

function post(method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => inspector!.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
}

async function step<T>(name: string, cards: number, fn: () => Promise<T>): Promise<T> {
  if (inspector) {
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  const t0 = performance.now();
  const out = await fn();
  if (inspector) {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    writeFileSync(path.join(profileDir!, `${steps.length + 1}-${name.replace(/[^\w]+/g, '-')}.cpuprofile`), JSON.stringify(profile));
  }
  steps.push({ step: name, cards, ms: performance.now() - t0, peakRssMb: peakRssMb() });
  process.stderr.write(`${engine}: ${name} ${cards} cards in ${Math.round(performance.now() - t0)} ms\n`);
  return out;
}

async function userPrincipal(ctx: AppContext, username: string): Promise<Principal> {
  const u = await findUserByUsername(ctx, username);
  const found = await findUserWithOrg(ctx, u!.id);
  return principalFor(found!.user, found!.org);
}

async function seed(ctx: AppContext) {
  const root = await ensureRootOrg(ctx);
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'bench', roles: ['ADMIN'] }, root, 'CLI');
  const city = await createOrg(ctx, cli, { name: '常州市公安局', kind: 'AUTHORITY', parentId: root.id, regionCode: '320400' });
  const outlets = [];
  for (let i = 1; i <= 10; i++) outlets.push(await createOrg(ctx, cli, { name: `第${i}受理点`, kind: 'OUTLET', parentId: city.id, regionCode: '320412' }));
  const producer = await createOrg(ctx, cli, { name: '江苏制卡中心', kind: 'PRODUCER', parentId: city.id, regionCode: '320100' });
  const password = 'Bench-password-1';
  await createUser(ctx, cli, { username: 'b_manager', displayName: 'manager', orgId: city.id, roles: ['AUTHORITY_MANAGER'], password });
  await createUser(ctx, cli, { username: 'b_producer', displayName: 'producer', orgId: producer.id, roles: ['PRODUCER_OPERATOR'], password });
  for (const [i, o] of outlets.entries()) await createUser(ctx, cli, { username: `b_clerk${i}`, displayName: 'clerk', orgId: o.id, roles: ['OUTLET_CLERK'], password });
  const manager = await userPrincipal(ctx, 'b_manager');
  const programme = await createProgramme(ctx, manager, {
    kind: 'RESIDENCE_PERMIT',
    name: '常州居住证',
    authorityOrgId: city.id,
    producerOrgIds: [producer.id],
    receiverOrgIds: outlets.map((o) => o.id),
    batchSizeLimit: 10_000,
  });
  return { outlets, producer, manager, programme, clerks: await Promise.all(outlets.map((_, i) => userPrincipal(ctx, `b_clerk${i}`))), producerUser: await userPrincipal(ctx, 'b_producer') };
}

/** Writes the import file for one outlet: a CSV of people numbered [from, to). */
async function writeCsv(file: string, from: number, to: number): Promise<void> {
  const out = createWriteStream(file);
  const r = rng(from + 1);
  out.write('kind,name,citizenId,phone,sex,ethnicity,birthDate,hukouAddress,residenceAddress,basis\n');
  for (let n = from; n < to; n++) {
    const p = demoPerson(r, n, '江苏省常州市武进区');
    const line = ['NEW', p.name, p.citizenId, p.phone, p.sex, p.ethnicity, p.birthDate, p.hukouAddress, p.residenceAddress, 'EMPLOYMENT'].map(csvField).join(',') + '\n';
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * The holder's progress lookup under load: the platform's own HTTP server on this database, autocannon
 * for 10 s from 10 connections, each request a real application number and the last 6 ID characters.
 */
async function holderLookup(ctx: AppContext, programmeId: string): Promise<{ rps: number; p99: number; errors: number }> {
  const sample = await ctx.db.orm.select({ no: applications.applicationNo, idEnc: applications.citizenIdEnc }).from(applications).where(eq(applications.programmeId, programmeId)).limit(200);
  const bodies = sample.map((a) => JSON.stringify({ applicationNo: a.no, idLast6: decryptField(ctx.keyring, a.idEnc).slice(-6) }));
  const app = await buildApp(ctx, { serveConsole: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as AddressInfo;
  try {
    let i = 0;
    const result = await new Promise<autocannon.Result>((resolve, reject) =>
      autocannon(
        {
          url: `http://127.0.0.1:${address.port}/api/v1/public/track`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          connections: 10,
          duration: 10,
          requests: [{ setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
        },
        (err, res) => (err ? reject(err) : resolve(res)),
      ),
    );
    return { rps: Math.round(result.requests.average), p99: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx };
  } finally {
    await app.close();
  }
}

let lookup: { rps: number; p99: number; errors: number } | null = null;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-bench-lifecycle-'));
  // The per-address lookup limit protects holders' data from guessing; the load test is one address.
  const config = loadConfig({ ...process.env, CARDFLOW_DATA_DIR: path.join(dir, 'data'), CARDFLOW_KEY_FILE: path.join(dir, 'keys.json'), CARDFLOW_TRACK_IP_LIMIT: '100000', CARDFLOW_LOG_LEVEL: 'error' });
  const ctx = await startPlatform(config, createLogger('error', process.stderr));
  try {
    await seedCalendarIfEmpty(ctx);
    const city = await seed(ctx);
    const photos = [1, 2, 3, 4, 5, 6].map((i) => readFileSync(path.join(ROOT, `assets/demo/portrait-${i}.jpg`)));

    // People are numbered so that citizen IDs never repeat: the generator's sequence digits come from n.
    await step('counter intake with photo', withPhoto, async () => {
      const r = rng(7);
      for (let n = 0; n < withPhoto; n++) {
        const p = demoPerson(r, n, '江苏省常州市武进区');
        await createApplication(ctx, city.clerks[n % city.clerks.length]!, {
          programmeId: city.programme.id,
          kind: 'NEW',
          ...p,
          basis: 'EMPLOYMENT',
          photoJpegBase64: photos[n % photos.length]!.toString('base64'),
        });
      }
    });

    const perOutlet = Math.ceil((count - withPhoto) / city.outlets.length);
    const files: { file: string; outlet: number }[] = [];
    for (let i = 0; i < city.outlets.length; i++) {
      const from = withPhoto + i * perOutlet;
      const to = Math.min(count, from + perOutlet);
      if (to <= from) continue;
      const file = path.join(dir, `import-${i}.csv`);
      await writeCsv(file, from, to);
      files.push({ file, outlet: i });
    }
    await step('bulk import (CSV, streamed)', count - withPhoto, async () => {
      for (const f of files) {
        await importApplications(ctx, city.clerks[f.outlet]!, { programmeId: city.programme.id, outletOrgId: city.outlets[f.outlet]!.id, format: 'csv', source: createReadStream(f.file) });
      }
    });

    await step('approve (5,000 per call)', count, async () => {
      for (;;) {
        const page = await listApplications(ctx, city.manager, { programmeId: city.programme.id, status: 'SUBMITTED', limit: 5000 }, 'oldest');
        if (page.items.length === 0) break;
        await approveApplications(ctx, city.manager, page.items.map((a) => a.id));
      }
    });

    const batches = await step('production batches (10,000 per batch)', count, () => createBatches(ctx, city.manager, { programmeId: city.programme.id, producerOrgId: city.producer.id }));
    process.stderr.write(`${engine}: ${batches.length} batches\n`);

    await createPackageKey(ctx, city.producerUser, { kind: 'SM4' });
    let packageBytes = 0;
    await step(`package export (encrypted, ${withPhoto.toLocaleString('en-US')} photos)`, count, async () => {
      for (const batch of batches) {
        const { token } = await createPackageLink(ctx, city.producerUser, batch.id, {});
        const download = await openDownload(ctx, city.producerUser, token);
        const out = createWriteStream(path.join(dir, `${batch.batchNo}.cfpkg`));
        for await (const chunk of download.body) {
          packageBytes += chunk.length;
          if (!out.write(chunk)) await once(out, 'drain');
        }
        out.end();
        await once(out, 'finish');
      }
    });
    process.stderr.write(`${engine}: packages ${Math.round(packageBytes / 1024 / 1024)} MB\n`);

    // The producer's system reports each card with the SM3 of the record it wrote (taken here from the order).
    await step('production results (one report per batch)', count, async () => {
      for (const batch of batches) {
        const cards = await ctx.db.orm.select({ id: cardAttempts.id, seq: cardAttempts.packingSeq, sm3: cardAttempts.recordSm3 }).from(cardAttempts).where(eq(cardAttempts.batchId, batch.id));
        const rows = cards.map((c, i) => ({
          row: i + 2,
          record: { cardId: c.id, outcome: 'PRODUCED', cardNo: `B${batch.batchNo.slice(-5)}${String(c.seq).padStart(5, '0')}`, chipUid: `04${String(c.seq).padStart(12, '0')}`, chipDataSm3: c.sm3 },
        }));
        await reportResults(ctx, city.producerUser, batch.id, rows);
      }
    });

    const shipped = await step('shipments (one parcel per outlet)', count, async () => {
      const parcels = [];
      for (const outlet of city.outlets) {
        const cards = await ctx.db.orm.select({ id: cardAttempts.id }).from(cardAttempts).where(and(eq(cardAttempts.receiverOrgId, outlet.id), eq(cardAttempts.status, 'PRODUCED')));
        for (let i = 0; i < cards.length; i += 20_000) parcels.push(await createShipment(ctx, city.producerUser, { receiverOrgId: outlet.id, cardIds: cards.slice(i, i + 20_000).map((c) => c.id) }));
      }
      return parcels;
    });
    process.stderr.write(`${engine}: ${shipped.length} parcels\n`);

    // Each outlet loads its scanner's file for the parcel, then confirms receipt.
    await step('receipt (scanner file per parcel, confirm)', count, async () => {
      for (const parcel of shipped) {
        const clerk = city.clerks[city.outlets.findIndex((o) => o.id === parcel.receiverOrgId)]!;
        const cardNos = (await ctx.db.orm.select({ cardNo: cardAttempts.cardNo }).from(cardAttempts).where(eq(cardAttempts.shipmentId, parcel.id))).map((c) => c.cardNo!);
        await bulkScan(ctx, clerk, parcel.id, cardNos);
        await confirmReceipt(ctx, clerk, parcel.id);
      }
    });

    // Issuance is one holder at a time at a counter: a sample of 2,000 hand-overs.
    const sample = Math.min(2000, count);
    await step('issuance at the counter (one card per call)', sample, async () => {
      const cards = await ctx.db.orm.select({ id: cardAttempts.id, receiver: cardAttempts.receiverOrgId }).from(cardAttempts).where(eq(cardAttempts.status, 'RECEIVED')).limit(sample);
      for (const c of cards) {
        const clerk = city.clerks[city.outlets.findIndex((o) => o.id === c.receiver)]!;
        await issueCard(ctx, clerk, c.id, { identityChecked: true, collectedBy: 'HOLDER' });
      }
    });

    lookup = await holderLookup(ctx, city.programme.id);
  } finally {
    await ctx.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const bulkTarget = engine === 'PostgreSQL' ? 10_000 : 2_000;
  const bulkSteps = new Set(['bulk import (CSV, streamed)', 'approve (5,000 per call)', 'production batches (10,000 per batch)', 'production results (one report per batch)', 'shipments (one parcel per outlet)', 'receipt (scanner file per parcel, confirm)']);
  const scenario = `lifecycle ${count.toLocaleString('en-US')} (${engine})`;
  const rows: BenchRow[] = steps.flatMap((s) => {
    const rate = Math.round((s.cards / s.ms) * 1000);
    return [
      { scenario, metric: s.step, value: rate, unit: 'cards/s', ...(bulkSteps.has(s.step) ? { target: `>= ${bulkTarget.toLocaleString('en-US')}`, pass: rate >= bulkTarget } : {}) },
      { scenario, metric: `${s.step}: peak RSS`, value: s.peakRssMb, unit: 'MB' },
    ];
  });
  if (lookup) {
    rows.push(
      { scenario, metric: 'holder lookup (POST /api/v1/public/track)', value: lookup.rps, unit: 'req/s' },
      { scenario, metric: 'holder lookup p99', value: lookup.p99, unit: 'ms', target: '< 20 at 1,000 req/s (issue 7, PostgreSQL, 2 API processes)' },
      { scenario, metric: 'holder lookup errors + non-2xx', value: lookup.errors, unit: 'count', target: '0', pass: lookup.errors === 0 },
    );
  }
  process.stdout.write(`${JSON.stringify(rows)}\n`);
}

await main();
