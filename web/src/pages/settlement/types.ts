/** Shapes of the settlement API answers (/api/v1/settlement/...); money is yuan text with two decimals. */

export const SERVICE_KINDS = ['CARD_PRODUCTION', 'CARD_PURCHASE_PERSONALISATION', 'SMS', 'MAINTENANCE', 'SYSTEM_OM'] as const;
export const BILLING_CYCLES = ['MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'MILESTONE'] as const;
export const PRICE_UNITS = ['CARD', 'MESSAGE_SEGMENT', 'YEAR', 'MILESTONE'] as const;
export const PRICE_KINDS = ['PER_UNIT', 'LESS_THAN_ITEM', 'SHARE_OF_TOTAL'] as const;
export const VALUE_KINDS = ['FIXED_TOTAL', 'CAP', 'OPEN'] as const;
export const RULE_KINDS = ['LATE_DELIVERY_PER_DAY', 'PER_BREACH', 'DELIVERY_RATE_BELOW', 'LATE_STATEMENT_PER_DAY', 'FAULT_OVERTIME', 'REPAIR_COST_SPLIT'] as const;
export const STATUSES = ['DRAFT', 'SUBMITTED', 'APPROVED', 'SUPERSEDED'] as const;

export type ServiceKind = (typeof SERVICE_KINDS)[number];
export type BillingCycle = (typeof BILLING_CYCLES)[number];
export type PriceUnit = (typeof PRICE_UNITS)[number];
export type RuleKind = (typeof RULE_KINDS)[number];
export type StatementStatus = (typeof STATUSES)[number];

export type WirePrice =
  | { kind: 'PER_UNIT'; unitPrice: string; ceiling?: string | null }
  | { kind: 'LESS_THAN_ITEM'; item: string; less: string }
  | { kind: 'SHARE_OF_TOTAL'; share: string; dueOn: string };

export interface PriceEntry {
  item: string;
  lot: string | null;
  label: string;
  unit: PriceUnit | null;
  price: WirePrice;
}

export type ContractValue = { kind: 'FIXED_TOTAL'; total: string } | { kind: 'CAP'; cap: string } | { kind: 'OPEN' };

/** A penalty rule as data: its kind and the rates (text such as "1‰", "5%") and numbers the kind needs. */
export interface PenaltyRule {
  id: string;
  kind: RuleKind;
  [field: string]: unknown;
}

export interface Term {
  start: string;
  end: string;
  renewal: { lengthMonths: number; max: number; taken: number } | null;
}

export interface ContractSource {
  programmeIds?: string[];
  lotByReceiverOrgId?: Record<string, string>;
  smsProviders?: string[];
  maintenanceContractId?: string;
}

export interface ContractInput {
  code: string;
  name: string;
  authorityOrgId: string;
  supplierOrgId: string;
  serviceKind: ServiceKind;
  term: Term;
  billingCycle: BillingCycle;
  value: ContractValue;
  lots: { lot: string; cap: string }[];
  prices: PriceEntry[];
  penaltyRules: PenaltyRule[];
  source: ContractSource;
  paymentTermDays: number | null;
  interestPerDay: string | null;
}

export interface ContractView extends ContractInput {
  id: string;
  authorityName: string;
  supplierName: string;
  /** The last day of the term, renewals taken included. */
  termEnd: string;
  billedToDateFen: number;
  createdAt: string;
  updatedAt: string;
}

export interface Period {
  start: string;
  end: string;
  due?: string | null;
  statementId: string | null;
  status: StatementStatus | null;
}

export interface StatementSummary {
  id: string;
  contractId: string;
  kind: 'ORIGINAL' | 'ADJUSTMENT';
  periodStart: string;
  periodEnd: string;
  status: StatementStatus;
  netPayable: string;
  billable?: string;
}

export interface StatementLine {
  key: string;
  label: string;
  count: number;
  unitPrice: string;
  amount: string;
  evidenceCount: number;
}

export interface StatementPenalty {
  key: string;
  rule: string;
  kind: string;
  label: string;
  amount: string;
  explanation: string;
  evidenceCount: number;
}

export interface CapCheck {
  scope: string;
  limit: number;
  billedBefore: number;
  requested: number;
  allowed: number;
}

export interface StatementView {
  id: string;
  contractId: string;
  contractCode: string;
  contractName: string;
  supplierName: string;
  kind: 'ORIGINAL' | 'ADJUSTMENT';
  adjustsId: string | null;
  periodStart: string;
  periodEnd: string;
  status: StatementStatus;
  draftedAt: string;
  /** The preparer's and approver's names. */
  preparedBy: string | null;
  submittedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  returnedReason: string | null;
  adjustReason: string | null;
  excludedCount: number;
  statement: { gross: number; caps: CapCheck[]; excluded: { evidenceId: string; reason: string }[] };
  lines: StatementLine[];
  penalties: StatementPenalty[];
  billable: string;
  deductions: string;
  additions: string;
  capApplied: string;
  netPayable: string;
  invoices: { id: string; number: string; issuedOn: string; amount: string }[];
  payments: { id: string; paidOn: string; amount: string; reference: string | null }[];
  paid: string;
  outstanding: string | null;
  dueOn: string | null;
  overdue: boolean;
  interestOwed: string | null;
}

export type EvidenceValue = string | number | boolean | null;
export type EvidenceRow = Record<string, EvidenceValue>;

/** One recorded fact behind a line, as the evidence endpoint returns it. */
export interface EvidenceItem {
  evidenceId: string;
  kind: string;
  on: string;
  details: EvidenceRow;
}

export interface Dashboard {
  contracts: { id: string; code: string; name: string; capFen: number | null; months: { month: string; billedFen: number; cumulativeFen: number }[] }[];
}
