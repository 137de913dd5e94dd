import ExcelJS from 'exceljs';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Locale } from '../../platform/errors/app-error.ts';
import { createPdf, facts, finishPdf, signatures, table, title } from '../../platform/pdf/document.ts';
import { ASSET_STATUSES, ASSET_TYPES, type AssetStatus, type AssetType } from './ledger.ts';
import type { ReportContent, ReportKind, ReportStatus, SlaSummary } from './reports-rules.ts';
import { getReport } from './reports-service.ts';
import { BREACH_KINDS, type BreachKind } from './sla.ts';

const WORDS = {
  'zh-CN': {
    titles: { WEEKLY: '网点运维周报表', MONTHLY: '网点运维月报表', ANNUAL: '运维工作年度总结' } as Record<ReportKind, string>,
    contract: '运维合同',
    period: '报告期间',
    dueDate: '提交期限',
    status: '状态',
    statuses: { DRAFT: '草稿', SUBMITTED: '已提交', ACCEPTED: '已验收', RETURNED: '已退回' } as Record<ReportStatus, string>,
    submittedAt: '提交时间',
    late: '逾期提交',
    yes: '是',
    no: '否',
    outlets: '服务网点数',
    asOf: '数据截至',
    visits: '月度维护',
    month: '月份',
    signed: '已签字维护单',
    missing: '未完成网点',
    preventiveSigned: '本期签字维护单',
    photoSigned: '本期上门拍照',
    tickets: '故障工单',
    opened: '本期报修',
    resolved: '已修复',
    category: '故障类别',
    assetType: '设备类型',
    count: '数量',
    sla: '响应与修复时限',
    clock: '时限',
    response: '响应',
    fix: '修复',
    met: '达标',
    missed: '超时',
    running: '未完成',
    p50: '中位用时（分钟）',
    p90: '90% 用时（分钟）',
    breaches: '违约记录',
    kind: '类型',
    breachKinds: { LATE_RESPONSE: '响应超时', LATE_FIX: '修复超时', MISSED_VISIT: '未按月维护', LATE_REPORT: '报告逾期' } as Record<BreachKind, string>,
    inTerm: '合同期内违约累计',
    threshold: '解约阈值',
    assets: '设备台帐',
    total: '合计',
    spares: '备件缺口',
    attendance: '驻场人员考勤',
    posts: '驻场岗位数',
    shiftsPlanned: '应到班次',
    attended: '实到班次',
    lateShifts: '迟到',
    absent: '缺勤',
    uncoveredMinutes: '无人值守时长（分钟）',
    required: '应备',
    inStock: '库存',
    shortfall: '缺口',
    none: '无',
    reviewer: '甲方审核',
    maintainer: '乙方填报',
    dateLabel: '日期',
    page: (n: number, m: number) => `第 ${n} 页 / 共 ${m} 页`,
  },
  'en-US': {
    titles: { WEEKLY: 'Weekly maintenance report', MONTHLY: 'Monthly maintenance report', ANNUAL: 'Annual maintenance summary' } as Record<ReportKind, string>,
    contract: 'Contract',
    period: 'Period',
    dueDate: 'Due',
    status: 'Status',
    statuses: { DRAFT: 'draft', SUBMITTED: 'submitted', ACCEPTED: 'accepted', RETURNED: 'returned' } as Record<ReportStatus, string>,
    submittedAt: 'Submitted',
    late: 'Submitted late',
    yes: 'yes',
    no: 'no',
    outlets: 'Outlets served',
    asOf: 'Figures as of',
    visits: 'Monthly visits',
    month: 'Month',
    signed: 'Signed forms',
    missing: 'Outlets missed',
    preventiveSigned: 'Forms signed in the period',
    photoSigned: 'Photo visits in the period',
    tickets: 'Fault tickets',
    opened: 'Opened',
    resolved: 'Resolved',
    category: 'Category',
    assetType: 'Equipment',
    count: 'Count',
    sla: 'Response and fix times',
    clock: 'Clock',
    response: 'Response',
    fix: 'Fix',
    met: 'Met',
    missed: 'Missed',
    running: 'Running',
    p50: 'Median (min)',
    p90: '90th percentile (min)',
    breaches: 'Breaches',
    kind: 'Kind',
    breachKinds: { LATE_RESPONSE: 'Late response', LATE_FIX: 'Late fix', MISSED_VISIT: 'Missed visit', LATE_REPORT: 'Late report' } as Record<BreachKind, string>,
    inTerm: 'Breaches in the term',
    threshold: 'Termination threshold',
    assets: 'Equipment ledger',
    total: 'Total',
    spares: 'Spare shortfalls',
    attendance: 'Staff attendance',
    posts: 'On-site posts',
    shiftsPlanned: 'Shifts planned',
    attended: 'Shifts attended',
    lateShifts: 'Late',
    absent: 'Absent',
    uncoveredMinutes: 'Uncovered time (min)',
    required: 'Required',
    inStock: 'In stock',
    shortfall: 'Shortfall',
    none: 'none',
    reviewer: 'Client review',
    maintainer: 'Maintainer',
    dateLabel: 'Date',
    page: (n: number, m: number) => `Page ${n} of ${m}`,
  },
} as const;

