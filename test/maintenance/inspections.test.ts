import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDaysToDate, shanghaiDate } from '../../src/modules/calendar/zone.ts';
import { maintenanceTickets } from '../../src/modules/maintenance/schema.ts';
import { useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { pdfPages } from '../helpers/pdf.ts';
import { seedCoreSystem, seedMaintenance, type Maintenance } from './fixtures.ts';

const h = useHarness();
let m: Maintenance;
let coreSiteId: string;
let contractId: string;
let otherEngineer: Session;

/** Rounds are opened for real days, so the contract is written around today in Shanghai. */
const today = shanghaiDate(new Date());
const termStart = addDaysToDate(today, -20);

interface RoundBody {
  id: string;
  day: string;
  status: string;
  items: { code: string; category: string; zh: string }[];
  answers: { code: string; result: string; note: string | null; ticketId: string | null; ticketNo: string | null }[];
  itemCount: number;
  answeredCount: number;
  problems: number;
  signedByName: string | null;
  mayFill: boolean;
}

const open = (session: Session, body: Record<string, unknown>) => h().request('POST', '/api/v1/maintenance/inspections/rounds', { session, body });
const save = (id: string, answers: unknown[], session = m.sessions.engineer) => h().request('PUT', `/api/v1/maintenance/inspections/rounds/${id}/answers`, { session, body: { answers } });
const sign = (id: string, session = m.sessions.engineer) => h().request('POST', `/api/v1/maintenance/inspections/rounds/${id}/sign`, { session });
const allOk = (r: RoundBody) => r.items.map((i) => ({ code: i.code, result: 'OK' }));

beforeAll(async () => {
  m = await seedMaintenance(h());
  ({ contractId, coreSiteId, otherEngineer } = await seedCoreSystem(h(), m, '居住证信息系统核心设备运维', termStart, today));
});

describe('a daily round of the core system', () => {
  let round: RoundBody;

  it('uses seed 002’s list until the contract sets its own', async () => {
    const res = await h().request('GET', `/api/v1/maintenance/inspections/template?contractId=${contractId}`, { session: m.sessions.engineer });
    expect(res.statusCode, res.body).toBe(200);
    const t = res.json() as { id: string | null; items: { code: string }[] };
    expect(t.id).toBeNull();
    expect(t.items.map((i) => i.code)).toEqual(expect.arrayContaining(['ROOM_ENVIRONMENT', 'SERVERS', 'STORAGE', 'DATABASE', 'APPLICATION', 'BACKUP']));
  });

  it('the engineer opens today’s round; asking again answers the same round', async () => {
    const res = await open(m.sessions.engineer, { siteOrgId: coreSiteId });
    expect(res.statusCode, res.body).toBe(201);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('maintenance.inspection.open');
    round = res.json() as RoundBody;
    expect(round).toMatchObject({ day: today, status: 'OPEN', itemCount: 15, answeredCount: 0, mayFill: true });
    const again = await open(m.sessions.engineer, { siteOrgId: coreSiteId, day: today });
    expect(again.statusCode).toBe(200);
    expect((again.json() as RoundBody).id).toBe(round.id);
  });

  it('refuses a future day, an outlet, the client and another maintainer', async () => {
    expectError(await open(m.sessions.engineer, { siteOrgId: coreSiteId, day: addDaysToDate(today, 1) }), 409, 'INSPECTION_DAY_INVALID');
    expectError(await open(m.sessions.engineer, { siteOrgId: coreSiteId, day: addDaysToDate(termStart, -1) }), 409, 'INSPECTION_DAY_INVALID');
    expectError(await open(m.sessions.engineer, { siteOrgId: m.city.outletA.id }), 409, 'INSPECTION_SITE_NOT_CORE');
    expectError(await open(m.sessions.manager, { siteOrgId: coreSiteId }), 403, 'FORBIDDEN');
    expectError(await open(otherEngineer, { siteOrgId: coreSiteId }), 404, 'OUT_OF_SCOPE');
    expectError(await save(round.id, [], otherEngineer), 404, 'NOT_FOUND');
  });

  it('a finding becomes a fault ticket of the site, once', async () => {
    const answers = [
      { code: 'ROOM_ENVIRONMENT', result: 'OK' },
      { code: 'SERVERS', result: 'PROBLEM', note: '2 号数据库服务器电源模块告警', raiseTicket: true },
    ];
    const res = await save(round.id, answers);
    expect(res.statusCode, res.body).toBe(200);
    const saved = res.json() as RoundBody;
    const finding = saved.answers.find((a) => a.code === 'SERVERS')!;
    expect(finding.ticketNo).toMatch(/^WX\d{10}$/);
    const ticket = await h().request('GET', `/api/v1/maintenance/tickets/${finding.ticketId}`, { session: m.sessions.engineer });
    expect(ticket.json()).toMatchObject({ siteOrgId: coreSiteId, category: '日常巡检：服务器', status: 'NEW', sla: { clock: 'ROUND_THE_CLOCK' } });
    expect((ticket.json() as { description: string }).description).toContain('电源模块告警');
    const again = await save(round.id, answers);
    expect((again.json() as RoundBody).answers.find((a) => a.code === 'SERVERS')!.ticketId).toBe(finding.ticketId);
    expect(await h().ctx.db.orm.select().from(maintenanceTickets).where(eq(maintenanceTickets.siteOrgId, coreSiteId))).toHaveLength(1);
  });

  it('refuses an item answered twice and a problem without a note', async () => {
    expectError(await save(round.id, [{ code: 'BACKUP', result: 'OK' }, { code: 'BACKUP', result: 'NA' }]), 400, 'INSPECTION_ANSWER_INVALID');
    expectError(await save(round.id, [{ code: 'BACKUP', result: 'PROBLEM' }]), 400, 'INSPECTION_ANSWER_INVALID');
  });

  it('cannot be signed with items unanswered, naming them', async () => {
    const err = expectError(await sign(round.id), 409, 'INSPECTION_ITEMS_UNANSWERED');
    expect((err.details as { items: string[] }).items).toHaveLength(13);
    expect((err.details as { items: string[] }).items).toContain('BACKUP');
  });

  it('is signed by the engineer once everything is answered, and then changes no more', async () => {
    const current = (await h().request('GET', `/api/v1/maintenance/inspections/rounds/${round.id}`, { session: m.sessions.engineer })).json() as RoundBody;
    const answers = allOk(current).map((a) =>
      a.code === 'SERVERS' ? { code: a.code, result: 'PROBLEM', note: '2 号数据库服务器电源模块告警' } : a.code === 'SMS_SERVICE' ? { code: a.code, result: 'NA' } : a,
    );
    expect((await save(round.id, answers)).statusCode).toBe(200);
    const signed = await sign(round.id);
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'SIGNED', signedByName: 'MAINTAINER_ENGINEER', problems: 1, mayFill: false });
    expect((signed.json() as RoundBody).answers.find((a) => a.code === 'SERVERS')!.ticketNo).not.toBeNull();

    const same = await save(round.id, answers);
    expect(same.statusCode, same.body).toBe(200);
    const changed = answers.map((a) => (a.code === 'BACKUP' ? { code: 'BACKUP', result: 'PROBLEM', note: '备份失败' } : a));
    expectError(await save(round.id, changed), 409, 'INSPECTION_SIGNED');
    expectError(await sign(round.id), 409, 'INSPECTION_SIGNED');
    const after = (await h().request('GET', `/api/v1/maintenance/inspections/rounds/${round.id}`, { session: m.sessions.manager })).json() as RoundBody;
    expect(after.answers.find((a) => a.code === 'BACKUP')!.result).toBe('OK');
  });

  it('prints the inspection record (巡检记录) with items, results, the ticket and who signed', async () => {
    const res = await h().request('GET', `/api/v1/maintenance/inspections/rounds/${round.id}/record.pdf`, { session: m.sessions.manager });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = (await pdfPages(res.rawPayload)).join('\n');
    expect(text).toContain('核心系统日常巡检记录');
    expect(text).toContain('居住证信息系统中心机房');
    expect(text).toContain(today);
    expect(text).toContain('数据库运行状态');
    expect(text).toContain('2 号数据库服务器电源模块告警');
    expect(text).toContain('发现问题');
    expect(text).toContain('不适用');
    expect(text).toMatch(/WX\d{10}/);
    expect(text).toContain('MAINTAINER_ENGINEER');
    const en = await h().request('GET', `/api/v1/maintenance/inspections/rounds/${round.id}/record.pdf`, { session: m.sessions.manager, headers: { 'accept-language': 'en-US' } });
    expect((await pdfPages(en.rawPayload)).join('\n')).toContain('Core system daily inspection record');
  });
});

