import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDaysToDate, shanghaiDate, shanghaiInstant } from '../../src/modules/calendar/zone.ts';
import { maintenanceBreaches } from '../../src/modules/maintenance/schema.ts';
import { monthDays } from '../../src/modules/maintenance/visits-rules.ts';
import { maintenanceVisits } from '../../src/modules/maintenance/visits-schema.ts';
import { sweepMissedVisits } from '../../src/modules/maintenance/visits-service.ts';
import { createOrg, createUser, ensureRootOrg, findUserByUsername } from '../../src/modules/orgs/service.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { USER_PASSWORD, useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { pdfPages } from '../helpers/pdf.ts';
import { seedMaintenance, type Maintenance } from './fixtures.ts';
import { dataUrl, signaturePng } from './visits-png.ts';

const h = useHarness();
let m: Maintenance;
let contractId: string;
let engineer2: Session;
let otherEngineer: Session;
let outletClerk: Session;
let otherContractId: string;
let outletCId: string;
const outlets: { id: string; name: string }[] = [];

/**
 * Signing happens at the real time, so the month under test is the current one in Shanghai and the
 * contract is written around it; the month-end sweep is then run with an explicit "now".
 */
const month = shanghaiDate(new Date()).slice(0, 7);
const nextMonthStart = shanghaiInstant(monthDays(month).next, 0);

interface VisitBody {
  id: string;
  siteOrgId: string;
  siteName: string;
  status: string;
  engineerId: string | null;
  engineerName: string | null;
  itemCount: number;
  answeredCount: number;
  signerNameMasked: string | null;
  items: { code: string; zh: string; en: string }[];
  answers: { code: string; result: string; note: string | null }[];
  mayFill: boolean;
  missed: boolean;
}

const visitsOf = async (session: Session, query = `month=${month}&contractId=${contractId}&limit=100`) => {
  const res = await h().request('GET', `/api/v1/maintenance/visits?${query}`, { session });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: VisitBody[]; total: number };
};
const detail = async (session: Session, id: string) => (await h().request('GET', `/api/v1/maintenance/visits/${id}`, { session })).json() as VisitBody;
const allOk = (v: VisitBody) => v.items.map((i) => ({ code: i.code, result: 'OK' }));
const save = (session: Session, id: string, answers: unknown[]) => h().request('PUT', `/api/v1/maintenance/visits/${id}/answers`, { session, body: { answers } });
const sign = (session: Session, id: string, signaturePngUrl: string, signerName = '张三丰') =>
  h().request('POST', `/api/v1/maintenance/visits/${id}/sign`, { session, body: { signerName, signaturePng: signaturePngUrl } });