type Words = (typeof WORDS)[Locale];
type Report = Awaited<ReturnType<typeof getReport>>;

function assetTypeName(type: string, lang: Locale): string {
  const t = ASSET_TYPES[type as AssetType];
  return t ? (lang === 'zh-CN' ? t.zh : t.en) : type;
}

function assetStatusName(status: string, lang: Locale): string {
  return lang === 'zh-CN' ? (ASSET_STATUSES[status as AssetStatus] ?? status) : status;
}

const numberOrDash = (n: number | null) => (n === null ? '—' : String(n));

interface Section {
  title: string;
  header: string[];
  rows: string[][];
}

/** The report's tables, each a title, a header and rows: the PDF and the workbook print the same. */
function sections(r: Report, w: Words, lang: Locale): Section[] {
  const c: ReportContent = r.content;
  const slaRow = (label: string, s: SlaSummary) => [label, String(s.met), String(s.missed), String(s.running), numberOrDash(s.p50Minutes), numberOrDash(s.p90Minutes)];
  const out: Section[] = [
    {
      title: w.visits,
      header: [w.month, w.outlets, w.signed, w.missing],
      rows: [...c.visits.months.map((m) => [m.month, String(m.outlets), String(m.signed), String(m.missing)]), [w.preventiveSigned, String(c.visits.preventiveSigned), w.photoSigned, String(c.visits.photoSigned)]],
    },
    {
      title: w.tickets,
      header: [w.category, w.count],
      rows: [[w.opened, String(c.tickets.opened)], [w.resolved, String(c.tickets.resolved)], ...c.tickets.byCategory.map((x) => [x.category, String(x.count)])],
    },
    { title: `${w.tickets} · ${w.assetType}`, header: [w.assetType, w.count], rows: c.tickets.byAssetType.map((x) => [assetTypeName(x.type, lang), String(x.count)]) },
    {
      title: w.sla,
      header: [w.clock, w.met, w.missed, w.running, w.p50, w.p90],
      rows: [slaRow(w.response, c.tickets.response), ...(c.tickets.fix ? [slaRow(w.fix, c.tickets.fix)] : [])],
    },
    {
      title: w.breaches,
      header: [w.kind, w.count],
      rows: [
        ...BREACH_KINDS.map((k) => [w.breachKinds[k], String(c.breaches.byKind[k])]),
        [w.total, String(c.breaches.total)],
        [w.inTerm, String(c.breaches.inTerm)],
        [w.threshold, numberOrDash(c.breaches.terminationThreshold)],
      ],
    },
    {
      title: w.assets,
      header: [w.status, w.count],
      rows: [...Object.entries(c.assets.byStatus).map(([s, n]) => [assetStatusName(s, lang), String(n)]), [w.total, String(c.assets.total)]],
    },
  ];
  if (c.spareShortfalls) {
    out.push({
      title: w.spares,
      header: [w.assetType, w.required, w.inStock, w.shortfall],
      rows: c.spareShortfalls.map((s) => [assetTypeName(s.type, lang), String(s.required), String(s.inStock), String(s.shortfall)]),
    });
  }
  if (c.staffAttendance) {
    const a = c.staffAttendance;
    out.push({
      title: w.attendance,
      header: [w.kind, w.count],
      rows: [
        [w.posts, String(a.posts)],
        [w.shiftsPlanned, String(a.shiftsPlanned)],
        [w.attended, String(a.attended)],
        [w.lateShifts, String(a.late)],
        [w.absent, String(a.absent)],
        [w.uncoveredMinutes, String(a.uncoveredMinutes)],
      ],
    });
  }
  return out;
}

