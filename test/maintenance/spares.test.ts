import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrg, ensureRootOrg } from '../../src/modules/orgs/service.ts';
import { principalFor } from '../../src/platform/auth/service.ts';
import { auditLog } from '../../src/platform/audit/schema.ts';
import { useHarness } from '../helpers/app.ts';
import { auditEntryFor, expectError } from '../helpers/http.ts';
import { addAsset, seedMaintenance, type Maintenance } from './fixtures.ts';

const h = useHarness();
let m: Maintenance;
let depotId: string;
let otherContractId: string;
let outletCId: string;

interface AssetBody {
  id: string;
  siteOrgId: string;
  type: string;
  status: string;
  depotId: string | null;
}
interface LineBody {
  type: string;
  perMille: number;
  custom: boolean;
  required: number;
  stock: number;
  shortfall: number;
}
interface StockBody {
  contracts: { contractId: string; outlets: number; lines: LineBody[]; depots: { id: string; name: string; stock: Record<string, number> }[] }[];
}

const stockOf = async (contractId = m.contract.id) => {
  const res = await h().request('GET', `/api/v1/maintenance/spares/stock?contractId=${contractId}`, { session: m.sessions.engineer });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as StockBody).contracts[0]!;
};
const line = async (type: string) => (await stockOf()).lines.find((l) => l.type === type)!;
const receive = async (type: string, serial: string, samCardNo: string | null = null) => {
  const res = await h().request('POST', `/api/v1/maintenance/spares/depots/${depotId}/spares`, {
    session: m.sessions.engineer,
    body: { type, serial, model: 'SP-1', samCardNo, purchaseDate: '2025-06-01', warrantyUntil: null },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as AssetBody;
};
const swap = (body: Record<string, unknown>) => h().request('POST', '/api/v1/maintenance/spares/swap', { session: m.sessions.engineer, body });
const historyOf = async (id: string) =>
  ((await h().request('GET', `/api/v1/maintenance/assets/${id}/history`, { session: m.sessions.engineer })).json() as { items: { kind: string; changes: Record<string, { from: unknown; to: unknown }> }[] }).items;

beforeAll(async () => {
  m = await seedMaintenance(h());
  const ctx = h().ctx;
  const root = await ensureRootOrg(ctx);
  const cli = principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'seed', roles: ['ADMIN'] }, root, 'CLI');
  const res = await h().request('POST', '/api/v1/maintenance/contracts', {
    session: m.sessions.manager,
    body: { name: '另一份网点合同', authorityOrgId: m.city.city.id, maintainerOrgId: m.city.maintainer.id, termStart: '2025-01-01', termEnd: '2026-12-31', zoneTableId: null, clock: 'WORKING', responseTarget: 'ACKNOWLEDGED', responseMinutes: { URBAN: 120, SUBURBAN: 180 }, fixMinutes: null, breachTerminationCount: null },
  });
  expect(res.statusCode, res.body).toBe(201);
  otherContractId = (res.json() as { id: string }).id;
  const outletC = await createOrg(ctx, cli, { name: '丙网点', kind: 'OUTLET', parentId: m.city.district.id, regionCode: '320412' });
  outletCId = outletC.id;
  const site = await h().request('PUT', `/api/v1/maintenance/sites/${outletC.id}`, {
    session: m.sessions.manager,
    body: { contractId: otherContractId, services: ['SOCIAL_SECURITY_CARD'], openingHours: '09:00-17:00', zoneOverride: 'URBAN' },
  });
  expect(site.statusCode, site.body).toBe(200);
});

