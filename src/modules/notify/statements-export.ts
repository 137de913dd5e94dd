import ExcelJS from 'exceljs';
import type { Locale } from '../../platform/errors/app-error.ts';
import { createPdf, facts, finishPdf, table, title } from '../../platform/pdf/document.ts';
import type { FailureReportView, MonthlyStatementView } from './statements-service.ts';

const WORDS = {
  'zh-CN': {
    monthlyTitle: '短信服务月度使用清单',
    failureTitle: '季度发送失败报告',
    month: '统计月份',
    quarter: '统计季度',
    period: '统计期间',
    readyOn: '出具日期',
    dueBy: '报送期限',
    deliveryRate: '送达率',
    latency: '回执时延 P50/P95/P99',
    lines: '按发送单位与模板',
    org: '发送单位',
    template: '模板',
    noTemplate: '（无模板）',
    messages: '短信数',
    billedMessages: '计费短信',
    billedSegments: '计费条数',
    duplicates: '重复',
    notSent: '未发出',
    amount: '金额(元)',
    note: '计费条数：短信计费拆分后的条数，每条按合同单价计费。重复：同一号码、同一内容 10 分钟内再次发送，计数但不计费。未发出：排队、拦截、退订、提交前过期或被拒绝提交，不计费。',
    total: '合计',
    failures: '失败条数',
    reasons: '失败原因',
    reason: '原因代码',
    handsetFault: '号码原因',
    count: '条数',
    share: '占比（%）',
    days: '每日送达率',
    date: '日期',
    delivered: '成功送达',
    basis: '计入条数',
    yes: '是',
    no: '否',
    none: '无',
    page: (n: number, m: number) => `第 ${n} 页 / 共 ${m} 页`,
  },
  'en-US': {
    monthlyTitle: 'SMS monthly usage statement',
    failureTitle: 'Quarterly SMS failure report',
    month: 'Month',
    quarter: 'Quarter',
    period: 'Period',
    readyOn: 'Drawn up on',
    dueBy: 'Due to the authority by',
    deliveryRate: 'Delivery rate',
    latency: 'Receipt latency P50/P95/P99',
    lines: 'By sending organisation and template',
    org: 'Organisation',
    template: 'Template',
    noTemplate: '(no template)',
    messages: 'Messages',
    billedMessages: 'Billed',
    billedSegments: 'Segments',
    duplicates: 'Repeats',
    notSent: 'Not sent',
    amount: 'CNY',
    note: 'Segments: billed message parts, each at the contract price. Repeats: the same text to the same number within 10 minutes, counted and not billed. Not sent: queued, held, blocked, expired before submit or refused, not billed.',
    total: 'Total',
    failures: 'Failures',
    reasons: 'Failure reasons',
    reason: 'Reason code',
    handsetFault: 'Number fault',
    count: 'Count',
    share: 'Share (%)',
    days: 'Delivery rate per day',
    date: 'Date',
    delivered: 'Delivered',
    basis: 'Counted',
    yes: 'yes',
    no: 'no',
    none: 'none',
    page: (n: number, m: number) => `Page ${n} of ${m}`,
  },
} as const;

type Words = (typeof WORDS)[Locale];

interface Section {
  title: string;
  header: string[];
  rows: string[][];
  /** Leading columns that hold names rather than figures: left-aligned and wider. */
  textColumns?: number;
  note?: string;
}

/** What a statement or report prints: the PDF and the workbook render the same content. */
interface Printable {
  title: string;
  fileName: string;
  facts: [string, string][];
  sections: Section[];
}

/** Integer fen as yuan with two decimals, without going through floating point. */
export function fenToYuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

const dash = (v: number | string | null) => (v === null ? '—' : String(v));
const rate = (r: { percent: string | null }) => (r.percent === null ? '—' : `${r.percent}%`);

