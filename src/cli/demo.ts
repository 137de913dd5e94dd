import { readFileSync } from 'node:fs';
import { and, count, eq } from 'drizzle-orm';
import type { AppContext } from '../platform/context.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { principalFor } from '../platform/auth/service.ts';
import { fromRoot } from '../platform/paths.ts';
import { appendAudit } from '../platform/audit/service.ts';
import { createOrg, createUser, ensureRootOrg, findUserByUsername, findUserWithOrg, type OrgRow } from '../modules/orgs/service.ts';
import { seedCalendarIfEmpty } from '../modules/calendar/service.ts';
import { createProgramme, type ProgrammeView } from '../modules/programmes/service.ts';
import { applications } from '../modules/applications/schema.ts';
import { approveApplications, createApplication, rejectApplication } from '../modules/applications/service.ts';
import { bankMatchOne } from '../modules/applications/bank-matching.ts';
import { createBatches, type BatchRow } from '../modules/production/batches.ts';
import { reportResults } from '../modules/production/results.ts';
import { createPackageKey } from '../modules/production/keys.ts';
import { createShipment } from '../modules/logistics/shipments.ts';
import { confirmReceipt, scanCard } from '../modules/logistics/receipt.ts';
import { activateCard, issueCard, issuePrefabricated, reportLoss } from '../modules/logistics/issuance.ts';
import { createContract, createZoneTable, upsertSite } from '../modules/maintenance/contracts.ts';
import { createAsset } from '../modules/maintenance/assets.ts';
import { openTicket, recordTicketAction, sweepTicketBreaches } from '../modules/maintenance/tickets.ts';
// The demo plays the producer's and the counters' own systems, which read what they hold (card numbers, digests).
import { cardAttempts } from '../modules/cards/schema.ts';
import { demoSettlement } from './demo-settlement.ts';
import { demoBankAccount, demoPerson, DEMO_ASSETS, DEMO_TICKETS, DEMO_ZONES, rng, type DemoPerson } from './demo-data.ts';

export const DEMO_PASSWORD = 'Demo-password-1';

interface DemoUsers {
  [username: string]: Principal;
}

/** Refuses to mix demo data into a database that already holds applications. */
export async function databaseIsEmpty(ctx: AppContext): Promise<boolean> {
  const [row] = await ctx.db.orm.select({ n: count() }).from(applications);
  return (row?.n ?? 0) === 0;
}

async function userPrincipal(ctx: AppContext, username: string): Promise<Principal> {
  const u = await findUserByUsername(ctx, username);
  const found = await findUserWithOrg(ctx, u!.id);
  return principalFor(found!.user, found!.org);
}

