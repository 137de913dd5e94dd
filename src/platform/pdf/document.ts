import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/**
 * Printable documents (handover sheets, maintenance forms, statements) with Chinese text. The font
 * comes from an npm package, never from the system: a server may have no CJK font at all, and the
 * PDF must look the same wherever it is printed. pdfkit embeds only the glyphs a document uses, so a
 * one-page sheet is a few kilobytes although the font file is ten megabytes.
 */
const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;
const fonts = new Map<keyof typeof FONT_FILES, Buffer>();

function font(weight: keyof typeof FONT_FILES): Buffer {
  let data = fonts.get(weight);
  if (!data) {
    data = readFileSync(require.resolve(FONT_FILES[weight]));
    fonts.set(weight, data);
  }
  return data;
}

export type Pdf = PDFKit.PDFDocument;

const MARGIN = 50;
const FOOTER_SPACE = 30;

export function createPdf(opts: { title: string; lang: 'zh-CN' | 'en-US' }): Pdf {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER_SPACE, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: opts.lang,
    info: { Title: opts.title, Creator: 'cardflow', Producer: 'cardflow' },
  });
  doc.registerFont('regular', font('regular'));
  doc.registerFont('bold', font('bold'));
  doc.font('regular').fontSize(10);
  return doc;
}

export function title(doc: Pdf, text: string): void {
  doc.font('bold').fontSize(16).text(text, { align: 'center' }).moveDown(0.8).font('regular').fontSize(10);
}

/** Label–value pairs in two columns, e.g. the header facts of a sheet. */
export function facts(doc: Pdf, pairs: [string, string][]): void {
  const width = contentWidth(doc) / 2;
  const left = doc.page.margins.left;
  for (let i = 0; i < pairs.length; i += 2) {
    const y = doc.y;
    let bottom = y;
    for (const [col, pair] of [pairs[i], pairs[i + 1]].entries()) {
      if (!pair) continue;
      doc.font('bold').text(`${pair[0]}：`, left + col * width, y, { continued: true }).font('regular').text(pair[1] || '—', { width: width - 10 });
      bottom = Math.max(bottom, doc.y);
    }
    doc.x = left;
    doc.y = bottom + 2;
  }
  doc.moveDown(0.6);
}

export interface Column {
  header: string;
  /** Share of the content width; the shares of a table add up to 1. */
  width: number;
  align?: 'left' | 'right' | 'center';
}

const ROW_HEIGHT = 16;

/** A ruled table that continues on new pages, repeating its header row. */
export function table(doc: Pdf, columns: Column[], rows: string[][]): void {
  const left = doc.page.margins.left;
  const total = contentWidth(doc);
  const widths = columns.map((c) => c.width * total);
  const drawRow = (cells: string[], bold: boolean) => {
    if (doc.y + ROW_HEIGHT > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (!bold) drawRow(columns.map((c) => c.header), true);
    }
    const y = doc.y;
    let x = left;
    doc.font(bold ? 'bold' : 'regular').fontSize(9);
    cells.forEach((cell, i) => {
      doc.text(cell, x + 3, y + 3, { width: widths[i]! - 6, height: ROW_HEIGHT - 2, align: columns[i]!.align ?? 'left', lineBreak: false, ellipsis: true });
      doc.rect(x, y, widths[i]!, ROW_HEIGHT).lineWidth(0.5).stroke();
      x += widths[i]!;
    });
    doc.x = left;
    doc.y = y + ROW_HEIGHT;
  };
  drawRow(columns.map((c) => c.header), true);
  for (const row of rows) drawRow(row, false);
  doc.font('regular').fontSize(10).moveDown(0.8);
}

/** Lines for hand signatures and dates, side by side; moved to a new page rather than split. */
export function signatures(doc: Pdf, labels: string[], dateLabel: string): void {
  const height = 60;
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const width = contentWidth(doc) / labels.length;
  const y = doc.y + 10;
  labels.forEach((label, i) => {
    const x = doc.page.margins.left + i * width;
    doc.text(`${label}：`, x, y, { width: width - 10 });
    doc.moveTo(x, y + 30).lineTo(x + width - 20, y + 30).lineWidth(0.5).stroke();
    doc.text(`${dateLabel}：`, x, y + 36, { width: width - 10 });
  });
  doc.x = doc.page.margins.left;
  doc.y = y + height;
}

function contentWidth(doc: Pdf): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Numbers every page ("page n of m" in the caller's words) and returns the finished file. */
export async function finishPdf(doc: Pdf, footer: (page: number, pages: number) => string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Writing inside the bottom margin would otherwise make pdfkit start a new page.
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(8).text(footer(i + 1, range.count), doc.page.margins.left, doc.page.height - MARGIN, { width: contentWidth(doc), align: 'center' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