describe('depots and the level to keep', () => {
  it('the maintainer opens a depot whose stock is registered under a site of the same contract', async () => {
    expectError(
      await h().request('POST', '/api/v1/maintenance/spares/depots', { session: m.sessions.engineer, body: { contractId: m.contract.id, siteOrgId: outletCId, name: '中心备件库', address: '常州市武进区湖塘镇 1 号' } }),
      400,
      'SPARE_DEPOT_INVALID',
    );
    expectError(
      await h().request('POST', '/api/v1/maintenance/spares/depots', { session: m.sessions.clerkA, body: { contractId: m.contract.id, siteOrgId: m.city.outletA.id, name: '中心备件库', address: '湖塘' } }),
      403,
      'FORBIDDEN',
    );
    const res = await h().request('POST', '/api/v1/maintenance/spares/depots', { session: m.sessions.engineer, body: { contractId: m.contract.id, siteOrgId: m.city.outletA.id, name: '中心备件库', address: '常州市武进区湖塘镇 1 号' } });
    expect(res.statusCode, res.body).toBe(201);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('maintenance.spares.depot.create');
    depotId = (res.json() as { id: string }).id;
    expectError(
      await h().request('POST', '/api/v1/maintenance/spares/depots', { session: m.sessions.engineer, body: { contractId: m.contract.id, siteOrgId: m.city.outletA.id, name: '中心备件库', address: '别处' } }),
      400,
      'SPARE_DEPOT_INVALID',
    );
  });

  it('requires ceil(seed share × outlets served) of each type and lists every type short of it', async () => {
    const c = await stockOf();
    expect(c.outlets).toBe(2);
    expect(c.lines.find((l) => l.type === 'CARD_READER')).toMatchObject({ perMille: 150, custom: false, required: 1, stock: 0, shortfall: 1 });
    expect(c.lines.find((l) => l.type === 'FISCAL_DONGLE')).toMatchObject({ perMille: 0, required: 0, shortfall: 0 });
    const res = await h().request('GET', '/api/v1/maintenance/spares/shortfalls', { session: m.sessions.manager });
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: { contractId: string; type: string; shortfall: number }[] }).items.filter((i) => i.contractId === m.contract.id);
    expect(items.map((i) => i.type).sort()).toEqual(['CARD_PRINTER', 'CARD_READER', 'DESKTOP_PC', 'FLATBED_PRINTER', 'PHOTO_KIT', 'REWRITABLE_DEVICE', 'SCANNER', 'TRANSPORT_CARD_READER']);
  });

  it('spares received are ledger assets with status SPARE at the depot, with their history', async () => {
    const a = await receive('CARD_READER', 'SP-CR-001', 'SAM9001');
    await receive('CARD_READER', 'SP-CR-002', 'SAM9002');
    expect(a).toMatchObject({ status: 'SPARE', depotId, siteOrgId: m.city.outletA.id });
    expect(await line('CARD_READER')).toMatchObject({ required: 1, stock: 2, shortfall: 0 });
    expect((await stockOf()).depots[0]!.stock).toEqual({ CARD_READER: 2 });
    const ledger = await h().request('GET', '/api/v1/maintenance/assets?status=SPARE', { session: m.sessions.engineer });
    expect((ledger.json() as { items: { serial: string }[] }).items.map((i) => i.serial)).toEqual(expect.arrayContaining(['SP-CR-001', 'SP-CR-002']));
    const history = await historyOf(a.id);
    expect(history[0]).toMatchObject({ kind: 'CREATE', changes: { status: { from: null, to: 'SPARE' }, depotId: { from: null, to: depotId } } });
    expectError(
      await h().request('POST', `/api/v1/maintenance/spares/depots/${depotId}/spares`, { session: m.sessions.engineer, body: { type: 'SCANNER', serial: 'sp-cr-001', model: 'X', samCardNo: null, purchaseDate: null, warrantyUntil: null } }),
      409,
      'ASSET_SERIAL_TAKEN',
    );
  });

  it('the client’s manager changes a share; the engineer may not; null goes back to the seed', async () => {
    expectError(await h().request('PUT', `/api/v1/maintenance/spares/ratios/${m.contract.id}`, { session: m.sessions.engineer, body: { ratios: [{ type: 'CARD_READER', perMille: 1000 }] } }), 403, 'FORBIDDEN');
    expectError(await h().request('PUT', `/api/v1/maintenance/spares/ratios/${m.contract.id}`, { session: m.sessions.manager, body: { ratios: [{ type: 'CARD_READER', perMille: 1001 }] } }), 400, 'VALIDATION_FAILED');
    expectError(
      await h().request('PUT', `/api/v1/maintenance/spares/ratios/${m.contract.id}`, { session: m.sessions.manager, body: { ratios: [{ type: 'SCANNER', perMille: 5 }, { type: 'SCANNER', perMille: 6 }] } }),
      400,
      'SPARE_RATIO_INVALID',
    );
    const res = await h().request('PUT', `/api/v1/maintenance/spares/ratios/${m.contract.id}`, { session: m.sessions.manager, body: { ratios: [{ type: 'CARD_READER', perMille: 1000 }, { type: 'FISCAL_DONGLE', perMille: 500 }] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await line('CARD_READER')).toMatchObject({ perMille: 1000, custom: true, required: 2, stock: 2, shortfall: 0 });
    expect(await line('FISCAL_DONGLE')).toMatchObject({ perMille: 500, required: 1 });
    await h().request('PUT', `/api/v1/maintenance/spares/ratios/${m.contract.id}`, { session: m.sessions.manager, body: { ratios: [{ type: 'FISCAL_DONGLE', perMille: null }] } });
    expect(await line('FISCAL_DONGLE')).toMatchObject({ perMille: 0, custom: false, required: 0 });
  });
});

