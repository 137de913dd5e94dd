import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { evidenceList, type ExportStatementView } from '../../src/modules/settlement/export-content.ts';
import { statementPdf } from '../../src/modules/settlement/export-pdf.ts';
import { statementXlsx } from '../../src/modules/settlement/export-xlsx.ts';
import type { CardEvidence, PenaltyEvidence } from '../../src/modules/settlement/evidence.ts';
import { formatUnitPrice, formatYuan } from '../../src/modules/settlement/money.ts';
import { SEED_000_PERMITS } from '../../src/modules/settlement/seed-contracts.ts';
import { buildStatement } from '../../src/modules/settlement/statement.ts';

/**
 * The exported statement is checked with the tools a reader would use: poppler renders the PDF to an
 * image and reads its text and fonts back, LibreOffice opens the workbook. Seed 000's first quarter,
 * with fewer cards: 120 accepted + 3 wasted for the authority's data (2 producer waste excluded) ×
 * 10.85 = 1,334.55; two batches 3 and 2 days late = 5 × 1‰ × 1,000,000.00 = 5,000.00; net −3,665.45.
 */

const c = SEED_000_PERMITS;
const Q1 = { start: '2023-07-20', end: '2023-10-19' };

const cards: CardEvidence[] = [
  ...Array.from({ length: 120 }, (_, i): CardEvidence => ({ kind: 'CARD', id: `card-${i}`, contractId: c.id, on: '2023-08-01', item: 'PERMIT_CARD', lot: null, cardNo: `3204${String(i).padStart(14, '0')}`, batchNo: 'CZ-2023-0142', outcome: 'ACCEPTED', wasteCause: null })),
  ...Array.from({ length: 3 }, (_, i): CardEvidence => ({ kind: 'CARD', id: `waste-a-${i}`, contractId: c.id, on: '2023-08-02', item: 'PERMIT_CARD', lot: null, cardNo: null, batchNo: 'CZ-2023-0142', outcome: 'WASTED', wasteCause: 'AUTHORITY_DATA' })),
  ...Array.from({ length: 2 }, (_, i): CardEvidence => ({ kind: 'CARD', id: `waste-p-${i}`, contractId: c.id, on: '2023-08-03', item: 'PERMIT_CARD', lot: null, cardNo: null, batchNo: 'CZ-2023-0187', outcome: 'WASTED', wasteCause: 'PRODUCER' })),
];
const late: PenaltyEvidence[] = [
  { kind: 'LATE_BATCH', id: 'late-1', contractId: c.id, on: '2023-09-05', batchNo: 'CZ-2023-0142', daysLate: 3 },
  { kind: 'LATE_BATCH', id: 'late-2', contractId: c.id, on: '2023-10-11', batchNo: 'CZ-2023-0187', daysLate: 2 },
];
const statement = buildStatement({ contract: c, period: Q1, usage: cards, penaltyEvidence: late, billedToDate: { total: 0, byLot: {} }, penaltiesToDate: {}, priorBreaches: 0 });

const view: ExportStatementView = {
  contractCode: c.contractNo,
  contractName: '常州市居住证制证服务',
  authorityName: '常州市公安局',
  supplierName: '常州安防证件服务有限公司',
  kind: 'ORIGINAL',
  periodStart: Q1.start,
  periodEnd: Q1.end,
  status: 'APPROVED',
  draftedAt: '2023-10-20T01:00:00.000Z',
  preparedBy: '王敏',
  submittedAt: '2023-10-20T02:00:00.000Z',
  approvedBy: '李强',
  approvedAt: '2023-10-21T03:00:00.000Z',
  statement,
  lines: statement.lines.map((l) => ({ key: `line:${l.item}`, label: l.label, count: l.count, unitPrice: formatUnitPrice(l.unitPrice), amount: formatYuan(l.amount), evidenceCount: l.evidenceIds.length })),
  penalties: statement.penalties.map((p) => ({ key: `penalty:${p.ruleId}`, rule: p.ruleId, kind: p.kind, label: p.kind, amount: formatYuan(p.amount), explanation: p.items.map((i) => i.formula).join('；'), evidenceCount: p.items.length })),
  billable: formatYuan(statement.billable),
  deductions: formatYuan(statement.deductions),
  additions: formatYuan(statement.additions),
  netPayable: formatYuan(statement.netPayable),
};