beforeAll(async () => {
  m = await seedMaintenance(h());
  const ctx = h().ctx;
  const root = await ensureRootOrg(ctx);
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'seed', roles: ['ADMIN'] }, root, 'CLI');
  await createUser(ctx, cli, { username: 'engineer_2', displayName: '李工', orgId: m.city.maintainer.id, roles: ['MAINTAINER_ENGINEER'], password: USER_PASSWORD });
  const otherMaintainer = await createOrg(ctx, cli, { name: '另一家运维公司', kind: 'MAINTAINER', parentId: m.city.city.id });
  await createUser(ctx, cli, { username: 'other_engineer', displayName: '王工', orgId: otherMaintainer.id, roles: ['MAINTAINER_ENGINEER'], password: USER_PASSWORD });
  engineer2 = await h().login('engineer_2');
  otherEngineer = await h().login('other_engineer');

  const { first } = monthDays(month);
  const res = await h().request('POST', '/api/v1/maintenance/contracts', {
    session: m.sessions.manager,
    body: {
      name: '网点月度巡检合同',
      authorityOrgId: m.city.city.id,
      maintainerOrgId: m.city.maintainer.id,
      termStart: first,
      termEnd: addDaysToDate(first, 400),
      zoneTableId: m.zoneTable.id,
      clock: 'WORKING',
      responseTarget: 'ACKNOWLEDGED',
      responseMinutes: { URBAN: 120, SUBURBAN: 180 },
      fixMinutes: null,
      breachTerminationCount: 5,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  contractId = (res.json() as { id: string }).id;
  const services = [['SOCIAL_SECURITY_CARD'], ['RESIDENCE_PERMIT'], ['SOCIAL_SECURITY_CARD', 'RESIDENCE_PERMIT']];
  for (let i = 1; i <= 30; i++) {
    const name = `巡检${String(i).padStart(2, '0')}号受理点`;
    const org = await createOrg(ctx, cli, { name, kind: 'OUTLET', parentId: m.city.district.id, regionCode: '320412' });
    const site = await h().request('PUT', `/api/v1/maintenance/sites/${org.id}`, {
      session: m.sessions.manager,
      body: { contractId, services: services[i % 3], openingHours: '09:00-17:00', zoneOverride: 'URBAN' },
    });
    expect(site.statusCode, site.body).toBe(200);
    outlets.push({ id: org.id, name });
  }
  await createUser(ctx, cli, { username: 'visit_clerk', displayName: '一号点受理员', orgId: outlets[0]!.id, roles: ['OUTLET_CLERK'], password: USER_PASSWORD });
  outletClerk = await h().login('visit_clerk');
  // The other maintainer's contract serves one outlet of its own.
  const otherContract = await h().request('POST', '/api/v1/maintenance/contracts', {
    session: m.sessions.manager,
    body: { name: '另一份合同', authorityOrgId: m.city.city.id, maintainerOrgId: otherMaintainer.id, termStart: first, termEnd: addDaysToDate(first, 400), zoneTableId: m.zoneTable.id, clock: 'WORKING', responseTarget: 'ACKNOWLEDGED', responseMinutes: { URBAN: 120, SUBURBAN: 180 }, fixMinutes: null, breachTerminationCount: null },
  });
  expect(otherContract.statusCode, otherContract.body).toBe(201);
  otherContractId = (otherContract.json() as { id: string }).id;
  const outletC = await createOrg(ctx, cli, { name: '外包网点', kind: 'OUTLET', parentId: m.city.district.id, regionCode: '320412' });
  outletCId = outletC.id;
  await h().request('PUT', `/api/v1/maintenance/sites/${outletC.id}`, {
    session: m.sessions.manager,
    body: { contractId: otherContractId, services: ['RESIDENCE_PERMIT'], openingHours: '09:00-17:00', zoneOverride: 'URBAN' },
  });
});

describe('a month of preventive visits for 30 outlets', () => {
  it('the maintainer plans the month: one visit per outlet, the two engineers taking turns', async () => {
    const res = await h().request('POST', '/api/v1/maintenance/visits/plan', { session: m.sessions.engineer, body: { contractId, month } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 30, total: 30 });
    expect((await auditEntryFor(h().ctx, res)).action).toBe('maintenance.visit.plan');
    const { items, total } = await visitsOf(m.sessions.engineer);
    expect(total).toBe(30);
    expect(new Set(items.map((v) => v.siteOrgId))).toEqual(new Set(outlets.map((o) => o.id)));
    const perEngineer = new Map<string, number>();
    for (const v of items) perEngineer.set(v.engineerName ?? '', (perEngineer.get(v.engineerName ?? '') ?? 0) + 1);
    expect([...perEngineer.entries()].sort()).toEqual([
      ['MAINTAINER_ENGINEER', 15],
      ['李工', 15],
    ]);
    expect(items.every((v) => v.status === 'PLANNED' && [13, 14].includes(v.itemCount))).toBe(true);
  });

  it('planning again adds nothing; an engineer of another maintainer cannot be assigned', async () => {
    const again = await h().request('POST', '/api/v1/maintenance/visits/plan', { session: m.sessions.manager, body: { contractId, month } });
    expect(again.json()).toEqual({ created: 0, total: 30 });
    expect(await h().ctx.db.orm.select().from(maintenanceVisits).where(eq(maintenanceVisits.contractId, contractId))).toHaveLength(30);
    const badEngineer = (await findUserByUsername(h().ctx, 'other_engineer'))!.id;
    const nextMonth = monthDays(month).next.slice(0, 7);
    expectError(
      await h().request('POST', '/api/v1/maintenance/visits/plan', { session: m.sessions.manager, body: { contractId, month: nextMonth, assignments: [{ siteOrgId: outlets[0]!.id, engineerId: badEngineer }] } }),
      400,
      'VISIT_ENGINEER_INVALID',
    );
    expectError(await h().request('POST', '/api/v1/maintenance/visits/plan', { session: m.sessions.manager, body: { contractId, month: '2026-13' } }), 400, 'VISIT_MONTH_INVALID');
    expectError(await h().request('POST', '/api/v1/maintenance/visits/plan', { session: m.sessions.manager, body: { contractId, month: '2019-01' } }), 409, 'VISIT_MONTH_OUTSIDE_TERM');
    expectError(await h().request('POST', '/api/v1/maintenance/visits/plan', { session: m.sessions.clerkA, body: { contractId, month } }), 404, 'NOT_FOUND');
  });

  it('lists by engineer and status', async () => {
    const li = (await findUserByUsername(h().ctx, 'engineer_2'))!.id;
    const mine = await visitsOf(engineer2, `month=${month}&engineerId=${li}&limit=100`);
    expect(mine.total).toBe(15);
    expect(mine.items.every((v) => v.engineerName === '李工')).toBe(true);
    expect((await visitsOf(m.sessions.engineer, `month=${month}&status=SIGNED`)).total).toBe(0);
  });
});

describe('filling in and signing the form', () => {
  let visit: VisitBody;

  beforeAll(async () => {
    const { items } = await visitsOf(m.sessions.engineer);
    visit = await detail(m.sessions.engineer, items.find((v) => v.siteName === outlets[1]!.name)!.id); // the second outlet offers both services
  });

  it('shows the union checklist of an outlet offering both services', () => {
    expect(visit.items).toHaveLength(14);
    expect(visit.mayFill).toBe(true);
    expect(visit.items.map((i) => i.zh)).toContain('对可擦写设备进行维护');
  });

  it('a problem needs a note; an unknown item is refused', async () => {
    expectError(await save(m.sessions.engineer, visit.id, [{ code: 'BACKUP', result: 'PROBLEM' }]), 400, 'VISIT_ANSWER_INVALID');
    expectError(await save(m.sessions.engineer, visit.id, [{ code: 'NO_SUCH_ITEM', result: 'OK' }]), 400, 'VISIT_ANSWER_INVALID');
  });

  it('refuses a signature while items are unanswered, naming them', async () => {
    const partial = await save(m.sessions.engineer, visit.id, [{ code: 'HW_SW_CHECK', result: 'OK' }]);
    expect(partial.statusCode, partial.body).toBe(200);
    expect(partial.json()).toMatchObject({ status: 'IN_PROGRESS', answeredCount: 1 });
    const err = expectError(await sign(m.sessions.engineer, visit.id, dataUrl(signaturePng())), 409, 'VISIT_ITEMS_UNANSWERED');
    expect(err.details).toMatchObject({ items: expect.arrayContaining(['BACKUP', 'SIGN_OFF']) });
    expect((err.details as { items: string[] }).items).toHaveLength(13);
  });

  it('refuses an empty signature and an image that is not a PNG', async () => {
    const answers = allOk(visit).map((a) => (a.code === 'CARD_PRINTER' ? { code: a.code, result: 'PROBLEM', note: '制卡机色带即将用完，已更换' } : a.code === 'REWRITABLE_DEVICE' ? { code: a.code, result: 'NA' } : a));
    expect((await save(m.sessions.engineer, visit.id, answers)).statusCode).toBe(200);
    expectError(await sign(m.sessions.engineer, visit.id, dataUrl(signaturePng({ strokePixels: 0 }))), 400, 'VISIT_SIGNATURE_EMPTY');
    expectError(await sign(m.sessions.engineer, visit.id, dataUrl(signaturePng({ strokePixels: 0, white: true }))), 400, 'VISIT_SIGNATURE_EMPTY');
    expectError(await sign(m.sessions.engineer, visit.id, 'data:image/png;base64,aGVsbG8gd29ybGQ='), 400, 'VISIT_SIGNATURE_INVALID');
    expect((await detail(m.sessions.engineer, visit.id)).status).toBe('IN_PROGRESS');
  });

  it('signs with the staff member name and drawing; both are stored encrypted and the name shows masked', async () => {
    const png = signaturePng();
    const res = await sign(m.sessions.engineer, visit.id, dataUrl(png));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'SIGNED', signerNameMasked: '张**', answeredCount: 14, mayFill: false });
    expect(res.body).not.toContain('张三丰');
    expect((await auditEntryFor(h().ctx, res)).action).toBe('maintenance.visit.sign');
    const [row] = await h().ctx.db.orm.select().from(maintenanceVisits).where(eq(maintenanceVisits.id, visit.id));
    expect(row!.signerNameEnc).not.toContain('张三丰');
    expect(row!.signatureEnc!.includes(png.subarray(0, 64))).toBe(false);
    expectError(await save(m.sessions.engineer, visit.id, allOk(visit)), 409, 'VISIT_STATE_INVALID');
    expectError(await sign(m.sessions.engineer, visit.id, dataUrl(png)), 409, 'VISIT_STATE_INVALID');
  });

  it('prints 《受理网点维护单》 with the outlet, every item, the answers, the signer and the signature image', async () => {
    const res = await h().request('GET', `/api/v1/maintenance/visits/${visit.id}/form.pdf`, { session: m.sessions.manager });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    const text = (await pdfPages(pdf)).join('\n');
    expect(text).toContain('受理网点维护单');
    expect(text).toContain(outlets[1]!.name);
    expect(text).toContain('对制卡机进行维护');
    expect(text).toContain('核实网点资产');
    expect(text).toContain('发现问题');
    expect(text).toContain('制卡机色带即将用完，已更换');
    expect(text).toContain('不适用');
    expect(text).toContain('共 14 项：正常 12 项，发现问题 1 项，不适用 1 项');
    expect(text).toContain('张三丰');
    expect(text).toContain('第 1 页 / 共 1 页');
    expect(pdf.toString('latin1')).toMatch(/\/Subtype \/Image/);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('maintenance.visit.form');
    const en = await h().request('GET', `/api/v1/maintenance/visits/${visit.id}/form.pdf`, { session: m.sessions.manager, headers: { 'accept-language': 'en-US' } });
    const enText = (await pdfPages(en.rawPayload)).join('\n');
    expect(enText).toContain('Outlet maintenance form');
    expect(enText).toContain('Card printer maintained');
    expect(enText).toContain('problem found');
  });
});

