import { beforeAll, describe, expect, it } from 'vitest';
import { addDaysToDate, shanghaiDate } from '../../src/modules/calendar/zone.ts';
import { monthDays } from '../../src/modules/maintenance/visits-rules.ts';
import { createOrg, ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { useHarness } from '../helpers/app.ts';
import { pdfPages } from '../helpers/pdf.ts';
import { seedMaintenance, type Maintenance } from './fixtures.ts';
import { dataUrl, signaturePng } from './visits-png.ts';

const h = useHarness();
let m: Maintenance;
let contractId: string;

/** Signing happens at the real time, so the month is the current one in Shanghai and the contract is written around it. */
const month = shanghaiDate(new Date()).slice(0, 7);
const OUTLETS = 30;

interface VisitBody {
  id: string;
  status: string;
  items: { code: string }[];
}

beforeAll(async () => {
  m = await seedMaintenance(h());
  const root = await ensureRootOrg(h().ctx);
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'seed', roles: ['ADMIN'] }, root, 'CLI');
  const { first } = monthDays(month);
  const res = await h().request('POST', '/api/v1/maintenance/contracts', {
    session: m.sessions.manager,
    body: {
      name: '三十个网点的月度维护',
      authorityOrgId: m.city.city.id,
      maintainerOrgId: m.city.maintainer.id,
      termStart: first,
      termEnd: addDaysToDate(first, 400),
      zoneTableId: m.zoneTable.id,
      clock: 'WORKING',
      responseTarget: 'ACKNOWLEDGED',
      responseMinutes: { URBAN: 120, SUBURBAN: 180 },
      fixMinutes: null,
      warnPercent: 75,
      breachTerminationCount: 5,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  contractId = (res.json() as { id: string }).id;
  for (let i = 1; i <= OUTLETS; i++) {
    const org = await createOrg(h().ctx, cli, { name: `月报${String(i).padStart(2, '0')}号受理点`, kind: 'OUTLET', parentId: m.city.district.id, regionCode: '320412' });
    const site = await h().request('PUT', `/api/v1/maintenance/sites/${org.id}`, {
      session: m.sessions.manager,
      body: { contractId, services: i % 2 ? ['SOCIAL_SECURITY_CARD'] : ['RESIDENCE_PERMIT'], openingHours: '09:00-17:00', zoneOverride: 'URBAN' },
    });
    expect(site.statusCode, site.body).toBe(200);
  }
  // The month's report is due next month; when that lies in a year with no published calendar yet, the
  // authority sets the due dates not to roll (rolling would fail closed).
  const settings = await h().request('PUT', `/api/v1/maintenance/contracts/${contractId}/report-settings`, { session: m.sessions.manager, body: { kinds: ['MONTHLY'], rollDueDates: false } });
  expect(settings.statusCode, settings.body).toBe(200);
});

describe('a month of visits for 30 outlets, planned, filled, signed and reported', () => {
  it('plans one visit per outlet and every form is filled in and signed', async () => {
    const plan = await h().request('POST', '/api/v1/maintenance/visits/plan', { session: m.sessions.engineer, body: { contractId, month } });
    expect(plan.json()).toEqual({ created: OUTLETS, total: OUTLETS });
    const list = (await h().request('GET', `/api/v1/maintenance/visits?month=${month}&contractId=${contractId}&limit=100`, { session: m.sessions.engineer })).json() as { items: { id: string }[] };
    expect(list.items).toHaveLength(OUTLETS);
    for (const [n, { id }] of list.items.entries()) {
      const visit = (await h().request('GET', `/api/v1/maintenance/visits/${id}`, { session: m.sessions.engineer })).json() as VisitBody;
      const answers = visit.items.map((item) => (n === 0 && item.code === 'BACKUP' ? { code: item.code, result: 'PROBLEM', note: '备份盘已满，已清理' } : { code: item.code, result: 'OK' }));
      expect((await h().request('PUT', `/api/v1/maintenance/visits/${id}/answers`, { session: m.sessions.engineer, body: { answers } })).statusCode).toBe(200);
      const signed = await h().request('POST', `/api/v1/maintenance/visits/${id}/sign`, { session: m.sessions.engineer, body: { signerName: '网点值班员', signaturePng: dataUrl(signaturePng()) } });
      expect(signed.statusCode, signed.body).toBe(200);
    }
  });

  it('the monthly report counts 30 outlets, 30 signed forms and none missing, and its PDF shows the numbers', async () => {
    const res = await h().request('POST', '/api/v1/maintenance/reports', { session: m.sessions.engineer, body: { contractId, kind: 'MONTHLY', periodStart: `${month}-01` } });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as { id: string; dueDate: string; content: { outlets: number; visits: { preventiveSigned: number; months: unknown[] } } };
    expect(report.dueDate).toBe(`${monthDays(month).next.slice(0, 7)}-21`);
    expect(report.content.outlets).toBe(OUTLETS);
    expect(report.content.visits.preventiveSigned).toBe(OUTLETS);
    expect(report.content.visits.months).toEqual([{ month, outlets: OUTLETS, signed: OUTLETS, missing: 0 }]);
    const pdf = await h().request('GET', `/api/v1/maintenance/reports/${report.id}/report.pdf`, { session: m.sessions.manager });
    expect(pdf.statusCode).toBe(200);
    const text = (await pdfPages(pdf.rawPayload)).join('\n');
    expect(text).toContain('网点运维月报表');
    expect(text).toContain('三十个网点的月度维护');
    expect(text).toMatch(new RegExp(`${month}\\s+30\\s+30\\s+0`));
    expect(text).toMatch(/本期签字维护单\s+30/);
    const submitted = await h().request('POST', `/api/v1/maintenance/reports/${report.id}/submit`, { session: m.sessions.engineer });
    expect(submitted.json()).toMatchObject({ status: 'SUBMITTED', late: false });
  });
});
