import type { Locale } from '../../platform/errors/app-error.ts';
import { formatYuan, parseYuan, type Fen } from './money.ts';
import type { ExcludedUsage, Statement } from './statement.ts';

/**
 * What a settlement statement prints, shared by the PDF and the workbook so both show the same
 * figures. Amounts come from the stored pure statement (integer fen) or from the view's yuan strings,
 * and are written by money.ts only: a figure is never passed through floating point before it is
 * shown.
 */

/** The fields of the statement view (GET /statements/:id) the exports print. */
export interface ExportStatementView {
  contractCode: string;
  contractName: string;
  supplierName: string;
  authorityName?: string;
  kind: 'ORIGINAL' | 'ADJUSTMENT';
  periodStart: string;
  periodEnd: string;
  status: 'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'SUPERSEDED';
  draftedAt: string;
  preparedBy: string | null;
  preparedByName?: string | null;
  submittedAt: string | null;
  approvedBy: string | null;
  approvedByName?: string | null;
  approvedAt: string | null;
  statement: Statement;
  lines: readonly { key: string; label: string; count: number; unitPrice: string; amount: string; evidenceCount: number }[];
  penalties: readonly { key: string; rule: string; kind?: string; label: string; amount: string; explanation: string; evidenceCount: number }[];
  billable: string;
  deductions: string;
  additions: string;
  netPayable: string;
}

export type EvidenceValue = string | number | boolean | null;

/** One attachment: the evidence rows behind a line or a penalty, as the evidence endpoint returns them. */
export interface EvidenceList {
  key: string;
  title: string;
  columns: string[];
  rows: EvidenceValue[][];
}

/** Rows of the evidence endpoint (flat objects) as one list; the columns are the union of their keys, in first-seen order. */
export function evidenceList(key: string, title: string, items: readonly Record<string, EvidenceValue>[]): EvidenceList {
  const columns: string[] = [];
  for (const item of items) for (const k of Object.keys(item)) if (!columns.includes(k)) columns.push(k);
  return { key, title, columns, rows: items.map((item) => columns.map((c) => item[c] ?? null)) };
}