describe('who may see and sign', () => {
  let visitId: string;
  beforeAll(async () => {
    visitId = (await visitsOf(m.sessions.engineer, `month=${month}&contractId=${contractId}&status=PLANNED&limit=1`)).items[0]!.id;
  });

  it('an engineer of another maintainer sees none of it and cannot sign', async () => {
    expect((await visitsOf(otherEngineer)).total).toBe(0);
    expectError(await h().request('GET', `/api/v1/maintenance/visits/${visitId}`, { session: otherEngineer }), 404, 'NOT_FOUND');
    expectError(await save(otherEngineer, visitId, [{ code: 'BACKUP', result: 'OK' }]), 404, 'NOT_FOUND');
    expectError(await sign(otherEngineer, visitId, dataUrl(signaturePng())), 404, 'NOT_FOUND');
    expectError(await h().request('GET', `/api/v1/maintenance/visits/${visitId}/form.pdf`, { session: otherEngineer }), 404, 'NOT_FOUND');
    expectError(await h().request('POST', '/api/v1/maintenance/visits/plan', { session: otherEngineer, body: { contractId, month } }), 404, 'NOT_FOUND');
  });

  it('an outlet sees the visit to it, reads and prints its form, but does not fill it in', async () => {
    const own = await visitsOf(outletClerk, `month=${month}`);
    expect(own.items.map((v) => v.siteOrgId)).toEqual([outlets[0]!.id]);
    const seen = await detail(outletClerk, own.items[0]!.id);
    expect(seen).toMatchObject({ siteName: outlets[0]!.name, mayFill: false });
    const pdf = await h().request('GET', `/api/v1/maintenance/visits/${seen.id}/form.pdf`, { session: outletClerk });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expectError(await save(outletClerk, seen.id, [{ code: 'BACKUP', result: 'OK' }]), 403, 'FORBIDDEN');
    const elsewhere = (await visitsOf(m.sessions.engineer)).items.find((v) => v.siteOrgId !== outlets[0]!.id)!;
    expectError(await h().request('GET', `/api/v1/maintenance/visits/${elsewhere.id}`, { session: outletClerk }), 404, 'NOT_FOUND');
  });

  it('the authority reads but does not fill in; an outlet clerk may not fill in', async () => {
    const seen = await detail(m.sessions.manager, visitId);
    expect(seen.mayFill).toBe(false);
    expectError(await save(m.sessions.manager, visitId, [{ code: 'BACKUP', result: 'OK' }]), 403, 'FORBIDDEN');
    expectError(await save(m.sessions.clerkA, visitId, [{ code: 'BACKUP', result: 'OK' }]), 403, 'FORBIDDEN');
    expectError(await save(m.sessions.admin, visitId, [{ code: 'BACKUP', result: 'OK' }]), 403, 'VISIT_NOT_ASSIGNED');
  });
});