describe('days without a round', () => {
  it('lists every day of the term up to today: signed, begun, or missing', async () => {
    const begun = await open(m.sessions.engineer, { siteOrgId: coreSiteId, day: addDaysToDate(today, -2) });
    expect(begun.statusCode, begun.body).toBe(201);
    const res = await h().request('GET', `/api/v1/maintenance/inspections/days?from=${addDaysToDate(termStart, -5)}&to=${addDaysToDate(today, 3)}`, { session: m.sessions.manager });
    expect(res.statusCode, res.body).toBe(200);
    const site = (res.json() as { sites: { siteOrgId: string; missing: number; days: { day: string; state: string; roundId: string | null }[] }[] }).sites.find((s) => s.siteOrgId === coreSiteId)!;
    expect(site.days).toHaveLength(21);
    expect(site.days[0]!.day).toBe(termStart);
    expect(site.days.at(-1)).toMatchObject({ day: today, state: 'SIGNED' });
    expect(site.days.find((d) => d.day === addDaysToDate(today, -2))).toMatchObject({ state: 'OPEN', roundId: (begun.json() as RoundBody).id });
    expect(site.days.find((d) => d.day === addDaysToDate(today, -1))).toMatchObject({ state: 'MISSING', roundId: null });
    expect(site.missing).toBe(19);
    expectError(await h().request('GET', `/api/v1/maintenance/inspections/days?from=${today}&to=${addDaysToDate(today, -1)}`, { session: m.sessions.manager }), 400, 'INSPECTION_RANGE_INVALID');
    const outlet = await h().request('GET', '/api/v1/maintenance/inspections/days', { session: m.sessions.clerkA });
    expect(outlet.json()).toMatchObject({ sites: [] });
  });
});