export const WORDS = {
  'zh-CN': {
    title: '合同结算单',
    adjustmentTitle: '合同结算单（调整）',
    contractCode: '合同编号',
    contractName: '合同名称',
    authority: '采购人',
    supplier: '供应商',
    period: '结算期',
    status: '状态',
    draftedAt: '生成时间',
    preparedBy: '编制人',
    submittedAt: '提交时间',
    approvedBy: '审批人',
    approvedAt: '审批时间',
    lines: '计费明细',
    item: '项目',
    count: '数量',
    unitPrice: '单价（元）',
    amount: '金额（元）',
    gross: '计费合计',
    excluded: '不计费',
    excludedReason: { PRODUCER_WASTE: '生产方原因废卡', DUPLICATE_MESSAGE: '重发短信' } as Record<ExcludedUsage['reason'], string>,
    caps: '限额',
    capScope: '范围',
    capContract: '合同总额',
    capLot: (lot: string) => `包组 ${lot}`,
    capLimit: '限额（元）',
    capBefore: '此前已结算（元）',
    capRequested: '本期计费（元）',
    capAllowed: '本期可结算（元）',
    penalties: '违约扣款与增加项',
    rule: '规则',
    explanation: '计算说明',
    noPenalties: '本期无违约扣款',
    totals: '结算金额',
    billable: '本期结算金额',
    deductions: '扣款合计',
    additions: '增加合计',
    netPayable: '应付净额',
    appendix: (n: number, title: string, total: number) => `附件 ${n}：${title}（共 ${total} 条）`,
    none: '无',
    signPrepared: '编制人签字',
    signApproved: '审批人签字',
    signSupplier: '供应商确认',
    date: '日期',
    summarySheet: '结算单',
    statusName: { DRAFT: '草稿', SUBMITTED: '已提交', APPROVED: '已审批', SUPERSEDED: '已被调整' } as Record<ExportStatementView['status'], string>,
    page: (n: number, m: number) => `第 ${n} 页 / 共 ${m} 页`,
    columns: {
      cardNo: '卡号',
      batchNo: '批次号',
      on: '日期',
      date: '日期',
      outcome: '结果',
      cause: '原因',
      wasteCause: '废卡原因',
      dueOn: '应交付日期',
      deliveredOn: '实际交付日期',
      daysLate: '迟延天数',
      breachId: '违约编号',
      breachKind: '违约类型',
      reference: '编号',
      ticketNo: '工单号',
      messageId: '短信编号',
      segments: '计费条数',
      duplicateOf: '重发自',
      delivered: '成功送达',
      failedProviderCause: '供应商原因失败',
      failedOtherCause: '其他原因失败',
      submittedOn: '报送日期',
      overMinutes: '超时（分钟）',
      cost: '费用（元）',
      evidenceId: '凭据编号',
      id: '凭据编号',
      prefabricated: '预制卡',
      lot: '包组',
      deliveryDueAt: '应交付时间',
      deliveredAt: '实际交付时间',
      month: '月份',
      occurredAt: '发生时间',
      item: '项目',
      label: '名称',
    } as Record<string, string>,
    ruleName: {
      LATE_DELIVERY_PER_DAY: '逾期交付违约金',
      PER_BREACH: '违约扣款',
      DELIVERY_RATE_BELOW: '送达率不达标扣款',
      LATE_STATEMENT_PER_DAY: '月度清单逾期扣款',
      FAULT_OVERTIME: '故障超时扣款',
      REPAIR_COST_SPLIT: '维修费用（采购人承担部分）',
    } as Record<string, string>,
    values: {
      ACCEPTED: '已验收',
      WASTED: '废卡',
      AUTHORITY_DATA: '采购人数据原因',
      PRODUCER: '生产方原因',
      LATE_RESPONSE: '响应超时',
      LATE_FIX: '修复超时',
      MISSED_VISIT: '未按期巡检',
      LATE_REPORT: '报表逾期',
      true: '是',
      false: '否',
    } as Record<string, string>,
  },
  'en-US': {
    title: 'Settlement statement',
    adjustmentTitle: 'Settlement statement (adjustment)',
    contractCode: 'Contract no.',
    contractName: 'Contract',
    authority: 'Authority',
    supplier: 'Supplier',
    period: 'Period',
    status: 'Status',
    draftedAt: 'Drafted at',
    preparedBy: 'Prepared by',
    submittedAt: 'Submitted at',
    approvedBy: 'Approved by',
    approvedAt: 'Approved at',
    lines: 'Billable lines',
    item: 'Item',
    count: 'Count',
    unitPrice: 'Unit price (CNY)',
    amount: 'Amount (CNY)',
    gross: 'Gross',
    excluded: 'Not billed',
    excludedReason: { PRODUCER_WASTE: 'Cards wasted by the producer', DUPLICATE_MESSAGE: 'Resent messages' } as Record<ExcludedUsage['reason'], string>,
    caps: 'Caps',
    capScope: 'Scope',
    capContract: 'Contract total',
    capLot: (lot: string) => `Lot ${lot}`,
    capLimit: 'Limit (CNY)',
    capBefore: 'Billed before (CNY)',
    capRequested: 'This period (CNY)',
    capAllowed: 'Allowed (CNY)',
    penalties: 'Penalties and additions',
    rule: 'Rule',
    explanation: 'How it was computed',
    noPenalties: 'No penalties this period',
    totals: 'Totals',
    billable: 'Billable this period',
    deductions: 'Deductions',
    additions: 'Additions',
    netPayable: 'Net payable',
    appendix: (n: number, title: string, total: number) => `Attachment ${n}: ${title} (${total} rows)`,
    none: 'none',
    signPrepared: 'Prepared by (signature)',
    signApproved: 'Approved by (signature)',
    signSupplier: 'Supplier',
    date: 'Date',
    summarySheet: 'Statement',
    statusName: { DRAFT: 'Draft', SUBMITTED: 'Submitted', APPROVED: 'Approved', SUPERSEDED: 'Superseded' } as Record<ExportStatementView['status'], string>,
    page: (n: number, m: number) => `Page ${n} of ${m}`,
    columns: {
      cardNo: 'Card no.',
      batchNo: 'Batch no.',
      on: 'Date',
      date: 'Date',
      outcome: 'Outcome',
      cause: 'Cause',
      wasteCause: 'Waste cause',
      dueOn: 'Due',
      deliveredOn: 'Delivered',
      daysLate: 'Days late',
      breachId: 'Breach id',
      breachKind: 'Breach kind',
      reference: 'Reference',
      ticketNo: 'Ticket',
      messageId: 'Message',
      segments: 'Segments',
      duplicateOf: 'Resend of',
      delivered: 'Delivered',
      failedProviderCause: 'Failed (provider)',
      failedOtherCause: 'Failed (other)',
      submittedOn: 'Submitted on',
      overMinutes: 'Minutes over',
      cost: 'Cost (CNY)',
      evidenceId: 'Evidence',
      id: 'Evidence',
      prefabricated: 'Prefabricated',
      lot: 'Lot',
      deliveryDueAt: 'Due',
      deliveredAt: 'Delivered',
      month: 'Month',
      occurredAt: 'Occurred',
      item: 'Item',
      label: 'Name',
    } as Record<string, string>,
    ruleName: {
      LATE_DELIVERY_PER_DAY: 'Late delivery',
      PER_BREACH: 'Breaches',
      DELIVERY_RATE_BELOW: 'Delivery rate below threshold',
      LATE_STATEMENT_PER_DAY: 'Late monthly usage list',
      FAULT_OVERTIME: 'Faults fixed over time',
      REPAIR_COST_SPLIT: "Repairs borne by the authority",
    } as Record<string, string>,
    values: {
      ACCEPTED: 'accepted',
      WASTED: 'wasted',
      AUTHORITY_DATA: "authority's data",
      PRODUCER: 'producer',
      LATE_RESPONSE: 'late response',
      LATE_FIX: 'late fix',
      MISSED_VISIT: 'missed visit',
      LATE_REPORT: 'late report',
      true: 'yes',
      false: 'no',
    } as Record<string, string>,
  },
} as const;