describe('photo visits at home (上门拍照)', () => {
  it('an engineer records one for an outlet; it has its own short checklist and is not a monthly visit', async () => {
    const res = await h().request('POST', '/api/v1/maintenance/visits', { session: engineer2, body: { siteOrgId: outlets[4]!.id, month } });
    expect(res.statusCode, res.body).toBe(201);
    const visit = res.json() as VisitBody & { kind: string };
    expect(visit).toMatchObject({ kind: 'PHOTO_AT_HOME', status: 'PLANNED', engineerName: '李工', itemCount: 4 });
    expect((await save(engineer2, visit.id, visit.items.map((i) => ({ code: i.code, result: 'OK' })))).statusCode).toBe(200);
    expect((await sign(engineer2, visit.id, dataUrl(signaturePng()), '陈家属')).statusCode).toBe(200);
    const pdf = await h().request('GET', `/api/v1/maintenance/visits/${visit.id}/form.pdf`, { session: engineer2 });
    expect((await pdfPages(pdf.rawPayload)).join('\n')).toContain('上门拍照服务单');
    expect((await visitsOf(m.sessions.manager, `month=${month}&contractId=${contractId}&kind=PHOTO_AT_HOME`)).total).toBe(1);
    expectError(await h().request('POST', '/api/v1/maintenance/visits', { session: otherEngineer, body: { siteOrgId: outlets[4]!.id, month } }), 404, 'OUT_OF_SCOPE');
  });
});

