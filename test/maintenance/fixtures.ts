import { expect } from 'vitest';
import { addDaysToDate } from '../../src/modules/calendar/zone.ts';
import { createOrg, createUser, ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { USER_PASSWORD, seedCity, type Harness, type Session } from '../helpers/app.ts';

/**
 * The small city of the test helpers with a maintenance contract like seed 001 (2 working hours urban,
 * 3 suburban, 5 breaches give the right to terminate) serving outlets A (urban) and B (suburban), both
 * in 武进 (320412), a district the Shanghai zone table does not list, so both carry an override.
 */
export async function seedMaintenance(h: Harness) {
  const city = await seedCity(h.ctx);
  const admin = await h.login('admin');
  const manager = await h.login(city.usernames.AUTHORITY_MANAGER);
  const sessions = {
    admin,
    manager,
    clerkA: await h.login(city.usernames.OUTLET_CLERK),
    clerkB: await h.login('clerk_b'),
    engineer: await h.login(city.usernames.MAINTAINER_ENGINEER),
    auditor: await h.login(city.usernames.AUDITOR),
  };
  const zoneRes = await h.request('POST', '/api/v1/maintenance/zone-tables', { session: manager, body: { name: '上海市网点区域', preset: 'SHANGHAI_2025' } });
  expect(zoneRes.statusCode, zoneRes.body).toBe(201);
  const zoneTable = zoneRes.json() as { id: string; version: number; entries: unknown[] };
  const contractRes = await h.request('POST', '/api/v1/maintenance/contracts', {
    session: manager,
    body: {
      name: '受理网点设备维护 2025–2026',
      authorityOrgId: city.city.id,
      maintainerOrgId: city.maintainer.id,
      termStart: '2025-01-01',
      termEnd: '2026-12-31',
      zoneTableId: zoneTable.id,
      clock: 'WORKING',
      responseTarget: 'ACKNOWLEDGED',
      responseMinutes: { URBAN: 120, SUBURBAN: 180 },
      fixMinutes: null,
      warnPercent: 75,
      breachTerminationCount: 5,
    },
  });
  expect(contractRes.statusCode, contractRes.body).toBe(201);
  const contract = contractRes.json() as { id: string };
  for (const [org, zone] of [
    [city.outletA, 'URBAN'],
    [city.outletB, 'SUBURBAN'],
  ] as const) {
    const res = await h.request('PUT', `/api/v1/maintenance/sites/${org.id}`, {
      session: manager,
      body: { contractId: contract.id, services: ['SOCIAL_SECURITY_CARD', 'RESIDENCE_PERMIT'], openingHours: '09:00-17:00', zoneOverride: zone },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  return { city, sessions, zoneTable, contract };
}

export type Maintenance = Awaited<ReturnType<typeof seedMaintenance>>;

/** The CLI principal that seeds organisations and users the way an operator does. */
export async function seedPrincipal(h: Harness) {
  const root = await ensureRootOrg(h.ctx);
  return principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'seed', roles: ['ADMIN'] }, root, 'CLI');
}

/**
 * Seed 002's core system: a round-the-clock on-site contract (2 h on site, 4 h fixed) from `termStart`
 * to a year ahead, its machine room as the one site, and an engineer of another maintainer who must be
 * refused everywhere on it.
 */
export async function seedCoreSystem(h: Harness, m: Maintenance, name: string, termStart: string, today: string) {
  const cli = await seedPrincipal(h);
  const otherMaintainer = await createOrg(h.ctx, cli, { name: '别家运维公司', kind: 'MAINTAINER', parentId: m.city.city.id });
  await createUser(h.ctx, cli, { username: 'other_engineer', displayName: '王工', orgId: otherMaintainer.id, roles: ['MAINTAINER_ENGINEER'], password: USER_PASSWORD });
  const otherEngineer = await h.login('other_engineer');
  const res = await h.request('POST', '/api/v1/maintenance/contracts', {
    session: m.sessions.manager,
    body: {
      name,
      authorityOrgId: m.city.city.id,
      maintainerOrgId: m.city.maintainer.id,
      termStart,
      termEnd: addDaysToDate(today, 365),
      zoneTableId: null,
      clock: 'ROUND_THE_CLOCK',
      responseTarget: 'ON_SITE',
      responseMinutes: { URBAN: 120, SUBURBAN: 120 },
      fixMinutes: { URBAN: 240, SUBURBAN: 240 },
      breachTerminationCount: null,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const contractId = (res.json() as { id: string }).id;
  const core = await createOrg(h.ctx, cli, { name: '居住证信息系统中心机房', kind: 'AUTHORITY', parentId: m.city.city.id, regionCode: '320400' });
  const site = await h.request('PUT', `/api/v1/maintenance/sites/${core.id}`, { session: m.sessions.manager, body: { contractId, services: [], openingHours: '00:00-24:00', zoneOverride: null } });
  expect(site.statusCode, site.body).toBe(200);
  return { contractId, coreSiteId: core.id, otherEngineer };
}

let nextSerial = 1;

/** A card reader with a SAM card at the given outlet, added by the engineer; answers its id. */
export async function addAsset(h: Harness, session: Session, siteOrgId: string, serial = `CR-${String(nextSerial++).padStart(5, '0')}`): Promise<string> {
  const res = await h.request('POST', '/api/v1/maintenance/assets', {
    session,
    body: { siteOrgId, type: 'CARD_READER', serial, model: 'DC-T10', status: 'IN_SERVICE', samCardNo: 'SAM0001', purchaseDate: '2024-05-01', warrantyUntil: '2027-04-30' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

export interface ClockBody {
  usedMinutes: number;
  leftMinutes: number;
  percent: number;
  deadlineLocal: string | null;
  state: string;
  breached: boolean;
  deadlineError: { code: string; message: string } | null;
}
export interface TicketBody {
  id: string;
  ticketNo: string;
  status: string;
  zone: string;
  channel: string;
  clocks: { response: ClockBody | null; fix: ClockBody | null; error: { code: string } | null };
  events: { seq: number; action: string; toStatus: string; atLocal: string; actorName: string }[];
  actions: string[];
}

/** Opens a ticket through the API at a given Shanghai wall-clock time ('2025-09-30T16:00'). */
export async function openAt(h: Harness, session: Session, siteOrgId: string, wallClock: string, extra: Record<string, unknown> = {}) {
  return h.request('POST', '/api/v1/maintenance/tickets', {
    session,
    body: { siteOrgId, category: '读卡机故障', description: '读卡机无法识别社保卡', openedAt: `${wallClock}:00+08:00`, ...extra },
  });
}

export async function act(h: Harness, session: Session, ticketId: string, action: string, wallClock: string, extra: Record<string, unknown> = {}) {
  return h.request('POST', `/api/v1/maintenance/tickets/${ticketId}/${action}`, { session, body: { at: `${wallClock}:00+08:00`, ...extra } });
}
