import { beforeAll, describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/app.ts';
import { expectError } from '../helpers/http.ts';
import { seedMaintenance, type Maintenance } from './fixtures.ts';

const h = useHarness();
let m: Maintenance;

beforeAll(async () => {
  m = await seedMaintenance(h());
});

const put = (orgId: string, body: Record<string, unknown>) => h().request('PUT', `/api/v1/maintenance/sites/${orgId}`, { session: m.sessions.manager, body });
const site = (over: Record<string, unknown> = {}) => ({ contractId: m.contract.id, services: ['RESIDENCE_PERMIT'], openingHours: '09:00-17:00', zoneOverride: 'URBAN', ...over });

describe('zone tables', () => {
  it('the Shanghai preset holds the 16 districts of seed 001; a second table of the same name is version 2', async () => {
    expect(m.zoneTable).toMatchObject({ version: 1 });
    expect(m.zoneTable.entries).toHaveLength(16);
    const again = await h().request('POST', '/api/v1/maintenance/zone-tables', { session: m.sessions.manager, body: { name: '上海市网点区域', preset: 'SHANGHAI_2025' } });
    expect(again.json()).toMatchObject({ version: 2 });
  });

  it('refuses a table with a district listed twice', async () => {
    const res = await h().request('POST', '/api/v1/maintenance/zone-tables', {
      session: m.sessions.manager,
      body: { name: '重复', entries: [{ regionCode: '310101', district: '黄浦区', zone: 'URBAN' }, { regionCode: '310101', district: '黄浦区', zone: 'SUBURBAN' }] },
    });
    expect(expectError(res, 400, 'MAINTENANCE_ZONE_TABLE_INVALID').message).toContain('listed twice');
  });
});

describe('outlets under a contract', () => {
  it('refuses an outlet whose district is not in the zone table unless it sets its zone', async () => {
    expectError(await put(m.city.outletA.id, site({ zoneOverride: null })), 409, 'MAINTENANCE_ZONE_UNKNOWN');
  });

  it('keeps the opening hours in normal form and answers the zone in force', async () => {
    const res = await put(m.city.outletA.id, site({ openingHours: '13:00-17:00, 09:00-12:00' }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ openingHours: '09:00-12:00,13:00-17:00', zone: 'URBAN', services: ['RESIDENCE_PERMIT'] });
  });

  it('refuses opening hours that are not ranges within a day', async () => {
    expectError(await put(m.city.outletA.id, site({ openingHours: '17:00-09:00' })), 400, 'MAINTENANCE_SITE_INVALID');
  });

  it('refuses a producer as a maintained site', async () => {
    expectError(await put(m.city.producer.id, site()), 400, 'MAINTENANCE_SITE_INVALID');
  });

  it('an engineer of the maintainer sees the outlets of its contract', async () => {
    const sites = (await h().request('GET', '/api/v1/maintenance/sites', { session: m.sessions.engineer })).json() as { items: { orgId: string }[] };
    expect(sites.items.map((s) => s.orgId).sort()).toEqual([m.city.outletA.id, m.city.outletB.id].sort());
  });
});

describe('contracts', () => {
  const body = () => ({
    name: '核心系统运维',
    authorityOrgId: m.city.city.id,
    maintainerOrgId: m.city.maintainer.id,
    termStart: '2026-01-01',
    termEnd: '2027-12-31',
    zoneTableId: null,
    clock: 'ROUND_THE_CLOCK',
    responseTarget: 'ON_SITE',
    responseMinutes: { URBAN: 120, SUBURBAN: 120 },
    fixMinutes: { URBAN: 240, SUBURBAN: 240 },
    breachTerminationCount: null,
  });

  it('records a 7×24 contract like seed 002 (on site in 2 h, fixed in 4 h)', async () => {
    const res = await h().request('POST', '/api/v1/maintenance/contracts', { session: m.sessions.manager, body: body() });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ clock: 'ROUND_THE_CLOCK', responseTarget: 'ON_SITE', fixMinutes: { URBAN: 240 }, warnPercent: 75, maintainerName: m.city.maintainer.name });
  });

  it('lists every problem of a bad contract', async () => {
    const res = await h().request('POST', '/api/v1/maintenance/contracts', {
      session: m.sessions.manager,
      body: { ...body(), termEnd: '2025-12-31', fixMinutes: { URBAN: 60, SUBURBAN: 60 }, warnPercent: 0 },
    });
    const error = expectError(res, 400, 'MAINTENANCE_CONTRACT_INVALID');
    expect((error.details as { problems: string[] }).problems).toEqual([
      'a fix allowance cannot be shorter than the response allowance',
      'the warning threshold must be a percentage from 1 to 99',
      'the term ends before it starts',
    ]);
  });

  it('refuses a contractor that is not a maintainer', async () => {
    expectError(await h().request('POST', '/api/v1/maintenance/contracts', { session: m.sessions.manager, body: { ...body(), maintainerOrgId: m.city.producer.id } }), 400, 'MAINTENANCE_CONTRACT_INVALID');
  });

  it('an outlet clerk cannot set up contracts', async () => {
    expectError(await h().request('POST', '/api/v1/maintenance/contracts', { session: m.sessions.clerkA, body: body() }), 403, 'FORBIDDEN');
  });
});