const evidence = [
  evidenceList(
    'line:PERMIT_CARD',
    '居住证（合格证件）',
    // The rows as the evidence endpoint gives them: the date, then the facts recorded for the card.
    cards.filter((e) => e.wasteCause !== 'PRODUCER').map((e) => ({ on: e.on, cardNo: e.cardNo, batchNo: e.batchNo, outcome: e.outcome, wasteCause: e.wasteCause, prefabricated: false })),
  ),
  evidenceList(
    'penalty:late-delivery',
    '逾期交付违约金',
    late.flatMap((e) => (e.kind === 'LATE_BATCH' ? [{ on: e.on, batchNo: e.batchNo, deliveredAt: `${e.on}T02:30:00.000Z`, daysLate: e.daysLate }] : [])),
  ),
];

const work = mkdtempSync(join(tmpdir(), 'settlement-export-'));
const shots = join(process.cwd(), 'test-results');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** An 8-bit grey or RGB, non-interlaced PNG (what `pdftoppm -png` writes) as a greyscale pixel reader. */
function decodePng(file: Buffer): { width: number; height: number; pixel: (x: number, y: number) => number } {
  expect(file.subarray(1, 4).toString('latin1')).toBe('PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 1;
  const idat: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.subarray(offset + 4, offset + 8).toString('latin1');
    const data = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[12]]).toEqual([8, 0]);
      expect([0, 2]).toContain(data[9]);
      channels = data[9] === 2 ? 3 : 1;
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const v = raw[y * (stride + 1) + 1 + i]!;
      const left = i >= channels ? out[y * stride + i - channels]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const upLeft = i >= channels && y > 0 ? out[(y - 1) * stride + i - channels]! : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, paeth()][filter]!;
      out[y * stride + i] = (v + predictor) & 0xff;
    }
  }
  return { width, height, pixel: (x, y) => out[y * stride + x * channels]! };
}

/** The bounding boxes pdftotext finds for each word of page 1, in PDF points. */
function wordBoxes(pdfFile: string): { word: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const html = run('pdftotext', ['-f', '1', '-l', '1', '-bbox', pdfFile, '-']);
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    word: m[5]!,
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
  }));
}