function headerFacts(r: Report, w: Words): [string, string][] {
  return [
    [w.contract, r.contractName],
    [w.period, `${r.periodStart} ~ ${r.periodEnd}`],
    [w.dueDate, r.dueDate],
    [w.status, w.statuses[r.status]],
    [w.submittedAt, r.firstSubmittedAtLocal ?? ''],
    [w.late, r.late ? w.yes : w.no],
    [w.outlets, String(r.content.outlets)],
    [w.asOf, r.content.asOf.slice(0, 10)],
  ];
}

function fileName(r: Report): string {
  return `maintenance-report-${r.kind.toLowerCase()}-${r.periodStart}`;
}

export async function reportPdf(ctx: AppContext, principal: Principal, id: string, lang: Locale): Promise<{ name: string; pdf: Buffer }> {
  const r = await getReport(ctx, principal, id);
  const w = WORDS[lang];
  const doc = createPdf({ title: `${w.titles[r.kind]} ${r.periodStart}`, lang });
  title(doc, w.titles[r.kind]);
  facts(doc, headerFacts(r, w));
  for (const s of sections(r, w, lang)) {
    doc.font('bold').text(s.title).font('regular').moveDown(0.3);
    if (s.rows.length === 0) {
      doc.text(w.none).moveDown(0.8);
      continue;
    }
    table(
      doc,
      s.header.map((header, i) => ({ header, width: i === 0 ? 0.4 : 0.6 / (s.header.length - 1), align: i === 0 ? 'left' : 'right' })),
      s.rows,
    );
  }
  signatures(doc, [w.maintainer, w.reviewer], w.dateLabel);
  return { name: fileName(r), pdf: await finishPdf(doc, w.page) };
}

export async function reportXlsx(ctx: AppContext, principal: Principal, id: string, lang: Locale): Promise<{ name: string; xlsx: Buffer }> {
  const r = await getReport(ctx, principal, id);
  const w = WORDS[lang];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cardflow';
  const ws = wb.addWorksheet(w.titles[r.kind]);
  ws.addRow([w.titles[r.kind]]).font = { bold: true, size: 14 };
  for (const [label, value] of headerFacts(r, w)) ws.addRow([label, value]);
  for (const s of sections(r, w, lang)) {
    ws.addRow([]);
    ws.addRow([s.title]).font = { bold: true };
    ws.addRow(s.header).font = { bold: true };
    // Numbers go in as numbers so that the workbook can sum them.
    for (const row of s.rows) ws.addRow(row.map((cell, i) => (i > 0 && /^\d+$/.test(cell) ? Number(cell) : cell)));
  }
  ws.columns.forEach((c) => (c.width = 22));
  return { name: fileName(r), xlsx: Buffer.from(await wb.xlsx.writeBuffer()) };
}