/** Orgs and people of a mid-sized city: two authorities, six police outlets, two social security outlets, a producer, a bank with branches. */
async function seedCity(ctx: AppContext) {
  const root = await ensureRootOrg(ctx);
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'demo', roles: ['ADMIN'] }, root, 'CLI');
  const org = (name: string, kind: OrgRow['kind'], parent: OrgRow, regionCode?: string) => createOrg(ctx, cli, { name, kind, parentId: parent.id, ...(regionCode ? { regionCode } : {}) });
  const police = await org('常州市公安局人口管理支队', 'AUTHORITY', root, '320400');
  const districts = [await org('武进分局', 'AUTHORITY', police, '320412'), await org('新北分局', 'AUTHORITY', police, '320411'), await org('天宁分局', 'AUTHORITY', police, '320402')];
  const outlets = [
    await org('湖塘派出所受理点', 'OUTLET', districts[0]!, '320412'),
    await org('牛塘派出所受理点', 'OUTLET', districts[0]!, '320412'),
    await org('三井派出所受理点', 'OUTLET', districts[1]!, '320411'),
    await org('河海派出所受理点', 'OUTLET', districts[1]!, '320411'),
    await org('红梅派出所受理点', 'OUTLET', districts[2]!, '320402'),
    await org('天宁区政务服务中心受理点', 'OUTLET', districts[2]!, '320402'),
  ];
  const hrss = await org('常州市社会保障卡服务中心', 'AUTHORITY', root, '320400');
  const sscOutlets = [await org('武进区社保服务网点', 'OUTLET', hrss, '320412'), await org('新北区社保服务网点', 'OUTLET', hrss, '320411')];
  const bank = await org('常州农村商业银行', 'BANK', hrss, '320400');
  const branches = [await org('常州农商银行武进支行', 'BANK', bank, '320412'), await org('常州农商银行新北支行', 'BANK', bank, '320411')];
  // Producers are suppliers under the authority that contracts them; the Shanghai one is outside Jiangsu and shows the region rule.
  const producer = await org('江苏恒宝证卡制造有限公司', 'PRODUCER', police, '320500');
  const outOfRegion = await org('上海华虹证卡有限公司', 'PRODUCER', police, '310115');
  const sscProducer = await org('金邦达社保卡制卡中心（常州）', 'PRODUCER', hrss, '320411');
  const maintainer = await org('常州信达运维服务有限公司', 'MAINTAINER', root, '320400');
  const smsProvider = await org('常州移动短信服务平台', 'SMS_PROVIDER', root, '320400');

  const people: [string, string, OrgRow, string][] = [
    ['police_manager', '人口支队 王科长', police, 'AUTHORITY_MANAGER'],
    ['police_reviewer', '人口支队 审核员 李明', police, 'AUTHORITY_REVIEWER'],
    ['auditor', '审计 周敏', police, 'AUDITOR'],
    ['ssc_manager', '社保卡中心 陈主任', hrss, 'AUTHORITY_MANAGER'],
    ['ssc_reviewer', '社保卡中心 审核员 赵静', hrss, 'AUTHORITY_REVIEWER'],
    ['producer', '恒宝证卡 生产调度', producer, 'PRODUCER_OPERATOR'],
    ['ssc_producer', '金邦达 生产调度', sscProducer, 'PRODUCER_OPERATOR'],
    ['bank_wujin', '武进支行 柜员', branches[0]!, 'BANK_OPERATOR'],
    ['bank_xinbei', '新北支行 柜员', branches[1]!, 'BANK_OPERATOR'],
    ['engineer1', '信达运维 工程师 孙磊', maintainer, 'MAINTAINER_ENGINEER'],
  ];
  outlets.forEach((o, i) => people.push([`clerk${i + 1}`, `${o.name} 受理员`, o, 'OUTLET_CLERK']));
  sscOutlets.forEach((o, i) => people.push([`ssc_clerk${i + 1}`, `${o.name} 受理员`, o, 'OUTLET_CLERK']));
  const users: DemoUsers = {};
  for (const [username, displayName, at, role] of people) {
    await createUser(ctx, cli, { username, displayName, orgId: at.id, roles: [role], password: DEMO_PASSWORD });
    users[username] = await userPrincipal(ctx, username);
  }
  return { root, police, districts, outlets, hrss, sscOutlets, bank, branches, producer, outOfRegion, sscProducer, maintainer, smsProvider, users };
}

type City = Awaited<ReturnType<typeof seedCity>>;

async function programmes(ctx: AppContext, city: City) {
  const rp = await createProgramme(ctx, city.users.police_manager!, {
    kind: 'RESIDENCE_PERMIT',
    name: '常州市居住证制证（2026–2028 合同）',
    authorityOrgId: city.police.id,
    producerOrgIds: [city.producer.id, city.outOfRegion.id],
    receiverOrgIds: city.outlets.map((o) => o.id),
    batchSizeLimit: 40,
  });
  const ssc = await createProgramme(ctx, city.users.ssc_manager!, {
    kind: 'SOCIAL_SECURITY_CARD',
    name: '常州市第三代社会保障卡制发',
    authorityOrgId: city.hrss.id,
    producerOrgIds: [city.sscProducer.id],
    receiverOrgIds: [...city.sscOutlets.map((o) => o.id), ...city.branches.map((b) => b.id)],
    batchSizeLimit: 60,
    packingOrder: 'BY_SSN',
  });
  return { rp, ssc };
}

