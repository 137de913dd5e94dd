import { and, eq, like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDaysToDate, shanghaiDate, shanghaiInstant } from '../../src/modules/calendar/zone.ts';
import { maintenanceCounts } from '../../src/modules/maintenance/monitoring.ts';
import { contractRoster } from '../../src/modules/maintenance/staff-service.ts';
import { maintenanceBreaches } from '../../src/modules/maintenance/schema.ts';
import { maintenanceEngineers } from '../../src/modules/maintenance/staff-schema.ts';
import { sweepTerminationAlerts } from '../../src/modules/maintenance/termination.ts';
import { smsMessages } from '../../src/modules/notify/schema.ts';
import { createUser } from '../../src/modules/orgs/service.ts';
import { USER_PASSWORD, useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { seedCoreSystem, seedMaintenance, seedPrincipal, type Maintenance } from './fixtures.ts';

const DUTY_PHONE = '13900001111';
const h = useHarness({ smsDutyPhone: DUTY_PHONE });
let m: Maintenance;
let contractId: string;
let coreSiteId: string;
let engineerTwo: Session;
let otherEngineer: Session;

/** Shifts are checked in to at the server's clock, so this contract runs around today. */
const now = new Date();
const today = shanghaiDate(now);

interface StaffBody {
  check: { engineers: { required: number; actual: number }; certified: { kind: string; required: number; actual: number }[]; met: boolean } | null;
  engineers: { id: string; userId: string | null; nameMasked: string; phoneMasked: string | null; active: boolean; certificates: { kind: string; valid: boolean }[] }[];
}
interface ShiftBody {
  id: string;
  state: string;
  late: boolean;
  mine: boolean;
  checkInAt: string | null;
}
interface RosterBody {
  posts: { id: string; pattern: string; slots: { startsAt: string; endsAt: string }[]; uncoveredMinutes: number }[];
  shifts: ShiftBody[];
}

const staff = async (session = m.sessions.engineer) => {
  const res = await h().request('GET', `/api/v1/maintenance/staff?contractId=${contractId}`, { session });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as StaffBody;
};
const addEngineer = async (body: Record<string, unknown>) => {
  const res = await h().request('POST', '/api/v1/maintenance/engineers', { session: m.sessions.engineer, body: { contractId, ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as StaffBody).engineers.at(-1)!;
};
const certify = (engineerId: string, body: Record<string, unknown>) => h().request('POST', `/api/v1/maintenance/engineers/${engineerId}/certificates`, { session: m.sessions.engineer, body });

beforeAll(async () => {
  m = await seedMaintenance(h());
  await createUser(h().ctx, await seedPrincipal(h()), { username: 'engineer_two', displayName: '李工', orgId: m.city.maintainer.id, roles: ['MAINTAINER_ENGINEER'], password: USER_PASSWORD });
  engineerTwo = await h().login('engineer_two');
  ({ contractId, coreSiteId, otherEngineer } = await seedCoreSystem(h(), m, '居住证信息系统运维（驻场）', addDaysToDate(today, -30), today));
});

describe('engineers, certificates and the minimum staffing', () => {
  let ids: string[] = [];

  it('the client sets the minimum; the maintainer cannot', async () => {
    expectError(await h().request('PUT', `/api/v1/maintenance/contracts/${contractId}/staffing`, { session: m.sessions.engineer, body: { minEngineers: 3, certified: [] } }), 403, 'FORBIDDEN');
    expectError(
      await h().request('PUT', `/api/v1/maintenance/contracts/${contractId}/staffing`, { session: m.sessions.manager, body: { minEngineers: 1, certified: [{ kind: 'KYLIN_OS', count: 2 }] } }),
      400,
      'STAFF_REQUIREMENT_INVALID',
    );
    const res = await h().request('PUT', `/api/v1/maintenance/contracts/${contractId}/staffing`, { session: m.sessions.manager, body: { minEngineers: 3, certified: [{ kind: 'KYLIN_OS', count: 2 }] } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('maintenance.staffing.set');
    expect((res.json() as StaffBody).check).toMatchObject({ engineers: { required: 3, actual: 0 }, met: false });
  });

  it('the maintainer adds engineers; names and phones are stored encrypted and shown masked', async () => {
    const a = await addEngineer({ name: '张建国', phone: '13812345678', username: m.city.usernames.MAINTAINER_ENGINEER });
    const b = await addEngineer({ name: '李明', username: 'engineer_two' });
    const c = await addEngineer({ name: '赵强' });
    ids = [a.id, b.id, c.id];
    expect(a).toMatchObject({ nameMasked: '张**', phoneMasked: '138****5678', active: true });
    const [row] = await h().ctx.db.orm.select().from(maintenanceEngineers).where(eq(maintenanceEngineers.id, a.id));
    expect(row!.nameEnc).not.toContain('张建国');
    expect(row!.phoneEnc).not.toContain('13812345678');
    const reveal = await h().request('POST', '/api/v1/pii/unmask', { session: m.sessions.manager, body: { targetType: 'maintenance_engineer', targetId: a.id, field: 'name', reason: '核对驻场人员' } });
    expect(reveal.statusCode, reveal.body).toBe(200);
    expect(reveal.json()).toEqual({ value: '张建国' });
    expect((await auditEntryFor(h().ctx, reveal)).targetId).toBe(a.id);
  });

  it('refuses bad engineers and people who are not the maintainer', async () => {
    expectError(await h().request('POST', '/api/v1/maintenance/engineers', { session: m.sessions.engineer, body: { contractId, name: '钱工', username: m.city.usernames.OUTLET_CLERK } }), 400, 'STAFF_ENGINEER_INVALID');
    expectError(await h().request('POST', '/api/v1/maintenance/engineers', { session: m.sessions.engineer, body: { contractId, name: '钱工', username: 'engineer_two' } }), 400, 'STAFF_ENGINEER_INVALID');
    expectError(await h().request('POST', '/api/v1/maintenance/engineers', { session: m.sessions.engineer, body: { contractId, name: '钱工', phone: '12345' } }), 400, 'PHONE_INVALID');
    expectError(await h().request('POST', '/api/v1/maintenance/engineers', { session: m.sessions.manager, body: { contractId, name: '钱工' } }), 403, 'FORBIDDEN');
    expectError(await h().request('POST', '/api/v1/maintenance/engineers', { session: otherEngineer, body: { contractId, name: '钱工' } }), 404, 'NOT_FOUND');
  });

  it('a certificate that expires before it was issued is refused; an expired one does not count', async () => {
    expectError(await certify(ids[0]!, { kind: 'KYLIN_OS', number: 'KY-001', issuedOn: '2025-06-01', expiresOn: '2025-05-31' }), 400, 'STAFF_CERTIFICATE_INVALID');
    expect((await certify(ids[0]!, { kind: 'KYLIN_OS', number: 'KY-001', issuedOn: '2025-06-01', expiresOn: null })).statusCode).toBe(201);
    expect((await certify(ids[1]!, { kind: 'KYLIN_OS', number: 'KY-002', issuedOn: '2020-01-01', expiresOn: addDaysToDate(today, -1) })).statusCode).toBe(201);
    const s = await staff();
    expect(s.check).toMatchObject({ engineers: { required: 3, actual: 3 }, certified: [{ kind: 'KYLIN_OS', required: 2, actual: 1 }], met: false });
    expect(s.engineers[1]!.certificates).toEqual([expect.objectContaining({ kind: 'KYLIN_OS', valid: false })]);
    expect((await maintenanceCounts(h().ctx)).staff.contractsUnderstaffed).toBeGreaterThanOrEqual(1);
    const status = await h().request('GET', '/api/v1/ops/status', { session: m.sessions.admin });
    expect((status.json() as { alerts: { code: string }[] }).alerts.map((a) => a.code)).toContain('MAINTENANCE_STAFFING');
  });

  it('a renewed certificate meets the minimum; an engineer made inactive breaks it again', async () => {
    expect((await certify(ids[1]!, { kind: 'KYLIN_OS', number: 'KY-003', issuedOn: addDaysToDate(today, -1), expiresOn: addDaysToDate(today, 700) })).statusCode).toBe(201);
    expect((await staff()).check!.met).toBe(true);
    const res = await h().request('PATCH', `/api/v1/maintenance/engineers/${ids[2]}`, { session: m.sessions.engineer, body: { active: false } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as StaffBody).check).toMatchObject({ engineers: { required: 3, actual: 2 }, met: false });
    await h().request('PATCH', `/api/v1/maintenance/engineers/${ids[2]}`, { session: m.sessions.engineer, body: { active: true } });
  });
});

describe('a 7×24 post, its roster and attendance', () => {
  let postId: string;
  let shift: ShiftBody;

  it('the client creates the post; a shape that does not fit is refused', async () => {
    expectError(
      await h().request('POST', '/api/v1/maintenance/posts', { session: m.sessions.manager, body: { contractId, siteOrgId: coreSiteId, name: '机房值守', pattern: '7x24', dayStart: '08:00', shiftHours: 10 } }),
      400,
      'STAFF_POST_INVALID',
    );
    expectError(
      await h().request('POST', '/api/v1/maintenance/posts', { session: m.sessions.manager, body: { contractId, siteOrgId: m.city.outletA.id, name: '机房值守', pattern: '7x24', dayStart: '08:00', shiftHours: 12 } }),
      400,
      'STAFF_POST_INVALID',
    );
    const res = await h().request('POST', '/api/v1/maintenance/posts', { session: m.sessions.manager, body: { contractId, siteOrgId: coreSiteId, name: '机房值守', pattern: '7x24', dayStart: '08:00', shiftHours: 12 } });
    expect(res.statusCode, res.body).toBe(201);
    postId = (res.json() as { id: string }).id;
  });

  it('rosters the engineer to the shift running now; the rest of the week shows as uncovered', async () => {
    const roster = (await h().request('GET', `/api/v1/maintenance/roster?contractId=${contractId}&from=${addDaysToDate(today, -1)}&to=${today}`, { session: m.sessions.engineer })).json() as RosterBody;
    const post = roster.posts.find((p) => p.id === postId)!;
    expect(post.uncoveredMinutes).toBe(4 * 720);
    const current = post.slots.find((s) => new Date(s.startsAt) <= now && now < new Date(s.endsAt))!;
    const engineerId = (await staff()).engineers[0]!.id;
    expectError(await h().request('POST', '/api/v1/maintenance/shifts', { session: m.sessions.engineer, body: { postId, engineerId, startsAt: new Date(new Date(current.startsAt).getTime() + 3_600_000).toISOString() } }), 409, 'STAFF_SHIFT_INVALID');
    const res = await h().request('POST', '/api/v1/maintenance/shifts', { session: m.sessions.engineer, body: { postId, engineerId, startsAt: current.startsAt } });
    expect(res.statusCode, res.body).toBe(201);
    expectError(await h().request('POST', '/api/v1/maintenance/shifts', { session: m.sessions.engineer, body: { postId, engineerId: (await staff()).engineers[1]!.id, startsAt: current.startsAt } }), 409, 'STAFF_SHIFT_TAKEN');
    const after = (await h().request('GET', `/api/v1/maintenance/roster?contractId=${contractId}&from=${addDaysToDate(today, -1)}&to=${today}`, { session: m.sessions.engineer })).json() as RosterBody;
    expect(after.posts.find((p) => p.id === postId)!.uncoveredMinutes).toBe(3 * 720);
    shift = after.shifts[0]!;
    expect(shift).toMatchObject({ state: 'NOT_ARRIVED', mine: true });
  });

  it('after midnight, the default roster still shows the night shift that began yesterday; an explicit range does not', async () => {
    const admin = await seedPrincipal(h());
    const halfPastMidnight = shanghaiInstant(today, 30);
    const night = { startsAtLocal: `${addDaysToDate(today, -1)} 20:00`, endsAtLocal: `${today} 08:00` };
    const byDefault = await contractRoster(h().ctx, admin, { contractId }, halfPastMidnight);
    expect(byDefault.posts.find((p) => p.id === postId)!.slots[0]).toMatchObject(night);
    const explicit = await contractRoster(h().ctx, admin, { contractId, from: today }, halfPastMidnight);
    expect(explicit.posts.find((p) => p.id === postId)!.slots[0]).toMatchObject({ startsAtLocal: `${today} 08:00` });
    // At 09:00 the night shift is over and the default view starts with the day's first.
    const nine = await contractRoster(h().ctx, admin, { contractId }, shanghaiInstant(today, 9 * 60));
    expect(nine.posts.find((p) => p.id === postId)!.slots[0]).toMatchObject({ startsAtLocal: `${today} 08:00` });
  });

  it('another engineer cannot check in for it; its own engineer checks in and out once', async () => {
    expectError(await h().request('POST', `/api/v1/maintenance/shifts/${shift.id}/check-in`, { session: engineerTwo }), 403, 'ATTENDANCE_NOT_YOURS');
    const mine = (await h().request('GET', '/api/v1/maintenance/shifts/mine', { session: m.sessions.engineer })).json() as { items: ShiftBody[] };
    expect(mine.items.map((s) => s.id)).toEqual([shift.id]);
    expect(((await h().request('GET', '/api/v1/maintenance/shifts/mine', { session: engineerTwo })).json() as { items: unknown[] }).items).toEqual([]);
    expectError(await h().request('POST', `/api/v1/maintenance/shifts/${shift.id}/check-out`, { session: m.sessions.engineer }), 409, 'ATTENDANCE_INVALID');
    const res = await h().request('POST', `/api/v1/maintenance/shifts/${shift.id}/check-in`, { session: m.sessions.engineer });
    expect(res.statusCode, res.body).toBe(200);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('maintenance.shift.check-in');
    expect(res.json()).toMatchObject({ state: 'ON_DUTY' });
    expectError(await h().request('POST', `/api/v1/maintenance/shifts/${shift.id}/check-in`, { session: m.sessions.engineer }), 409, 'ATTENDANCE_INVALID');
    const out = await h().request('POST', `/api/v1/maintenance/shifts/${shift.id}/check-out`, { session: m.sessions.engineer });
    expect(out.json()).toMatchObject({ state: 'DONE' });
  });

  it('the weekly report carries the attendance of the week', async () => {
    const res = await h().request('POST', '/api/v1/maintenance/reports', { session: m.sessions.engineer, body: { contractId, kind: 'WEEKLY', periodStart: weekStart(today) } });
    expect(res.statusCode, res.body).toBe(200);
    const content = (res.json() as { content: { staffAttendance?: { posts: number; shiftsPlanned: number; attended: number; absent: number; uncoveredMinutes: number } } }).content;
    expect(content.staffAttendance).toMatchObject({ posts: 1, shiftsPlanned: 1, attended: 1, absent: 0 });
    // Every 7×24 hour of the week so far except the time the engineer was there.
    expect(content.staffAttendance!.uncoveredMinutes).toBeGreaterThan(0);
  });
});

/** Monday of the week of a day. */
function weekStart(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDaysToDate(day, -((weekday + 6) % 7));
}

describe('the termination-threshold alert (seed 001: 5 breaches)', () => {
  const addBreaches = (n: number, offset: number) =>
    h()
      .ctx.db.orm.insert(maintenanceBreaches)
      .values(
        Array.from({ length: n }, (_, i) => ({
          contractId: m.contract.id,
          kind: 'LATE_REPORT' as const,
          occurredAt: shanghaiInstant('2025-03-01', (offset + i) * 60),
          detectedAt: new Date(),
          allowedMinutes: 0,
          usedMinutes: 1,
          evidence: { test: true },
        })),
      );
  const texts = () => h().ctx.db.orm.select({ key: smsMessages.idempotencyKey, text: smsMessages.text }).from(smsMessages).where(like(smsMessages.idempotencyKey, 'maintenance-termination:%'));

  it('alerts once at threshold − 1 and once at the threshold, to the duty phone and on the breach register', async () => {
    await addBreaches(3, 0);
    expect(await sweepTerminationAlerts(h().ctx)).toBe(0);
    await addBreaches(1, 3);
    expect(await sweepTerminationAlerts(h().ctx)).toBe(1);
    expect(await sweepTerminationAlerts(h().ctx)).toBe(0);
    expect(await texts()).toEqual([{ key: `maintenance-termination:${m.contract.id}:APPROACHING`, text: expect.stringContaining('再有 1 次即达到解约阈值 5 次') }]);
    await addBreaches(1, 4);
    const register = await h().request('GET', `/api/v1/maintenance/breaches?contractId=${m.contract.id}`, { session: m.sessions.manager });
    expect(register.statusCode, register.body).toBe(200);
    const body = register.json() as { contracts: { standing: string }[]; alerts: { level: string; breaches: number; message: { zh: string } }[] };
    expect(body.contracts[0]!.standing).toBe('REACHED');
    expect(body.alerts.map((a) => [a.level, a.breaches])).toEqual([
      ['APPROACHING', 4],
      ['REACHED', 5],
    ]);
    expect(await sweepTerminationAlerts(h().ctx)).toBe(0);
    expect((await texts()).map((t) => t.key).sort()).toEqual([`maintenance-termination:${m.contract.id}:APPROACHING`, `maintenance-termination:${m.contract.id}:REACHED`]);
    const other = await h().request('GET', '/api/v1/maintenance/breaches', { session: otherEngineer });
    expect((other.json() as { alerts: unknown[] }).alerts).toEqual([]);
    await h().ctx.db.orm.delete(maintenanceBreaches).where(and(eq(maintenanceBreaches.contractId, m.contract.id), eq(maintenanceBreaches.kind, 'LATE_REPORT')));
  });
});

describe('the equipment ledger export names the depot of each spare', () => {
  it('has the 备件库 column and refuses it on import', async () => {
    const depot = await h().request('POST', '/api/v1/maintenance/spares/depots', { session: m.sessions.engineer, body: { contractId: m.contract.id, siteOrgId: m.city.outletA.id, name: '武进备件库', address: '湖塘镇 1 号' } });
    expect(depot.statusCode, depot.body).toBe(201);
    const spare = await h().request('POST', `/api/v1/maintenance/spares/depots/${(depot.json() as { id: string }).id}/spares`, {
      session: m.sessions.engineer,
      body: { type: 'SCANNER', serial: 'SP-SC-900', model: 'S1', samCardNo: null, purchaseDate: null, warrantyUntil: null },
    });
    expect(spare.statusCode, spare.body).toBe(201);
    const csv = (await h().request('GET', '/api/v1/maintenance/assets/ledger?format=csv', { session: m.sessions.engineer })).body;
    const [header, ...rows] = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(header!.split(',').at(-1)).toBe('备件库');
    expect(rows.find((r) => r.includes('SP-SC-900'))!.split(',').at(-1)).toBe('武进备件库');
    const back = await h().request('POST', '/api/v1/maintenance/assets/import', {
      session: m.sessions.engineer,
      body: { format: 'csv', content: `${header}\r\n扫描仪,SP-SC-901,S1,${m.city.outletA.id},备件,,,,武进备件库\r\n` },
    });
    const err = expectError(back, 400, 'ASSET_IMPORT_INVALID');
    expect(JSON.stringify(err.details)).toContain('the depot column is not imported');
  });
});
