import { isValidDate } from '../calendar/zone.ts';

/**
 * The equipment ledger (设备台帐, issue item 2): equipment types from seed 001 table 1, asset statuses,
 * and the checks of a ledger file. Pure; the service looks up outlets and existing serials.
 */

/** Seed 001 table 1 (hardware), in the contract's order; `sam` marks the devices that hold a SAM card. */
export const ASSET_TYPES = {
  DESKTOP_PC: { zh: '桌面计算机', en: 'Desktop PC', sam: false },
  CARD_PRINTER: { zh: '制卡机', en: 'Card printer', sam: true },
  FLATBED_PRINTER: { zh: '平推式打印机', en: 'Flatbed printer', sam: false },
  PIN_PAD_READER: { zh: '密码键盘读卡器', en: 'PIN-pad card reader', sam: true },
  PHOTO_KIT: { zh: '拍照采集系统', en: 'Photo capture kit', sam: false },
  FISCAL_DONGLE: { zh: '财政收费加密狗', en: 'Fiscal charging dongle', sam: false },
  CARD_READER: { zh: '读卡机', en: 'Card reader', sam: true },
  ID_CARD_READER: { zh: '身份证识别读卡器', en: 'ID card reader', sam: false },
  REWRITABLE_DEVICE: { zh: '可擦写设备', en: 'Rewritable-card device', sam: true },
  SCANNER: { zh: '影像采集扫描仪', en: 'Image scanner', sam: false },
  USB_ADAPTER: { zh: 'USB 转接设备', en: 'USB adapter', sam: false },
  TRANSPORT_CARD_READER: { zh: '交通卡读卡机', en: 'Transport card reader', sam: false },
} as const;
export type AssetType = keyof typeof ASSET_TYPES;
export const ASSET_TYPE_CODES = Object.keys(ASSET_TYPES) as AssetType[];
export const SAM_ASSET_TYPES = ASSET_TYPE_CODES.filter((t) => ASSET_TYPES[t].sam);

/** Seed 001 table 1 (software): what each outlet runs, kept with its installed version. */
export const SOFTWARE_ITEMS = {
  RP_APPLICATION: { zh: '居住证申领软件', en: 'Residence permit application software' },
  OPERATING_SYSTEM: { zh: '操作系统及驱动程序（WinXP、Win7、中标麒麟）', en: 'Operating system and drivers (WinXP, Win7, NeoKylin)' },
  RARE_CHARACTERS: { zh: '冷僻字软件及字库更新文件', en: 'Rare-character software and font updates' },
  PHOTO_CAPTURE: { zh: '数码采集系统软件和相关驱动', en: 'Digital capture software and drivers' },
  ID_READER_DRIVER: { zh: '身份证识别读卡器驱动', en: 'ID card reader driver' },
  CARD_PRINTER_DRIVER: { zh: '打印制卡机驱动', en: 'Card printer driver' },
  DASCOM_PRINTER_DRIVER: { zh: '得实打印机驱动', en: 'Dascom printer driver' },
  BROWSER: { zh: 'IE6.0 以上版本浏览器', en: 'Browser (IE 6.0 or later)' },
  IMAGE_CAPTURE: { zh: '影像采集软件', en: 'Image capture software' },
  CARD_READER_DRIVER: { zh: '读卡机驱动', en: 'Card reader driver' },
  CAMERA_DRIVER: { zh: '照相机驱动', en: 'Camera driver' },
  FISCAL_SUITE: { zh: '财政收费套装软件（加密认证）', en: 'Fiscal charging suite (encrypted authentication)' },
  REWRITABLE_DRIVER: { zh: '可擦写设备驱动', en: 'Rewritable-card device driver' },
  USB_ADAPTER_DRIVERS: { zh: '各类 USB 转接设备驱动', en: 'USB adapter drivers' },
} as const;
export type SoftwareItem = keyof typeof SOFTWARE_ITEMS;
export const SOFTWARE_ITEM_CODES = Object.keys(SOFTWARE_ITEMS) as SoftwareItem[];