/**
 * Outlet maintenance: the maintainer holds one contract per authority (working-hour SLA, Changzhou's
 * urban and suburban districts; the social security one also has a fix allowance), every outlet is registered with its opening hours and a few devices,
 * and the week of 16 November 2026 left tickets in every state, two of them late (one answered late,
 * one never answered and found by the breach sweep).
 */
async function maintenance(ctx: AppContext, city: City) {
  const u = city.users;
  const zones = await createZoneTable(ctx, { name: '常州市网点区域', entries: [...DEMO_ZONES] });
  const contract = (manager: Principal, name: string, authorityOrgId: string, responseTarget: 'ACKNOWLEDGED' | 'ON_SITE', fix: boolean) =>
    createContract(ctx, manager, {
      name,
      authorityOrgId,
      maintainerOrgId: city.maintainer.id,
      termStart: '2026-01-01',
      termEnd: '2028-12-31',
      zoneTableId: zones.id,
      clock: 'WORKING',
      responseTarget,
      responseMinutes: { URBAN: 120, SUBURBAN: 180 },
      fixMinutes: fix ? { URBAN: 480, SUBURBAN: 600 } : null,
      warnPercent: 75,
      breachTerminationCount: 5,
    });
  const police = await contract(u.police_manager!, '受理网点设备运维服务（2026–2028）', city.police.id, 'ACKNOWLEDGED', false);
  const ssc = await contract(u.ssc_manager!, '社保服务网点设备运维服务（2026–2028）', city.hrss.id, 'ON_SITE', true);
  const sites: [Principal, string, OrgRow][] = [
    ...city.outlets.map((o): [Principal, string, OrgRow] => [u.police_manager!, police.id, o]),
    ...city.sscOutlets.map((o): [Principal, string, OrgRow] => [u.ssc_manager!, ssc.id, o]),
  ];
  for (const [manager, contractId, o] of sites) {
    // The government service centre closes for lunch; the police stations do not.
    const openingHours = o.name.includes('政务服务中心') ? '09:00-12:00,13:00-17:00' : '09:00-17:00';
    const services: ('RESIDENCE_PERMIT' | 'SOCIAL_SECURITY_CARD')[] = contractId === ssc.id ? ['SOCIAL_SECURITY_CARD'] : ['RESIDENCE_PERMIT'];
    await upsertSite(ctx, manager, o.id, { contractId, services, openingHours, zoneOverride: null });
  }
  const engineer = u.engineer1!;
  const assets = new Map<string, string>();
  for (const [si, [, , o]] of sites.entries()) {
    for (const a of DEMO_ASSETS) {
      const serial = `${a.prefix}-CZ${String(si + 1).padStart(3, '0')}`;
      const asset = await createAsset(ctx, engineer, {
        siteOrgId: o.id,
        type: a.type,
        serial,
        model: a.model,
        status: 'IN_SERVICE',
        samCardNo: a.sam ? `SAM32${String(si + 1).padStart(2, '0')}${a.prefix}` : null,
        purchaseDate: '2025-12-15',
        warrantyUntil: '2028-12-14',
      });
      assets.set(`${o.id}:${a.type}`, asset.id);
    }
  }
  for (const t of DEMO_TICKETS) {
    const clerk = u[t.clerk]!;
    const { id } = await openTicket(ctx, clerk, { siteOrgId: clerk.orgId, assetId: assets.get(`${clerk.orgId}:${t.assetType}`) ?? null, category: t.category, description: t.description, openedAt: t.openedAt });
    for (const step of t.steps) {
      await recordTicketAction(ctx, step.action === 'CLOSE' ? clerk : engineer, id, step.action, { at: step.at, note: step.note ?? null, ...(step.action === 'WAIT' ? { waitingReason: 'PARTS' as const } : {}) });
    }
  }
  return sweepTicketBreaches(ctx);
}

interface Submitted {
  id: string;
  person: DemoPerson;
}