function monthlyPrintable(s: MonthlyStatementView, w: Words): Printable {
  const amounts = (t: MonthlyStatementView['totals']) => [String(t.messages), String(t.billedMessages), String(t.billedSegments), String(t.duplicates), String(t.notSent), fenToYuan(t.costFen)];
  return {
    title: w.monthlyTitle,
    fileName: `sms-statement-${s.month}`,
    facts: [
      [w.month, s.month],
      [w.period, `${s.from} ~ ${s.to}`],
      [w.readyOn, s.readyOn],
      [w.dueBy, s.dueBy],
      [w.deliveryRate, rate(s.deliveryRate)],
      [w.latency, `${[s.latencyMs.p50, s.latencyMs.p95, s.latencyMs.p99].map(dash).join(' / ')} ms`],
    ],
    sections: [
      {
        title: w.lines,
        header: [w.org, w.template, w.messages, w.billedMessages, w.billedSegments, w.duplicates, w.notSent, w.amount],
        rows: [...s.lines.map((l) => [l.senderOrgName, l.templateName ?? w.noTemplate, ...amounts(l)]), [w.total, '', ...amounts(s.totals)]],
        textColumns: 2,
        note: w.note,
      },
    ],
  };
}

function failurePrintable(r: FailureReportView, w: Words): Printable {
  return {
    title: w.failureTitle,
    fileName: `sms-failures-${r.quarter}`,
    facts: [
      [w.quarter, r.quarter],
      [w.period, `${r.from} ~ ${r.to}`],
      [w.failures, String(r.failures)],
    ],
    sections: [
      {
        title: w.reasons,
        header: [w.reason, w.handsetFault, w.count, w.share, ...r.months],
        rows: r.reasons.map((x) => [x.reason, x.handsetFault ? w.yes : w.no, String(x.count), x.share, ...x.byMonth.map(String)]),
      },
      { title: w.days, header: [w.date, w.delivered, w.basis, w.deliveryRate], rows: r.days.map((d) => [d.date, String(d.delivered), String(d.basis), rate(d)]) },
    ],
  };
}

async function toPdf(p: Printable, w: Words, lang: Locale): Promise<Buffer> {
  const doc = createPdf({ title: p.title, lang });
  title(doc, p.title);
  facts(doc, p.facts);
  for (const s of p.sections) {
    doc.font('bold').text(s.title).font('regular').moveDown(0.3);
    if (s.rows.length === 0) {
      doc.text(w.none).moveDown(0.8);
      continue;
    }
    const texts = s.textColumns ?? 1;
    const textShare = texts === 1 ? 0.3 : 0.44;
    table(
      doc,
      s.header.map((header, i) =>
        i < texts ? { header, width: textShare / texts, align: 'left' } : { header, width: (1 - textShare) / (s.header.length - texts), align: 'right' },
      ),
      s.rows,
    );
    if (s.note) doc.fontSize(8).text(s.note).fontSize(10).moveDown(0.8);
  }
  return finishPdf(doc, w.page);
}

async function toXlsx(p: Printable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cardflow';
  const ws = wb.addWorksheet(p.title);
  ws.addRow([p.title]).font = { bold: true, size: 14 };
  for (const [label, value] of p.facts) ws.addRow([label, value]);
  for (const s of p.sections) {
    ws.addRow([]);
    ws.addRow([s.title]).font = { bold: true };
    ws.addRow(s.header).font = { bold: true };
    const texts = s.textColumns ?? 1;
    // Counts and amounts go in as numbers so that the workbook can sum them.
    for (const row of s.rows) ws.addRow(row.map((cell, i) => (i >= texts && /^\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell)));
    if (s.note) ws.addRow([s.note]);
  }
  ws.columns.forEach((c) => (c.width = 20));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export type ExportFormat = 'pdf' | 'xlsx';

async function render(p: Printable, format: ExportFormat, lang: Locale): Promise<{ name: string; body: Buffer }> {
  const body = format === 'pdf' ? await toPdf(p, WORDS[lang], lang) : await toXlsx(p);
  return { name: `${p.fileName}.${format}`, body };
}

export function monthlyStatementFile(s: MonthlyStatementView, format: ExportFormat, lang: Locale) {
  return render(monthlyPrintable(s, WORDS[lang]), format, lang);
}

export function failureReportFile(r: FailureReportView, format: ExportFormat, lang: Locale) {
  return render(failurePrintable(r, WORDS[lang]), format, lang);
}