export const ASSET_STATUSES = {
  IN_SERVICE: '在用',
  FAULTY: '故障',
  IN_REPAIR: '维修中',
  SPARE: '备用',
  RETIRED: '报废',
} as const;
export type AssetStatus = keyof typeof ASSET_STATUSES;
export const ASSET_STATUS_CODES = Object.keys(ASSET_STATUSES) as AssetStatus[];

export interface AssetFields {
  type: AssetType;
  serial: string;
  model: string;
  status: AssetStatus;
  samCardNo: string | null;
  purchaseDate: string | null;
  warrantyUntil: string | null;
}

const SERIAL = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const SAM_NO = /^[A-Za-z0-9]{4,32}$/;

export function assetTypeOf(text: string): AssetType | undefined {
  const t = text.trim();
  if ((ASSET_TYPE_CODES as string[]).includes(t.toUpperCase())) return t.toUpperCase() as AssetType;
  return ASSET_TYPE_CODES.find((code) => ASSET_TYPES[code].zh === t || ASSET_TYPES[code].zh.replace(/\s/g, '') === t.replace(/\s/g, ''));
}

export function assetStatusOf(text: string): AssetStatus | undefined {
  const t = text.trim();
  if ((ASSET_STATUS_CODES as string[]).includes(t.toUpperCase())) return t.toUpperCase() as AssetStatus;
  return ASSET_STATUS_CODES.find((code) => ASSET_STATUSES[code] === t);
}

/** Every problem of an asset's fields (serial, SAM card only where the device holds one, date order). */
export function assetProblems(a: AssetFields): string[] {
  const problems: string[] = [];
  if (!SERIAL.test(a.serial)) problems.push('serial must be 1–64 letters, digits or . _ / -, starting with a letter or digit');
  if (a.model.trim() === '' || a.model.length > 100) problems.push('model must have 1 to 100 characters');
  if (a.samCardNo !== null) {
    if (!ASSET_TYPES[a.type].sam) problems.push(`a ${a.type} holds no SAM card`);
    else if (!SAM_NO.test(a.samCardNo)) problems.push('SAM card number must be 4–32 letters or digits');
  }
  if (a.purchaseDate !== null && !isValidDate(a.purchaseDate)) problems.push('purchase date must be a real YYYY-MM-DD date');
  if (a.warrantyUntil !== null && !isValidDate(a.warrantyUntil)) problems.push('warranty end must be a real YYYY-MM-DD date');
  if (a.purchaseDate && a.warrantyUntil && isValidDate(a.purchaseDate) && isValidDate(a.warrantyUntil) && a.warrantyUntil < a.purchaseDate) {
    problems.push('the warranty cannot end before the purchase');
  }
  return problems;
}

/** Column titles of the exported ledger; an import accepts these or the field names. */
export const LEDGER_COLUMNS = [
  { key: 'type', title: '设备类型' },
  { key: 'serial', title: '序列号' },
  { key: 'model', title: '型号' },
  { key: 'outlet', title: '网点' },
  { key: 'status', title: '状态' },
  { key: 'samCardNo', title: 'SAM卡号' },
  { key: 'purchaseDate', title: '购置日期' },
  { key: 'warrantyUntil', title: '保修截止' },
  // Where a spare is stocked. Export only: spares enter a depot through the spare-parts register, which keeps the share counts right.
  { key: 'depot', title: '备件库' },
] as const;
type LedgerKey = (typeof LEDGER_COLUMNS)[number]['key'];

export interface LedgerRowError {
  row: number;
  serial: string | null;
  errors: string[];
}

export interface LedgerRow extends AssetFields {
  row: number;
  siteOrgId: string;
}

