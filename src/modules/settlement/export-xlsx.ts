import ExcelJS from 'exceljs';
import type { Locale } from '../../platform/errors/app-error.ts';
import { formatYuan } from './money.ts';
import { evidenceCell, printable, WORDS, type EvidenceList, type ExportStatementView, type Money, type Words } from './export-content.ts';

/**
 * A settlement statement as a workbook: the statement on the first sheet, each evidence list on a
 * sheet of its own. Amounts are number cells with a two-decimal format so the workbook can sum them;
 * the number is read from money.ts's exact decimal text, never computed in floating point.
 */

const YUAN_FORMAT = '#,##0.00';

const amountCell = (m: Money): number => Number(formatYuan(m.fen));

function section(ws: ExcelJS.Worksheet, heading: string, header: string[]): void {
  ws.addRow([]);
  ws.addRow([heading]).font = { bold: true };
  ws.addRow(header).font = { bold: true };
}

function amountRow(ws: ExcelJS.Worksheet, cells: (string | number | Money)[], opts: { bold?: boolean } = {}): void {
  const row = ws.addRow(cells.map((c) => (typeof c === 'object' ? amountCell(c) : c)));
  cells.forEach((c, i) => {
    if (typeof c === 'object') row.getCell(i + 1).numFmt = YUAN_FORMAT;
  });
  if (opts.bold) row.font = { bold: true };
}

/** Sheet names: at most 31 characters, none of []:*?/\ and unique in the workbook. */
function sheetName(n: number, title: string): string {
  return `${n} ${title}`.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

function evidenceSheet(wb: ExcelJS.Workbook, w: Words, n: number, list: EvidenceList): void {
  const ws = wb.addWorksheet(sheetName(n, list.title));
  ws.addRow([w.appendix(n, list.title, list.rows.length)]).font = { bold: true };
  ws.addRow(list.columns.map((c) => w.columns[c] ?? c)).font = { bold: true };
  // Card and batch numbers stay text (leading zeros, 19 digits); counts and days are numbers.
  for (const row of list.rows) ws.addRow(row.map((v) => (typeof v === 'number' ? v : evidenceCell(v, w))));
  ws.columns.forEach((c) => (c.width = 22));
}

export async function statementXlsx(view: ExportStatementView, evidence: readonly EvidenceList[], lang: Locale): Promise<{ name: string; body: Buffer }> {
  const w = WORDS[lang];
  const p = printable(view, evidence, lang);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cardflow';
  const ws = wb.addWorksheet(w.summarySheet);
  ws.addRow([p.title]).font = { bold: true, size: 14 };
  for (const [label, value] of p.facts) ws.addRow([label, value]);

  section(ws, w.lines, [w.item, w.count, w.unitPrice, w.amount]);
  for (const l of p.lines) {
    amountRow(ws, [l.label, l.count, l.unitPrice, l.amount]);
    // The unit price is the contract's exact text ("0.035"): as a number with two decimals it would read 0.04.
    ws.lastRow!.getCell(3).alignment = { horizontal: 'right' };
  }
  amountRow(ws, [w.gross, '', '', p.gross], { bold: true });
  for (const e of p.excluded) ws.addRow([`${w.excluded}：${e.label}`, e.count]);

  if (p.caps.length > 0) {
    section(ws, w.caps, [w.capScope, w.capLimit, w.capBefore, w.capRequested, w.capAllowed]);
    for (const c of p.caps) amountRow(ws, [c.scope, c.limit, c.billedBefore, c.requested, c.allowed]);
  }

  section(ws, w.penalties, [w.rule, w.amount, w.explanation]);
  for (const pen of p.penalties) amountRow(ws, [pen.label, pen.amount, pen.explanation]);

  section(ws, w.totals, [w.item, w.amount]);
  for (const t of p.totals) amountRow(ws, [t.label, t.amount], { bold: t.strong ?? false });

  ws.getColumn(1).width = 36;
  for (const c of [2, 3, 4, 5]) ws.getColumn(c).width = 20;

  p.evidence.forEach((list, i) => evidenceSheet(wb, w, i + 1, list));
  return { name: `${p.fileName}.xlsx`, body: Buffer.from(await wb.xlsx.writeBuffer()) };
}
