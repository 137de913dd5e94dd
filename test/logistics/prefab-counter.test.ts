import { beforeAll, describe, expect, it } from 'vitest';
import { useHarness, type Session } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { applicant, photoBase64 } from '../applications/fixtures.ts';
import { fakeJpeg } from '../helpers/jpeg.ts';
import { approvedApplications, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { applicationStatus, matchApplications, prefabricatedApplication } from './fixtures.ts';

const h = useHarness();
let lc: Lifecycle;
let prefabId: string;
let prefabNo: string;

type Waiting = { applicationId: string; applicationNo: string; nameMasked: string; citizenIdMasked: string; phoneMasked: string; status: string; programmeName: string };
type Found = { items: { id: string; status: string; mode: string; cardNo: string; applicationId: string }[]; prefabricated: Waiting[] };

const P = 61;

async function findByNo(session: Session, applicationNo: string): Promise<Found> {
  const res = await h().request('GET', `/api/v1/cards/find?applicationNo=${encodeURIComponent(applicationNo)}`, { session });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Found;
}

async function numberOf(id: string): Promise<string> {
  const res = await h().request('GET', `/api/v1/applications/${id}`, { session: lc.sessions.clerkA });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { applicationNo: string }).applicationNo;
}

beforeAll(async () => {
  lc = await seedLifecycle(h());
  prefabId = await prefabricatedApplication(h(), lc, P);
  prefabNo = await numberOf(prefabId);
});

describe('the counter lookup finds prefabricated applications waiting for a card', () => {
  it('shows the bank branch a MATCHED prefabricated application by number, masked only', async () => {
    const res = await h().request('GET', `/api/v1/cards/find?applicationNo=${prefabNo.toLowerCase()}`, { session: lc.sessions.bank });
    expect(res.statusCode, res.body).toBe(200);
    const found = res.json() as Found;
    expect(found.items).toEqual([]);
    expect(found.prefabricated).toHaveLength(1);
    expect(found.prefabricated[0]).toMatchObject({ applicationId: prefabId, applicationNo: prefabNo, status: 'MATCHED' });
    expect(found.prefabricated[0]!.programmeName).not.toBe('');
    expect(found.prefabricated[0]!.nameMasked).toContain('*');
    expect(found.prefabricated[0]!.citizenIdMasked).toContain('*');
    // No full personal data in the answer.
    expect(res.body).not.toContain(applicant(P).citizenId);
    expect(res.body).not.toContain(applicant(P).name);
    expect(res.body).not.toContain(applicant(P).phone);
    const entry = await auditEntryFor(h().ctx, res);
    expect(entry.details).toMatchObject({ by: 'applicationNo', found: 0, prefabricated: 1 });
  });

  it('finds it by ID number too, at the outlet that took it, but not at another outlet', async () => {
    const res = await h().request('POST', '/api/v1/cards/find', { session: lc.sessions.bank, body: { citizenId: applicant(P).citizenId } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Found).prefabricated.map((p) => p.applicationId)).toEqual([prefabId]);
    expect((await findByNo(lc.sessions.clerkA, prefabNo)).prefabricated.map((p) => p.applicationId)).toEqual([prefabId]);
    expect(await findByNo(lc.sessions.clerkB, prefabNo)).toEqual({ items: [], prefabricated: [] });
  });

  it('leaves out prefabricated applications not yet matched and ordinary applications', async () => {
    const body = { programmeId: lc.ssc.id, ...applicant(P + 1, { kind: 'PREFABRICATED', basis: null, bankOrgId: lc.city.branch.id }), photoJpegBase64: photoBase64(fakeJpeg(358, 441, 20 * 1024)) };
    const created = await h().request('POST', '/api/v1/applications', { session: lc.sessions.clerkA, body });
    expect(created.statusCode, created.body).toBe(201);
    const approvedOnly = (created.json() as { id: string }).id;
    expect((await h().request('POST', `/api/v1/applications/${approvedOnly}/approve`, { session: lc.sessions.reviewer, body: {} })).statusCode).toBe(200);
    expect((await findByNo(lc.sessions.bank, await numberOf(approvedOnly))).prefabricated).toEqual([]);

    const [ordinary] = await approvedApplications(h(), lc, 'ssc', P + 2, 1);
    await matchApplications(h(), [ordinary!]);
    expect((await findByNo(lc.sessions.bank, await numberOf(ordinary!))).prefabricated).toEqual([]);
  });

  it('is no longer offered once the card is issued; the issued card is found instead', async () => {
    const url = `/api/v1/applications/${prefabId}/issue-prefabricated`;
    expectError(await h().request('POST', url, { session: lc.sessions.bank, body: { cardNo: 'p10000061', chipUid: '04AABBCC61', identityChecked: false } }), 400, 'IDENTITY_CHECK_REQUIRED');
    expect(await applicationStatus(h(), prefabId)).toBe('MATCHED');
    const issued = await h().request('POST', url, { session: lc.sessions.bank, body: { cardNo: 'p10000061', chipUid: '04:AA:BB:CC:61', identityChecked: true } });
    expect(issued.statusCode, issued.body).toBe(201);
    expect((await auditEntryFor(h().ctx, issued)).details).toMatchObject({ identityChecked: true });
    expect(await applicationStatus(h(), prefabId)).toBe('ISSUED');
    const found = await findByNo(lc.sessions.bank, prefabNo);
    expect(found.prefabricated).toEqual([]);
    expect(found.items).toHaveLength(1);
    expect(found.items[0]).toMatchObject({ applicationId: prefabId, status: 'ISSUED', mode: 'INSTANT', cardNo: 'P10000061' });
  });

  it('is refused to roles without card.issue', async () => {
    expectError(await h().request('GET', `/api/v1/cards/find?applicationNo=${prefabNo}`, { session: lc.sessions.producer }), 403, 'FORBIDDEN');
  });
});