async function submit(
  ctx: AppContext,
  clerk: Principal,
  programme: ProgrammeView,
  person: DemoPerson,
  photo: Buffer,
  extra: { kind?: 'NEW' | 'RENEWAL' | 'REPLACEMENT' | 'ENDORSEMENT' | 'PREFABRICATED'; bankOrgId?: string } = {},
): Promise<Submitted> {
  const row = await createApplication(ctx, clerk, {
    programmeId: programme.id,
    kind: extra.kind ?? 'NEW',
    ...person,
    basis: programme.kind === 'RESIDENCE_PERMIT' ? 'EMPLOYMENT' : null,
    bankOrgId: extra.bankOrgId ?? null,
    photoJpegBase64: photo.toString('base64'),
  });
  return { id: row.id, person };
}

/** The producer's side of a batch: every card made, except the ones listed as wasted. */
async function produce(ctx: AppContext, producer: Principal, batch: BatchRow, wasted: { seq: number; cause: 'PRODUCER' | 'AUTHORITY_DATA'; reason: string }[], leaveOrdered = 0) {
  const cards = await ctx.db.orm
    .select({ id: cardAttempts.id, seq: cardAttempts.packingSeq, recordSm3: cardAttempts.recordSm3 })
    .from(cardAttempts)
    .where(and(eq(cardAttempts.batchId, batch.id), eq(cardAttempts.status, 'ORDERED')));
  cards.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const rows = cards.slice(0, cards.length - leaveOrdered).map((c, i) => {
    const waste = wasted.find((w) => w.seq === c.seq);
    // The producer's system computes the chip digest from the package's records.jsonl; the demo takes the ordered one.
    const record = waste
      ? { cardId: c.id, outcome: 'WASTED', wasteReason: waste.reason, wasteCause: waste.cause }
      : { cardId: c.id, outcome: 'PRODUCED', cardNo: `C${batch.batchNo.slice(-5)}${String(c.seq).padStart(4, '0')}`, chipUid: `04${String(Date.now() % 1e8).padStart(8, '0')}${String(i).padStart(4, '0')}`, chipDataSm3: c.recordSm3 };
    return { row: i + 2, record };
  });
  if (rows.length) await reportResults(ctx, producer, batch.id, rows);
}

/** Ships the producer's produced cards, one parcel per receiver; `holdBack` receivers' cards stay at the factory. */
async function shipAll(ctx: AppContext, producer: Principal, programmeId: string, holdBack = 0) {
  const cards = await ctx.db.orm
    .select({ id: cardAttempts.id, receiver: cardAttempts.receiverOrgId })
    .from(cardAttempts)
    .where(and(eq(cardAttempts.programmeId, programmeId), eq(cardAttempts.status, 'PRODUCED')));
  const byReceiver = new Map<string, string[]>();
  for (const c of cards) byReceiver.set(c.receiver, [...(byReceiver.get(c.receiver) ?? []), c.id]);
  const out = [];
  for (const [receiverOrgId, cardIds] of [...byReceiver].slice(0, Math.max(0, byReceiver.size - holdBack))) out.push(await createShipment(ctx, producer, { receiverOrgId, cardIds, carrier: 'EMS 机要通信', trackingNo: `1${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}` }));
  return out;
}

export interface DemoSummary {
  users: { username: string; role: string; org: string }[];
  applications: number;
}

/**
 * Fills an empty database with a realistic city and a few hundred applications in every state of both
 * programmes, through the same services the console and the API use (so every change is an event).
 */