/** Which column holds which field, from the header row; unknown headers are an error so typos do not drop data. */
export function ledgerHeader(header: readonly string[]): { columns: Map<LedgerKey, number>; problems: string[] } {
  const columns = new Map<LedgerKey, number>();
  const problems: string[] = [];
  header.forEach((raw, i) => {
    const name = raw.replace(/^\uFEFF/, '').trim();
    if (name === '') return;
    const column = LEDGER_COLUMNS.find((c) => c.key.toLowerCase() === name.toLowerCase() || c.title === name);
    if (!column) problems.push(`unknown column "${name}"`);
    else if (columns.has(column.key)) problems.push(`column "${name}" appears twice`);
    else columns.set(column.key, i);
  });
  for (const required of ['type', 'serial', 'model', 'outlet'] as const) {
    if (!columns.has(required)) problems.push(`column "${required}" is missing`);
  }
  return { columns, problems };
}

/**
 * Checks every data row of a ledger file (all or nothing: the caller imports only when no row has an
 * error). `siteByName` resolves the outlet column (an organisation id or its exact name);
 * `existingSerials` are the serials already in the ledger.
 */
export function checkLedgerRows(
  header: readonly string[],
  rows: readonly { row: number; fields: readonly string[] }[],
  resolveSite: (text: string) => string | undefined,
  existingSerials: ReadonlySet<string>,
): { rows: LedgerRow[]; errors: LedgerRowError[]; headerProblems: string[] } {
  const { columns, problems } = ledgerHeader(header);
  if (problems.length > 0) return { rows: [], errors: [], headerProblems: problems };
  const cell = (fields: readonly string[], key: LedgerKey) => {
    const i = columns.get(key);
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
  const out: LedgerRow[] = [];
  const errors: LedgerRowError[] = [];
  const firstRowOfSerial = new Map<string, number>();
  for (const { row, fields } of rows) {
    if (fields.every((f) => f.trim() === '')) continue;
    const rowErrors: string[] = [];
    const serial = cell(fields, 'serial');
    const typeText = cell(fields, 'type');
    const type = assetTypeOf(typeText);
    if (!type) rowErrors.push(`unknown equipment type "${typeText}"`);
    const statusText = cell(fields, 'status');
    const status = statusText === '' ? 'IN_SERVICE' : assetStatusOf(statusText);
    if (!status) rowErrors.push(`unknown status "${statusText}"`);
    if (cell(fields, 'depot') !== '') rowErrors.push('the depot column is not imported: receive spares into a depot on the spare-parts page');
    const outletText = cell(fields, 'outlet');
    const siteOrgId = resolveSite(outletText);
    if (!siteOrgId) rowErrors.push(`unknown outlet "${outletText}"`);
    const key = serial.toUpperCase();
    const earlier = firstRowOfSerial.get(key);
    if (earlier !== undefined) rowErrors.push(`serial ${serial} is also on row ${earlier}`);
    else if (existingSerials.has(key)) rowErrors.push(`serial ${serial} is already in the ledger`);
    if (serial !== '' && earlier === undefined) firstRowOfSerial.set(key, row);
    const fieldsOf: AssetFields = {
      type: type ?? 'DESKTOP_PC',
      serial,
      model: cell(fields, 'model'),
      status: status ?? 'IN_SERVICE',
      samCardNo: cell(fields, 'samCardNo') || null,
      purchaseDate: cell(fields, 'purchaseDate') || null,
      warrantyUntil: cell(fields, 'warrantyUntil') || null,
    };
    // The SAM check needs the real type; with an unknown type it would only repeat that error.
    for (const p of assetProblems(fieldsOf)) if (type || !p.includes('holds no SAM card')) rowErrors.push(p);
    if (rowErrors.length > 0) errors.push({ row, serial: serial || null, errors: rowErrors });
    else out.push({ ...fieldsOf, row, siteOrgId: siteOrgId! });
  }
  return { rows: out, errors, headerProblems: [] };
}