describe('the contract’s own list', () => {
  it('is a new version for new rounds; a round already opened keeps its list', async () => {
    const items = [
      { code: 'UPS', category: '机房', zh: 'UPS 电池与负载', en: 'UPS battery and load' },
      { code: 'DB_BACKUP', category: '备份', zh: '数据库全量备份完成', en: 'Full database backup done' },
    ];
    expectError(
      await h().request('POST', '/api/v1/maintenance/inspections/template', { session: m.sessions.manager, body: { contractId, name: '精简巡检表', items: [items[0], items[0]] } }),
      400,
      'INSPECTION_TEMPLATE_INVALID',
    );
    expectError(await h().request('POST', '/api/v1/maintenance/inspections/template', { session: m.sessions.clerkA, body: { contractId, name: '精简巡检表', items } }), 404, 'NOT_FOUND');
    const res = await h().request('POST', '/api/v1/maintenance/inspections/template', { session: m.sessions.manager, body: { contractId, name: '精简巡检表', items } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ version: 1, name: '精简巡检表' });
    const fresh = await open(m.sessions.engineer, { siteOrgId: coreSiteId, day: addDaysToDate(today, -1) });
    expect((fresh.json() as RoundBody).items.map((i) => i.code)).toEqual(['UPS', 'DB_BACKUP']);
    const older = await open(m.sessions.engineer, { siteOrgId: coreSiteId, day: addDaysToDate(today, -2) });
    expect((older.json() as RoundBody).itemCount).toBe(15);
  });
});
