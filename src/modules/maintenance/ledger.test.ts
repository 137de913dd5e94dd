import { describe, expect, it } from 'vitest';
import { ASSET_TYPE_CODES, SAM_ASSET_TYPES, assetProblems, assetTypeOf, checkLedgerRows, type AssetFields } from './ledger.ts';

const SITES = new Map([
  ['徐汇网点', '11111111-1111-4111-8111-111111111111'],
  ['22222222-2222-4222-8222-222222222222', '22222222-2222-4222-8222-222222222222'],
]);
const resolve = (text: string) => SITES.get(text);
const HEADER = ['设备类型', '序列号', '型号', '网点', '状态', 'SAM卡号', '购置日期', '保修截止'];
const rows = (...r: string[][]) => r.map((fields, i) => ({ row: i + 2, fields }));

describe('equipment types (seed 001 table 1)', () => {
  it('has the twelve hardware items, four of them with a SAM card', () => {
    expect(ASSET_TYPE_CODES).toHaveLength(12);
    expect(SAM_ASSET_TYPES).toEqual(['CARD_PRINTER', 'PIN_PAD_READER', 'CARD_READER', 'REWRITABLE_DEVICE']);
  });

  it('reads a type by code or by its Chinese name', () => {
    expect(assetTypeOf('card_printer')).toBe('CARD_PRINTER');
    expect(assetTypeOf('制卡机')).toBe('CARD_PRINTER');
    expect(assetTypeOf('USB转接设备')).toBe('USB_ADAPTER');
    expect(assetTypeOf('打字机')).toBeUndefined();
  });
});

describe('asset checks', () => {
  const pc: AssetFields = { type: 'DESKTOP_PC', serial: 'PC-001', model: 'ThinkCentre M720', status: 'IN_SERVICE', samCardNo: null, purchaseDate: '2024-03-01', warrantyUntil: '2027-02-28' };

  it('accepts a plain asset', () => {
    expect(assetProblems(pc)).toEqual([]);
  });

  it('refuses a SAM card on a device that holds none, a warranty ending before purchase and a bad serial', () => {
    expect(assetProblems({ ...pc, serial: ' bad serial', samCardNo: 'SAM0001', warrantyUntil: '2024-02-01' })).toEqual([
      'serial must be 1–64 letters, digits or . _ / -, starting with a letter or digit',
      'a DESKTOP_PC holds no SAM card',
      'the warranty cannot end before the purchase',
    ]);
    expect(assetProblems({ ...pc, type: 'CARD_READER', samCardNo: 'SAM0001' })).toEqual([]);
  });
});

describe('ledger file checks', () => {
  it('reads a clean file with Chinese headers, names and defaults', () => {
    const result = checkLedgerRows(HEADER, rows(['制卡机', 'CP-1', 'Evolis Primacy', '徐汇网点', '', 'SAM12345', '2024-01-02', '']), resolve, new Set());
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      { row: 2, type: 'CARD_PRINTER', serial: 'CP-1', model: 'Evolis Primacy', status: 'IN_SERVICE', samCardNo: 'SAM12345', purchaseDate: '2024-01-02', warrantyUntil: null, siteOrgId: SITES.get('徐汇网点') },
    ]);
  });

  it('lists every bad row: duplicate serial in the file and in the ledger, unknown type, outlet and status', () => {
    const result = checkLedgerRows(
      ['type', 'serial', 'model', 'outlet', 'status'],
      rows(
        ['DESKTOP_PC', 'PC-1', 'M720', '徐汇网点', 'IN_SERVICE'],
        ['DESKTOP_PC', 'pc-1', 'M720', '徐汇网点', 'IN_SERVICE'],
        ['打字机', 'TW-1', 'X', '徐汇网点', ''],
        ['SCANNER', 'SC-1', 'X', '不存在的网点', '丢失'],
        ['SCANNER', 'OLD-7', 'X', '徐汇网点', ''],
      ),
      resolve,
      new Set(['OLD-7']),
    );
    expect(result.rows.map((r) => r.serial)).toEqual(['PC-1']);
    expect(result.errors).toEqual([
      { row: 3, serial: 'pc-1', errors: ['serial pc-1 is also on row 2'] },
      { row: 4, serial: 'TW-1', errors: ['unknown equipment type "打字机"'] },
      { row: 5, serial: 'SC-1', errors: ['unknown status "丢失"', 'unknown outlet "不存在的网点"'] },
      { row: 6, serial: 'OLD-7', errors: ['serial OLD-7 is already in the ledger'] },
    ]);
  });

  it('refuses unknown and missing columns before looking at rows', () => {
    const result = checkLedgerRows(['type', 'serial', 'colour'], rows(['DESKTOP_PC', 'PC-1', 'red']), resolve, new Set());
    expect(result.headerProblems).toEqual(['unknown column "colour"', 'column "model" is missing', 'column "outlet" is missing']);
    expect(result.rows).toEqual([]);
  });
});