export async function runDemo(ctx: AppContext, opts: { seed?: number; log?: (line: string) => void } = {}): Promise<DemoSummary> {
  const log = opts.log ?? (() => undefined);
  const r = rng(opts.seed ?? 20261122);
  await seedCalendarIfEmpty(ctx);
  const city = await seedCity(ctx);
  const { rp, ssc } = await programmes(ctx, city);
  const photos = [1, 2, 3, 4, 5, 6].map((i) => readFileSync(fromRoot(`assets/demo/portrait-${i}.jpg`)));
  const u = city.users;
  let n = 0;
  const person = () => demoPerson(r, n++, '江苏省常州市');
  const photo = () => photos[n % photos.length]!;
  const clerkFor = (i: number) => u[`clerk${(i % city.outlets.length) + 1}`]!;
  const sscClerkFor = (i: number) => u[`ssc_clerk${(i % city.sscOutlets.length) + 1}`]!;
  const reasons = ['PHOTO_UNSUITABLE', 'RESIDENCE_PROOF_INCOMPLETE', 'EMPLOYMENT_PROOF_INCOMPLETE', 'INFO_MISMATCH'];

  log('residence permits: intake and review');
  const rpApps: Submitted[] = [];
  for (let i = 0; i < 170; i++) rpApps.push(await submit(ctx, clerkFor(i), rp, person(), photo()));
  for (let i = 0; i < 12; i++) await submit(ctx, clerkFor(i), rp, person(), photo(), { kind: 'ENDORSEMENT' });
  // 20 stay SUBMITTED for the review queue; 10 are rejected with every reason at once; the rest approved.
  for (const [i, a] of rpApps.slice(20, 30).entries()) await rejectApplication(ctx, u.police_reviewer!, a.id, { reasonCodes: [reasons[i % 4]!, reasons[(i + 1) % 4]!], note: '请补齐材料后重新申请' });
  await approveApplications(ctx, u.police_reviewer!, rpApps.slice(30).map((a) => a.id));

  log('residence permits: production, delivery, issuance');
  await createPackageKey(ctx, u.producer!, { kind: 'SM4' });
  // Three batches of 40 (the programme's batch size); 20 approved stay waiting for the next one.
  const rpBatches = await createBatches(ctx, u.police_manager!, { programmeId: rp.id, producerOrgId: city.producer.id, maxCards: 120 });
  await produce(ctx, u.producer!, rpBatches[0]!, [
    { seq: 5, cause: 'PRODUCER', reason: '芯片写入失败' },
    { seq: 17, cause: 'AUTHORITY_DATA', reason: '照片与本人特征不符' },
  ]);
  await produce(ctx, u.producer!, rpBatches[1]!, [{ seq: 3, cause: 'PRODUCER', reason: '印刷偏色' }], 10);
  const parcels = await shipAll(ctx, u.producer!, rp.id, 1);
  // Outlets open their parcels: most scan every card and confirm; one parcel is short a card and has a
  // damaged one (discrepancies for the producer); the last is still being scanned.
  for (const [pi, parcel] of parcels.entries()) {
    const clerk = Object.values(u).find((p) => p.orgId === parcel.receiverOrgId && p.roles.includes('OUTLET_CLERK'))!;
    const manifest = await ctx.db.orm.select({ cardNo: cardAttempts.cardNo }).from(cardAttempts).where(eq(cardAttempts.shipmentId, parcel.id));
    const short = pi === parcels.length - 2;
    const open = pi === parcels.length - 1;
    for (const [ci, c] of manifest.entries()) {
      if ((short && ci === 0) || (open && ci >= manifest.length / 2)) continue;
      await scanCard(ctx, clerk, parcel.id, { cardNo: c.cardNo!, damaged: short && ci === 1 });
    }
    if (!open) await confirmReceipt(ctx, clerk, parcel.id);
  }
  const received = await ctx.db.orm.select().from(cardAttempts).where(and(eq(cardAttempts.programmeId, rp.id), eq(cardAttempts.status, 'RECEIVED')));
  for (const [i, c] of received.entries()) {
    if (i % 3 === 2) continue; // waiting for the holder to come
    const clerk = Object.values(u).find((p) => p.orgId === c.receiverOrgId && p.roles.includes('OUTLET_CLERK'))!;
    await issueCard(ctx, clerk, c.id, { identityChecked: true, collectedBy: i % 7 === 0 ? 'AGENT' : 'HOLDER', agentName: i % 7 === 0 ? '家属代领' : null });
    if (i === 0) await reportLoss(ctx, clerk, c.id, { kind: 'TEMP' });
  }

  log('social security cards: intake, review, bank matching');
  const sscApps: Submitted[] = [];
  for (let i = 0; i < 90; i++) sscApps.push(await submit(ctx, sscClerkFor(i), ssc, person(), photo(), { bankOrgId: city.branches[i % 2]!.id }));
  const prefab: Submitted[] = [];
  for (let i = 0; i < 6; i++) prefab.push(await submit(ctx, sscClerkFor(i), ssc, person(), photo(), { kind: 'PREFABRICATED', bankOrgId: city.branches[i % 2]!.id }));
  await approveApplications(ctx, u.ssc_reviewer!, [...sscApps.slice(10), ...prefab].map((a) => a.id));
  const bankOf = (i: number) => (i % 2 === 0 ? u.bank_wujin! : u.bank_xinbei!);
  for (const [i, a] of sscApps.slice(10).entries()) {
    if (i >= 75) continue; // waiting for the bank
    if (i >= 70) await bankMatchOne(ctx, bankOf(i), a.id, { decision: 'REJECTED', reason: '客户在我行存在未结清的挂失账户' });
    else await bankMatchOne(ctx, bankOf(i), a.id, { decision: 'MATCHED', bankAccount: demoBankAccount(r) });
  }
  for (const [i, a] of prefab.entries()) {
    await bankMatchOne(ctx, bankOf(i), a.id, { decision: 'MATCHED', bankAccount: demoBankAccount(r) });
    if (i < 4) {
      const counter = sscClerkFor(i);
      await issuePrefabricated(ctx, counter, a.id, { cardNo: `P2026${String(1000 + i).padStart(4, '0')}`, chipUid: `0488${String(1000 + i).padStart(10, '0')}` });
    }
  }

  log('social security cards: production, delivery, issuance');
  await createPackageKey(ctx, u.ssc_producer!, { kind: 'SM4' });
  const sscBatches = await createBatches(ctx, u.ssc_manager!, { programmeId: ssc.id, producerOrgId: city.sscProducer.id, maxCards: 60 });
  await produce(ctx, u.ssc_producer!, sscBatches[0]!, [], 8);
  for (const parcel of await shipAll(ctx, u.ssc_producer!, ssc.id)) {
    const teller = Object.values(u).find((p) => p.orgId === parcel.receiverOrgId)!;
    const manifest = await ctx.db.orm.select({ cardNo: cardAttempts.cardNo }).from(cardAttempts).where(eq(cardAttempts.shipmentId, parcel.id));
    for (const c of manifest) await scanCard(ctx, teller, parcel.id, { cardNo: c.cardNo! });
    await confirmReceipt(ctx, teller, parcel.id);
  }
  const sscReceived = await ctx.db.orm.select().from(cardAttempts).where(and(eq(cardAttempts.programmeId, ssc.id), eq(cardAttempts.status, 'RECEIVED')));
  for (const [i, c] of sscReceived.entries()) {
    if (i % 4 === 3) continue;
    const teller = Object.values(u).find((p) => p.orgId === c.receiverOrgId)!;
    await issueCard(ctx, teller, c.id, { identityChecked: true, collectedBy: 'HOLDER' });
    await activateCard(ctx, teller, c.id, 'SOCIAL');
    if (i % 2 === 0) await activateCard(ctx, teller, c.id, 'FINANCIAL');
  }

  log('outlet maintenance: contracts, outlets, equipment, fault tickets');
  await maintenance(ctx, city);

  log("settlement: contracts, this quarter's statement drafted from the cards above");
  await demoSettlement(ctx, u.police_manager!, { authority: city.police.id, producer: city.producer.id, smsProvider: city.smsProvider.id }, rp.id);

  await appendAudit(ctx, { actorType: 'CLI', actorName: 'cli', action: 'demo.seed', targetType: 'database', targetId: null, outcome: 'SUCCESS', details: { applications: n } });
  return {
    users: Object.entries(u).map(([username, p]) => ({ username, role: p.roles.join(','), org: p.orgName })),
    applications: n,
  };
}
