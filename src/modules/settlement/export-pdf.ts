import type { Locale } from '../../platform/errors/app-error.ts';
import { createPdf, facts, finishPdf, signatures, table, title, type Pdf } from '../../platform/pdf/document.ts';
import { evidenceCell, printable, WORDS, type EvidenceList, type ExportStatementView, type Words } from './export-content.ts';

/**
 * A settlement statement as a PDF: header facts (contract, parties, period, status, approvals), the
 * billable lines, caps, penalties with the numbers behind them, the totals and signature lines, then
 * each evidence list as an appendix. Chinese text is drawn with the embedded Noto Sans SC of
 * platform/pdf, never a system font.
 */

function heading(doc: Pdf, text: string): void {
  doc.font('bold').fontSize(11).text(text).font('regular').fontSize(10).moveDown(0.3);
}

/** Width of a text in half-width characters: a CJK character takes two. */
function textWidth(text: string): number {
  let n = 2;
  for (const ch of text) n += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return n;
}

function appendix(doc: Pdf, w: Words, n: number, list: EvidenceList): void {
  doc.addPage();
  heading(doc, w.appendix(n, list.title, list.rows.length));
  if (list.rows.length === 0) {
    doc.text(w.none);
    return;
  }
  const headers = list.columns.map((c) => w.columns[c] ?? c);
  const rows = list.rows.map((row) => row.map((v) => evidenceCell(v, w)));
  // Columns as wide as their longest text, so an 18-digit card number is never cut off.
  const widths = headers.map((h, i) => Math.max(textWidth(h), ...rows.map((r) => textWidth(r[i] ?? ''))));
  const total = widths.reduce((a, b) => a + b, 0);
  table(
    doc,
    headers.map((header, i) => ({ header, width: widths[i]! / total })),
    rows,
  );
}

export async function statementPdf(view: ExportStatementView, evidence: readonly EvidenceList[], lang: Locale): Promise<{ name: string; body: Buffer }> {
  const w = WORDS[lang];
  const p = printable(view, evidence, lang);
  const doc = createPdf({ title: `${p.title} ${view.contractCode} ${view.periodStart} ~ ${view.periodEnd}`, lang });
  title(doc, p.title);
  facts(doc, p.facts);

  heading(doc, w.lines);
  table(
    doc,
    [
      { header: w.item, width: 0.46 },
      { header: w.count, width: 0.14, align: 'right' },
      { header: w.unitPrice, width: 0.18, align: 'right' },
      { header: w.amount, width: 0.22, align: 'right' },
    ],
    [...p.lines.map((l) => [l.label, String(l.count), l.unitPrice, l.amount.text]), [w.gross, '', '', p.gross.text]],
  );
  if (p.excluded.length > 0) {
    doc
      .fontSize(9)
      .text(`${w.excluded}：${p.excluded.map((e) => `${e.label} ${e.count}`).join('；')}`)
      .fontSize(10)
      .moveDown(0.8);
  }

  if (p.caps.length > 0) {
    heading(doc, w.caps);
    table(
      doc,
      [
        { header: w.capScope, width: 0.2 },
        { header: w.capLimit, width: 0.2, align: 'right' },
        { header: w.capBefore, width: 0.2, align: 'right' },
        { header: w.capRequested, width: 0.2, align: 'right' },
        { header: w.capAllowed, width: 0.2, align: 'right' },
      ],
      p.caps.map((c) => [c.scope, c.limit.text, c.billedBefore.text, c.requested.text, c.allowed.text]),
    );
  }

  heading(doc, w.penalties);
  if (p.penalties.length === 0) doc.text(w.noPenalties).moveDown(0.8);
  for (const pen of p.penalties) {
    doc.font('bold').text(`${pen.label}：${pen.amount.text}`).font('regular');
    doc.fontSize(9).text(pen.explanation, { indent: 12 }).fontSize(10).moveDown(0.4);
  }
  doc.moveDown(0.4);

  heading(doc, w.totals);
  table(
    doc,
    [
      { header: w.item, width: 0.6 },
      { header: w.amount, width: 0.4, align: 'right' },
    ],
    p.totals.map((t) => [t.label, t.amount.text]),
  );
  signatures(doc, [w.signPrepared, w.signApproved, w.signSupplier], w.date);

  p.evidence.forEach((list, i) => appendix(doc, w, i + 1, list));
  return { name: `${p.fileName}.pdf`, body: await finishPdf(doc, w.page) };
}
