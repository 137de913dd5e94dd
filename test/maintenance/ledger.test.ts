import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maintenanceAssets } from '../../src/modules/maintenance/schema.ts';
import { useHarness } from '../helpers/app.ts';
import { countRows, expectError } from '../helpers/http.ts';
import { addAsset, seedMaintenance, type Maintenance } from './fixtures.ts';

const h = useHarness();
let m: Maintenance;

beforeAll(async () => {
  m = await seedMaintenance(h());
});

type Asset = { id: string; serial: string; status: string; siteName: string };
type ImportError = { rows: { row: number; serial: string | null; errors: string[] }[] };
const importFile = (format: 'csv' | 'xlsx', content: string) => h().request('POST', '/api/v1/maintenance/assets/import', { session: m.sessions.engineer, body: { format, content } });

describe('the asset ledger', () => {
  it('keeps every change with who, when and old → new', async () => {
    const id = await addAsset(h(), m.sessions.engineer, m.city.outletA.id, 'CR-HIST-1');
    const res = await h().request('PATCH', `/api/v1/maintenance/assets/${id}`, { session: m.sessions.engineer, body: { status: 'IN_REPAIR', siteOrgId: m.city.outletB.id } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'IN_REPAIR', siteOrgId: m.city.outletB.id });
    const history = (await h().request('GET', `/api/v1/maintenance/assets/${id}/history`, { session: m.sessions.manager })).json() as {
      items: { seq: number; kind: string; changes: Record<string, { from: unknown; to: unknown }>; actorName: string }[];
      orgNames: Record<string, string>;
    };
    expect(history.orgNames).toEqual({ [m.city.outletA.id]: m.city.outletA.name, [m.city.outletB.id]: m.city.outletB.name });
    expect(history.items.map((c) => [c.seq, c.kind])).toEqual([
      [1, 'CREATE'],
      [2, 'UPDATE'],
    ]);
    expect(history.items[1]!.changes).toEqual({ status: { from: 'IN_SERVICE', to: 'IN_REPAIR' }, siteOrgId: { from: m.city.outletA.id, to: m.city.outletB.id } });
    expect(history.items[1]!.actorName).toBe(m.city.usernames.MAINTAINER_ENGINEER);
  });

  it('refuses a SAM card number on a device that holds none', async () => {
    const res = await h().request('POST', '/api/v1/maintenance/assets', {
      session: m.sessions.engineer,
      body: { siteOrgId: m.city.outletA.id, type: 'DESKTOP_PC', serial: 'PC-SAM-1', model: 'M720', status: 'IN_SERVICE', samCardNo: 'SAM1234', purchaseDate: null, warrantyUntil: null },
    });
    expect(expectError(res, 400, 'ASSET_INVALID').message).toContain('DESKTOP_PC');
  });

  it('refuses a serial already in the ledger, whatever its case', async () => {
    await addAsset(h(), m.sessions.engineer, m.city.outletA.id, 'CR-DUP-1');
    const res = await h().request('POST', '/api/v1/maintenance/assets', {
      session: m.sessions.engineer,
      body: { siteOrgId: m.city.outletA.id, type: 'SCANNER', serial: 'cr-dup-1', model: 'S1', status: 'SPARE', samCardNo: null, purchaseDate: null, warrantyUntil: null },
    });
    expectError(res, 409, 'ASSET_SERIAL_TAKEN');
  });

  it('an outlet clerk reads the ledger of its outlet but cannot change it', async () => {
    const list = (await h().request('GET', '/api/v1/maintenance/assets', { session: m.sessions.clerkB })).json() as { items: Asset[] };
    expect(list.items.length).toBeGreaterThan(0);
    expect(new Set(list.items.map((a) => a.siteName))).toEqual(new Set([m.city.outletB.name]));
    expectError(await h().request('PATCH', `/api/v1/maintenance/assets/${list.items[0]!.id}`, { session: m.sessions.clerkB, body: { status: 'FAULTY' } }), 403, 'FORBIDDEN');
  });
});