export type Words = (typeof WORDS)[Locale];

/** A figure of the printed statement: the text shown in the PDF, and the fen behind it for the workbook. */
export interface Money {
  fen: Fen;
  text: string;
}

export const money = (fen: Fen): Money => ({ fen, text: formatYuan(fen, { grouping: true }) });
const moneyOfView = (yuan: string): Money => money(parseYuan(yuan));

export interface PrintedLine {
  key: string;
  label: string;
  count: number;
  unitPrice: string;
  amount: Money;
}

export interface PrintedPenalty {
  key: string;
  label: string;
  amount: Money;
  explanation: string;
}

export interface PrintedCap {
  scope: string;
  limit: Money;
  billedBefore: Money;
  requested: Money;
  allowed: Money;
}

/** Everything the exports print, in the reader's language. */
export interface PrintedStatement {
  title: string;
  fileName: string;
  facts: [string, string][];
  lines: PrintedLine[];
  gross: Money;
  excluded: { label: string; count: number }[];
  caps: PrintedCap[];
  penalties: PrintedPenalty[];
  totals: { label: string; amount: Money; strong?: boolean }[];
  evidence: EvidenceList[];
}

const asciiName = (text: string) => text.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'contract';

const orDash = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);

/** A Unix-instant ISO timestamp as Shanghai wall time, e.g. 2026-07-20 09:30. */
export function shanghaiTime(iso: string | null): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function evidenceCell(value: EvidenceValue, w: Words): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return w.values[String(value)] ?? String(value);
  if (typeof value === 'number') return String(value);
  if (ISO_INSTANT.test(value)) return shanghaiTime(value);
  return w.values[value] ?? value;
}

export function printable(view: ExportStatementView, evidence: readonly EvidenceList[], lang: Locale): PrintedStatement {
  const w = WORDS[lang];
  const s = view.statement;
  const excluded = new Map<ExcludedUsage['reason'], number>();
  for (const e of s.excluded) excluded.set(e.reason, (excluded.get(e.reason) ?? 0) + 1);
  return {
    title: view.kind === 'ADJUSTMENT' ? w.adjustmentTitle : w.title,
    // Header-safe ASCII: 常采单[2023]0023 → 2023_0023.
    fileName: `settlement-${asciiName(view.contractCode)}-${view.periodStart}${view.kind === 'ADJUSTMENT' ? '-adjustment' : ''}`,
    facts: [
      [w.contractCode, view.contractCode],
      [w.contractName, view.contractName],
      [w.authority, orDash(view.authorityName)],
      [w.supplier, view.supplierName],
      [w.period, `${view.periodStart} ~ ${view.periodEnd}`],
      [w.status, w.statusName[view.status]],
      [w.preparedBy, orDash(view.preparedByName ?? view.preparedBy)],
      [w.submittedAt, shanghaiTime(view.submittedAt)],
      [w.approvedBy, orDash(view.approvedByName ?? view.approvedBy)],
      [w.approvedAt, shanghaiTime(view.approvedAt)],
      [w.draftedAt, shanghaiTime(view.draftedAt)],
    ],
    lines: view.lines.map((l) => ({ key: l.key, label: l.label, count: l.count, unitPrice: l.unitPrice, amount: moneyOfView(l.amount) })),
    gross: money(s.gross),
    excluded: [...excluded].map(([reason, count]) => ({ label: w.excludedReason[reason], count })),
    caps: s.caps.map((c) => ({
      scope: c.scope === 'CONTRACT' ? w.capContract : w.capLot(c.scope),
      limit: money(c.limit),
      billedBefore: money(c.billedBefore),
      requested: money(c.requested),
      allowed: money(c.allowed),
    })),
    penalties: view.penalties.map((p) => ({ key: p.key, label: (p.kind === undefined ? undefined : w.ruleName[p.kind]) ?? p.label, amount: moneyOfView(p.amount), explanation: p.explanation })),
    totals: [
      { label: w.billable, amount: moneyOfView(view.billable) },
      { label: w.deductions, amount: moneyOfView(view.deductions) },
      { label: w.additions, amount: moneyOfView(view.additions) },
      { label: w.netPayable, amount: moneyOfView(view.netPayable), strong: true },
    ],
    evidence: [...evidence],
  };
}