describe('settlement statement export', () => {
  it('prints the statement to the fen', () => {
    expect([formatYuan(statement.billable), formatYuan(statement.deductions), formatYuan(statement.netPayable)]).toEqual(['1334.55', '5000.00', '-3665.45']);
  });

  it('renders a PDF whose Chinese text is real glyphs from the embedded font, not boxes', async () => {
    const { name, body } = await statementPdf(view, evidence, 'zh-CN');
    expect(name).toBe('settlement-2023_0023-2023-07-20.pdf');
    const file = join(work, 'statement.pdf');
    writeFileSync(file, body);

    const fonts = run('pdffonts', [file]);
    const noto = fonts.split('\n').filter((l) => l.includes('NotoSansSC'));
    expect(noto.length).toBeGreaterThan(0);
    // pdffonts columns: name type encoding emb sub uni object ID: every Noto font embedded and subset.
    for (const l of noto) expect(l).toMatch(/\s+yes\s+yes\s+yes\s+/);

    const text = run('pdftotext', ['-layout', file, '-']);
    expect(text).toContain('合同结算单');
    expect(text).toContain('常州安防证件服务有限公司');
    expect(text).toMatch(/123\s+10\.85\s+1,334\.55/);
    expect(text).toContain('-3,665.45');
    expect(text).toContain('生产方原因废卡 2');
    expect(text).toContain('3 × 0.1% × 1000000.00 = 3000.00');
    // The appendix lists every paid card by number, and the late batches with their days.
    expect(text).toContain('附件 1：居住证（合格证件）（共 123 条）');
    expect(text).toContain('320400000000000119');
    expect(text).toContain('附件 2：逾期交付违约金（共 2 条）');
    expect(text).toContain('逾期交付违约金：5,000.00');

    const title = wordBoxes(file).find((w) => w.word === '合同结算单');
    expect(title).toBeDefined();
    run('pdftoppm', ['-r', '100', '-png', '-gray', '-f', '1', '-l', '1', '-singlefile', file, join(work, 'page1')]);
    const png = readFileSync(join(work, 'page1.png'));
    mkdirSync(shots, { recursive: true });
    writeFileSync(join(shots, 'settlement-statement-pdf-zh.png'), png);
    const image = decodePng(png);
    expect(image.width).toBe(827);

    // Noto Sans SC is monospaced for CJK: the title's five characters take equal cells.
    const scale = 100 / 72;
    const [x0, x1, y0, y1] = [title!.xMin, title!.xMax, title!.yMin, title!.yMax].map((v) => Math.round(v * scale)) as [number, number, number, number];
    const cell = (x1 - x0) / 5;
    const glyphs = Array.from({ length: 5 }, (_, i) => {
      const bits: number[] = [];
      for (let y = y0; y < y1; y++) for (let x = Math.round(x0 + i * cell); x < Math.round(x0 + (i + 1) * cell); x++) bits.push(image.pixel(x, y) < 128 ? 1 : 0);
      return bits;
    });
    for (const g of glyphs) expect(g.filter(Boolean).length).toBeGreaterThan(20);
    // A font without the glyphs draws the same .notdef box for every character: here each differs.
    for (let i = 0; i < glyphs.length; i++) {
      for (let j = i + 1; j < glyphs.length; j++) {
        const a = glyphs[i]!;
        const b = glyphs[j]!;
        const differing = a.filter((bit, k) => bit !== b[k]).length;
        expect(differing, `glyphs ${i} and ${j}`).toBeGreaterThan(a.length * 0.05);
      }
    }
  });

  it('prints in English for an English reader', async () => {
    const { body } = await statementPdf(view, evidence, 'en-US');
    const file = join(work, 'statement-en.pdf');
    writeFileSync(file, body);
    const text = run('pdftotext', ['-layout', file, '-']);
    expect(text).toContain('Settlement statement');
    expect(text).toContain('Net payable');
    expect(text).toContain('Attachment 1: 居住证（合格证件） (123 rows)');
  });

  it('writes a workbook LibreOffice opens, with the statement totals and one sheet per evidence list', async () => {
    const { name, body } = await statementXlsx(view, evidence, 'zh-CN');
    expect(name).toBe('settlement-2023_0023-2023-07-20.xlsx');
    const file = join(work, 'statement.xlsx');
    writeFileSync(file, body);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['结算单', '1 居住证（合格证件）', '2 逾期交付违约金']);
    const net = wb.worksheets[0]!.getRows(1, wb.worksheets[0]!.rowCount)!.find((r) => r.getCell(1).value === '应付净额')!;
    expect(net.getCell(2).value).toBe(-3665.45);
    expect(net.getCell(2).numFmt).toBe('#,##0.00');

    // LibreOffice's CSV filter; the last token (-1) writes every sheet to a file of its own.
    const out = join(work, 'csv');
    execFileSync(
      'libreoffice',
      [`-env:UserInstallation=file://${join(work, 'lo-profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', out, file],
      { stdio: 'pipe', timeout: 120_000 },
    );
    const csv = (sheet: string) => readFileSync(join(out, readdirSync(out).find((f) => f.endsWith(`-${sheet}.csv`))!), 'utf8').split('\n');
    const summary = csv('结算单');
    // Cells as shown: numbers in the two-decimal format, equal to the statement's to the fen.
    const row = (label: string) => summary.find((l) => l.startsWith(`${label},`))?.replace(/,+$/, '');
    const shown = (fen: number) => `"${formatYuan(fen, { grouping: true })}"`;
    expect(row('居住证（合格证件）')).toBe(`居住证（合格证件）,123,10.85,${shown(statement.lines[0]!.amount)}`);
    expect(row('本期结算金额')).toBe(`本期结算金额,${shown(statement.billable)}`);
    expect(row('扣款合计')).toBe(`扣款合计,${shown(statement.deductions)}`);
    expect(row('应付净额')).toBe('应付净额,"-3,665.45"');
    const cardsSheet = csv('1 居住证（合格证件）').filter((l) => l.trim() !== '');
    expect(cardsSheet).toHaveLength(2 + 123);
    expect(cardsSheet).toContain('2023-08-01,320400000000000119,CZ-2023-0142,已验收,—,否');
    expect(csv('2 逾期交付违约金')).toContain('2023-09-05,CZ-2023-0142,2023-09-05 10:30,3');
  }, 180_000);
});