describe('ledger import', () => {
  it('imports nothing and lists every bad row: duplicate serial, unknown type, unknown outlet', async () => {
    const before = await countRows(h().ctx, maintenanceAssets);
    const csv = [
      '设备类型,序列号,型号,网点,状态,SAM卡号,购置日期,保修截止',
      `制卡机,CP-100,Evolis Primacy,${m.city.outletA.name},在用,SAM9001,2024-01-10,2027-01-09`,
      `制卡机,CP-100,Evolis Primacy,${m.city.outletA.name},在用,SAM9002,2024-01-10,2027-01-09`,
      `打字机,TW-1,X,${m.city.outletA.name},,,,`,
      `扫描仪,SC-1,X,不存在的网点,,,,`,
      `读卡机,CR-DUP-1,DC-T10,${m.city.outletA.name},备用,,,`,
    ].join('\n');
    const error = expectError(await importFile('csv', csv), 400, 'ASSET_IMPORT_INVALID');
    expect((error.details as ImportError).rows).toEqual([
      { row: 3, serial: 'CP-100', errors: ['serial CP-100 is also on row 2'] },
      { row: 4, serial: 'TW-1', errors: ['unknown equipment type "打字机"'] },
      { row: 5, serial: 'SC-1', errors: ['unknown equipment type "扫描仪"', 'unknown outlet "不存在的网点"'] },
      { row: 6, serial: 'CR-DUP-1', errors: ['serial CR-DUP-1 is already in the ledger'] },
    ]);
    expect(error.message).toContain('4');
    expect(await countRows(h().ctx, maintenanceAssets)).toBe(before);
  });

  it('imports a clean CSV and exports it back as the equipment ledger (设备台帐)', async () => {
    const csv = [
      'type,serial,model,outlet,status,samCardNo,purchaseDate,warrantyUntil',
      `CARD_PRINTER,CP-200,Evolis Primacy,${m.city.outletA.id},IN_SERVICE,SAM9003,2024-01-10,2027-01-09`,
      `TRANSPORT_CARD_READER,TC-200,JTK-3,${m.city.outletB.name},SPARE,,,`,
    ].join('\r\n');
    const res = await importFile('csv', csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 2 });
    const exported = await h().request('GET', '/api/v1/maintenance/assets/ledger?format=csv', { session: m.sessions.manager });
    expect(exported.statusCode).toBe(200);
    const lines = exported.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('设备类型,序列号,型号,网点,状态,SAM卡号,购置日期,保修截止,备件库');
    expect(lines).toContain(`制卡机,CP-200,Evolis Primacy,${m.city.outletA.name},在用,SAM9003,2024-01-10,2027-01-09,`);
    expect(lines).toContain(`交通卡读卡机,TC-200,JTK-3,${m.city.outletB.name},备用,,,,`);
  });

  it('reads XLSX: the exported workbook imported again is refused row by row as already in the ledger', async () => {
    const exported = await h().request('GET', '/api/v1/maintenance/assets/ledger?format=xlsx', { session: m.sessions.engineer });
    expect(exported.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const dataRows = wb.worksheets[0]!.rowCount - 1;
    expect(dataRows).toBe(await countRows(h().ctx, maintenanceAssets));
    const error = expectError(await importFile('xlsx', exported.rawPayload.toString('base64')), 400, 'ASSET_IMPORT_INVALID');
    const rows = (error.details as ImportError).rows;
    expect(rows).toHaveLength(dataRows);
    expect(rows.every((r) => r.errors.length === 1 && r.errors[0]!.endsWith('is already in the ledger'))).toBe(true);
  });
});

describe('software inventory', () => {
  type Software = { items: { item: string; version: string | null }[]; changes: { item: string; fromVersion: string | null; toVersion: string; actorName: string }[] };
  const put = (items: { item: string; version: string }[]) =>
    h().request('PUT', `/api/v1/maintenance/sites/${m.city.outletA.id}/software`, { session: m.sessions.engineer, body: { items } });

  it('lists the fourteen items of seed 001 table 1 and keeps each version change (old → new), not the unchanged ones', async () => {
    const first = await put([
      { item: 'RP_APPLICATION', version: '3.2.1' },
      { item: 'OPERATING_SYSTEM', version: '中标麒麟 7.0' },
    ]);
    expect(first.statusCode, first.body).toBe(200);
    const second = (await put([
      { item: 'RP_APPLICATION', version: '3.3.0' },
      { item: 'OPERATING_SYSTEM', version: '中标麒麟 7.0' },
    ])).json() as Software;
    expect(second.items).toHaveLength(14);
    expect(second.items.find((i) => i.item === 'RP_APPLICATION')?.version).toBe('3.3.0');
    expect(second.items.find((i) => i.item === 'BROWSER')?.version).toBeNull();
    expect(second.changes.map((c) => [c.item, c.fromVersion, c.toVersion]).sort()).toEqual(
      [
        ['OPERATING_SYSTEM', null, '中标麒麟 7.0'],
        ['RP_APPLICATION', '3.2.1', '3.3.0'],
        ['RP_APPLICATION', null, '3.2.1'],
      ].sort(),
    );
    expect(new Set(second.changes.map((c) => c.actorName))).toEqual(new Set([m.city.usernames.MAINTAINER_ENGINEER]));
  });

  it('refuses an item listed twice and an unknown item', async () => {
    expectError(await put([{ item: 'BROWSER', version: '11' }, { item: 'BROWSER', version: '12' }]), 400, 'VALIDATION_FAILED');
    expectError(await put([{ item: 'GAME', version: '1' }]), 400, 'VALIDATION_FAILED');
  });

  it('another outlet cannot read it', async () => {
    expectError(await h().request('GET', `/api/v1/maintenance/sites/${m.city.outletA.id}/software`, { session: m.sessions.clerkB }), 404, 'OUT_OF_SCOPE');
  });
});