describe('swapping a spare for a faulty asset', () => {
  let spareId: string;
  let faultyId: string;
  let ticketId: string;

  beforeAll(async () => {
    const stock = await h().request('GET', `/api/v1/maintenance/spares/depots/${depotId}/assets`, { session: m.sessions.engineer });
    spareId = (stock.json() as { items: AssetBody[] }).items.find((a) => a.type === 'CARD_READER')!.id;
    faultyId = await addAsset(h(), m.sessions.engineer, m.city.outletB.id);
    const t = await h().request('POST', '/api/v1/maintenance/tickets', { session: m.sessions.clerkB, body: { siteOrgId: m.city.outletB.id, assetId: faultyId, category: '读卡机故障', description: '读卡机无法读卡' } });
    expect(t.statusCode, t.body).toBe(201);
    ticketId = (t.json() as { id: string }).id;
  });

  it('refuses a ticket of another outlet and changes nothing', async () => {
    const other = await h().request('POST', '/api/v1/maintenance/tickets', { session: m.sessions.clerkA, body: { siteOrgId: m.city.outletA.id, category: '其他', description: '打印机卡纸' } });
    expectError(await swap({ spareId, assetId: faultyId, ticketId: (other.json() as { id: string }).id }), 409, 'SPARE_TICKET_MISMATCH');
    expect(await line('CARD_READER')).toMatchObject({ stock: 2 });
  });

  it('moves both in one go: the spare into service at the outlet, the faulty one to the depot, and says the type is now short', async () => {
    const res = await swap({ spareId, assetId: faultyId, ticketId });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json() as { spare: AssetBody; replaced: AssetBody; shortfall: { type: string; required: number; stock: number; shortfall: number } | null; shortfallCreated: boolean };
    expect(out.spare).toMatchObject({ id: spareId, status: 'IN_SERVICE', siteOrgId: m.city.outletB.id, depotId: null });
    expect(out.replaced).toMatchObject({ id: faultyId, status: 'IN_REPAIR', siteOrgId: m.city.outletA.id, depotId });
    expect(out.shortfall).toEqual({ type: 'CARD_READER', required: 2, stock: 1, shortfall: 1 });
    expect(out.shortfallCreated).toBe(true);
    expect((await auditEntryFor(h().ctx, res)).action).toBe('maintenance.spares.swap');
    const alerts = await h().ctx.db.orm.select().from(auditLog).where(and(eq(auditLog.action, 'maintenance.spares.shortfall'), eq(auditLog.targetId, m.contract.id)));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.details).toMatchObject({ type: 'CARD_READER', required: 2, stock: 1 });

    expect((await historyOf(spareId)).at(-1)!.changes).toEqual({
      status: { from: 'SPARE', to: 'IN_SERVICE' },
      siteOrgId: { from: m.city.outletA.id, to: m.city.outletB.id },
      depotId: { from: depotId, to: null },
    });
    expect((await historyOf(faultyId)).at(-1)!.changes).toEqual({
      status: { from: 'IN_SERVICE', to: 'IN_REPAIR' },
      siteOrgId: { from: m.city.outletB.id, to: m.city.outletA.id },
      depotId: { from: null, to: depotId },
    });
    const shortfalls = await h().request('GET', `/api/v1/maintenance/spares/shortfalls?contractId=${m.contract.id}`, { session: m.sessions.engineer });
    expect((shortfalls.json() as { items: { type: string; shortfall: number }[] }).items.find((i) => i.type === 'CARD_READER')).toMatchObject({ shortfall: 1 });
  });

  it('refuses a spare already in service, a spare of another type, and an asset of another contract', async () => {
    const another = await addAsset(h(), m.sessions.engineer, m.city.outletB.id);
    expectError(await swap({ spareId, assetId: another }), 409, 'SPARE_NOT_IN_STOCK');
    const scanner = await receive('SCANNER', 'SP-SC-001');
    const err = expectError(await swap({ spareId: scanner.id, assetId: another }), 409, 'SPARE_TYPE_MISMATCH');
    expect(err.message).toContain('SCANNER');
    const stock = await h().request('GET', `/api/v1/maintenance/spares/depots/${depotId}/assets`, { session: m.sessions.engineer });
    const secondReader = (stock.json() as { items: AssetBody[] }).items.find((a) => a.type === 'CARD_READER' && a.status === 'SPARE')!;
    const elsewhere = await addAsset(h(), m.sessions.engineer, outletCId);
    expectError(await swap({ spareId: secondReader.id, assetId: elsewhere }), 409, 'SPARE_OTHER_CONTRACT');
    expectError(await swap({ spareId: secondReader.id, assetId: faultyId }), 409, 'SPARE_ASSET_NOT_IN_SERVICE');
    expect(await line('CARD_READER')).toMatchObject({ stock: 1 });
    expect((await historyOf(secondReader.id)).map((x) => x.kind)).toEqual(['CREATE']);
  });

  it('a repaired asset comes back into stock; one in service cannot', async () => {
    expectError(await h().request('POST', '/api/v1/maintenance/spares/restock', { session: m.sessions.engineer, body: { assetId: spareId, depotId } }), 409, 'SPARE_RESTOCK_INVALID');
    const res = await h().request('POST', '/api/v1/maintenance/spares/restock', { session: m.sessions.engineer, body: { assetId: faultyId, depotId } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'SPARE', depotId });
    expect(await line('CARD_READER')).toMatchObject({ stock: 2, shortfall: 0 });
    expect((await historyOf(faultyId)).at(-1)!.changes).toEqual({ status: { from: 'IN_REPAIR', to: 'SPARE' } });
  });

  it('an outlet sees no depots; the auditor reads the stock', async () => {
    const clerk = await h().request('GET', '/api/v1/maintenance/spares/stock', { session: m.sessions.clerkA });
    expect(clerk.json()).toEqual({ contracts: [] });
    const auditor = await h().request('GET', `/api/v1/maintenance/spares/stock?contractId=${m.contract.id}`, { session: m.sessions.auditor });
    expect((auditor.json() as StockBody).contracts[0]!.lines.find((l) => l.type === 'CARD_READER')).toMatchObject({ stock: 2 });
    expectError(await h().request('POST', '/api/v1/maintenance/spares/swap', { session: m.sessions.auditor, body: { spareId, assetId: faultyId } }), 403, 'FORBIDDEN');
  });
});