describe('the month is reported and missed visits become breaches', () => {
  type Summary = { month: string; contracts: { contractId: string; outlets: number; planned: number; signed: number; missing: number }[] };
  const summary = async () => ((await h().request('GET', `/api/v1/maintenance/visits/summary?month=${month}`, { session: m.sessions.manager })).json() as Summary).contracts.find((c) => c.contractId === contractId)!;

  it('after 28 of 30 outlets sign, the summary shows 28/30 and 2 missing', async () => {
    const { items } = await visitsOf(engineer2, `month=${month}&contractId=${contractId}&kind=PREVENTIVE&limit=100`);
    const open = items.filter((v) => v.status !== 'SIGNED');
    expect(open).toHaveLength(29);
    for (const v of open.slice(0, 27)) {
      const d = await detail(engineer2, v.id);
      expect((await save(engineer2, v.id, allOk(d))).statusCode).toBe(200);
      const res = await sign(engineer2, v.id, dataUrl(signaturePng({ strokePixels: 300 })), '网点值班员');
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await summary()).toMatchObject({ outlets: 30, planned: 30, signed: 28, missing: 2 });
  });

  it('no breach before the month is over; at month end the 2 unsigned visits are breaches, once', async () => {
    const missedOfContract = () => h().ctx.db.orm.select().from(maintenanceBreaches).where(and(eq(maintenanceBreaches.contractId, contractId), eq(maintenanceBreaches.kind, 'MISSED_VISIT')));
    await sweepMissedVisits(h().ctx, new Date(nextMonthStart.getTime() - 60_000));
    expect(await missedOfContract()).toHaveLength(0);
    const after = new Date(nextMonthStart.getTime() + 60_000);
    const recorded = await sweepMissedVisits(h().ctx, after);
    const mine = await missedOfContract();
    expect(mine).toHaveLength(2);
    expect(recorded).toBeGreaterThanOrEqual(2);
    expect(mine.every((b) => b.occurredAt.getTime() === nextMonthStart.getTime())).toBe(true);
    const unsigned = (await visitsOf(m.sessions.manager, `month=${month}&contractId=${contractId}&kind=PREVENTIVE&limit=100`)).items.filter((v) => v.status !== 'SIGNED');
    expect(new Set(mine.map((b) => (b.evidence as { visitId: string }).visitId))).toEqual(new Set(unsigned.map((v) => v.id)));
    expect(unsigned.every((v) => v.missed)).toBe(true);
    expect(await sweepMissedVisits(h().ctx, new Date(after.getTime() + 3_600_000))).toBe(0);
    const register = (await h().request('GET', `/api/v1/maintenance/breaches?contractId=${contractId}`, { session: m.sessions.manager })).json() as { contracts: { breaches: number }[]; items: { kind: string }[] };
    expect(register.contracts[0]!.breaches).toBe(2);
    expect(register.items.map((i) => i.kind)).toEqual(['MISSED_VISIT', 'MISSED_VISIT']);
  });

  it('an outlet nobody planned a visit for is a breach too', async () => {
    const otherBreaches = await h().ctx.db.orm.select().from(maintenanceBreaches).where(eq(maintenanceBreaches.contractId, otherContractId));
    expect(otherBreaches.map((b) => [b.kind, (b.evidence as { siteOrgId: string; month: string }).siteOrgId, (b.evidence as { month: string }).month])).toEqual([['MISSED_VISIT', outletCId, month]]);
    const [visit] = await h().ctx.db.orm.select().from(maintenanceVisits).where(eq(maintenanceVisits.siteOrgId, outletCId));
    expect(visit).toMatchObject({ status: 'PLANNED', engineerId: null, missedBreachId: otherBreaches[0]!.id });
  });

  it('an outlet registered after the month ended was not due that month', async () => {
    const root = await ensureRootOrg(h().ctx);
    const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'seed', roles: ['ADMIN'] }, root, 'CLI');
    const late = await createOrg(h().ctx, cli, { name: '新开网点', kind: 'OUTLET', parentId: m.city.district.id, regionCode: '320412' });
    const site = await h().request('PUT', `/api/v1/maintenance/sites/${late.id}`, { session: m.sessions.manager, body: { contractId: otherContractId, services: ['RESIDENCE_PERMIT'], openingHours: '09:00-17:00', zoneOverride: 'URBAN' } });
    expect(site.statusCode, site.body).toBe(200);
    await sweepMissedVisits(h().ctx, new Date(nextMonthStart.getTime() + 7 * 86_400_000));
    expect(await h().ctx.db.orm.select().from(maintenanceBreaches).where(eq(maintenanceBreaches.contractId, otherContractId))).toHaveLength(1);
    expect(await h().ctx.db.orm.select().from(maintenanceVisits).where(eq(maintenanceVisits.siteOrgId, late.id))).toHaveLength(0);
  });
});
