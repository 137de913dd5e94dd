import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../orgs/schema.ts';
import type { BillingCycle, ContractValue, PriceEntry, ServiceKind, Term } from './contract-rules.ts';
import type { Fen, Rate } from './money.ts';
import type { PenaltyRule } from './penalties.ts';
import type { Statement } from './statement.ts';

/**
 * What a contract's statements are drafted from: the card programmes it makes cards for (with the lot
 * of each receiving organisation where the contract has lots), the SMS providers whose traffic it
 * bills, or the maintenance contract whose breach register it reads.
 */
export interface ContractSource {
  programmeIds?: string[];
  lotByReceiverOrgId?: Record<string, string>;
  smsProviders?: string[];
  maintenanceContractId?: string;
}

export const STATEMENT_KINDS = ['ORIGINAL', 'ADJUSTMENT'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];
export const STATEMENT_STATUSES = ['DRAFT', 'SUBMITTED', 'APPROVED', 'SUPERSEDED'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/** A settlement contract; its price list and penalty rules are the pure types, validated before they are stored. */
export const settlementContracts = pgTable(
  'settlement_contracts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    authorityOrgId: uuid('authority_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    supplierOrgId: uuid('supplier_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    serviceKind: text('service_kind').$type<ServiceKind>().notNull(),
    termStart: date('term_start', { mode: 'string' }).notNull(),
    termEnd: date('term_end', { mode: 'string' }).notNull(),
    renewal: jsonb('renewal').$type<Term['renewal']>(),
    cycle: text('cycle').$type<BillingCycle>().notNull(),
    value: jsonb('value').$type<ContractValue>().notNull(),
    lotCaps: jsonb('lot_caps').$type<Record<string, Fen>>().notNull(),
    prices: jsonb('prices').$type<PriceEntry[]>().notNull(),
    penalties: jsonb('penalties').$type<PenaltyRule[]>().notNull(),
    source: jsonb('source').$type<ContractSource>().notNull(),
    paymentTermDays: integer('payment_term_days'),
    /** Late-payment interest per day on what is outstanding after the due date. */
    interestPerDay: jsonb('interest_per_day').$type<Rate>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('settlement_contracts_code_key').on(t.code),
    index('settlement_contracts_supplier_idx').on(t.supplierOrgId, t.serviceKind),
    check('settlement_contracts_code_check', sql`char_length(${t.code}) between 1 and 100`),
    check('settlement_contracts_name_check', sql`char_length(${t.name}) between 1 and 200`),
    check('settlement_contracts_service_kind_check', sql`${t.serviceKind} in ('CARD_PRODUCTION','CARD_PURCHASE_PERSONALISATION','SMS','MAINTENANCE','SYSTEM_OM')`),
    check('settlement_contracts_cycle_check', sql`${t.cycle} in ('MONTHLY','QUARTERLY','HALF_YEARLY','MILESTONE')`),
    check('settlement_contracts_term_check', sql`${t.termEnd} >= ${t.termStart}`),
    check('settlement_contracts_parties_check', sql`${t.authorityOrgId} <> ${t.supplierOrgId}`),
    check('settlement_contracts_json_check', sql`jsonb_typeof(${t.prices}) = 'array' and jsonb_typeof(${t.penalties}) = 'array' and jsonb_typeof(${t.lotCaps}) = 'object' and jsonb_typeof(${t.source}) = 'object'`),
    check('settlement_contracts_payment_term_check', sql`${t.paymentTermDays} is null or ${t.paymentTermDays} between 0 and 365`),
  ],
);

/**
 * The statement of one contract and period. The computed statement is kept whole as it was approved;
 * amounts are copied into columns for lists and the dashboard. Approved and superseded rows are
 * immutable (a trigger refuses any change but APPROVED → SUPERSEDED); only one ORIGINAL statement per
 * contract and period is live.
 */
export const settlementStatements = pgTable(
  'settlement_statements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => settlementContracts.id, { onDelete: 'restrict' }),
    kind: text('kind').$type<StatementKind>().notNull(),
    adjustsId: uuid('adjusts_id').references((): AnyPgColumn => settlementStatements.id, { onDelete: 'restrict' }),
    adjustReason: text('adjust_reason'),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    status: text('status').$type<StatementStatus>().notNull(),
    statement: jsonb('statement').$type<Statement>().notNull(),
    billableFen: bigint('billable_fen', { mode: 'number' }).notNull(),
    netPayableFen: bigint('net_payable_fen', { mode: 'number' }).notNull(),
    draftedAt: timestamp('drafted_at', { withTimezone: true }).notNull(),
    draftedBy: text('drafted_by').notNull(),
    preparedBy: uuid('prepared_by'),
    preparedByName: text('prepared_by_name'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    approvedBy: uuid('approved_by'),
    approvedByName: text('approved_by_name'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    returnedReason: text('returned_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('settlement_statements_live_key').on(t.contractId, t.periodStart, t.periodEnd).where(sql`${t.kind} = 'ORIGINAL' and ${t.status} <> 'SUPERSEDED'`),
    uniqueIndex('settlement_statements_open_adjustment_key').on(t.adjustsId).where(sql`${t.status} in ('DRAFT','SUBMITTED')`),
    index('settlement_statements_contract_idx').on(t.contractId, t.periodStart),
    check('settlement_statements_kind_check', sql`${t.kind} in ('ORIGINAL','ADJUSTMENT')`),
    check('settlement_statements_status_check', sql`${t.status} in ('DRAFT','SUBMITTED','APPROVED','SUPERSEDED')`),
    check('settlement_statements_adjusts_check', sql`(${t.kind} = 'ADJUSTMENT') = (${t.adjustsId} is not null and ${t.adjustReason} is not null)`),
    check('settlement_statements_period_check', sql`${t.periodEnd} >= ${t.periodStart}`),
    check('settlement_statements_submitted_check', sql`${t.status} = 'DRAFT' or (${t.preparedBy} is not null and ${t.submittedAt} is not null)`),
    check('settlement_statements_approved_check', sql`(${t.status} in ('APPROVED','SUPERSEDED')) = (${t.approvedBy} is not null and ${t.approvedAt} is not null)`),
    check('settlement_statements_two_people_check', sql`${t.approvedBy} is null or ${t.approvedBy} <> ${t.preparedBy}`),
  ],
);

/**
 * What a statement was built from, one row per recorded fact and line: the card, message, batch or
 * breach with the numbers shown, so the click-through reads exactly what the statement counted.
 */
export const settlementStatementEvidence = pgTable(
  'settlement_statement_evidence',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => settlementStatements.id, { onDelete: 'restrict' }),
    lineKey: text('line_key').notNull(),
    evidenceId: text('evidence_id').notNull(),
    kind: text('kind').notNull(),
    on: date('on', { mode: 'string' }).notNull(),
    data: jsonb('data').$type<Record<string, string | number | boolean | null>>().notNull(),
  },
  (t) => [index('settlement_statement_evidence_line_idx').on(t.statementId, t.lineKey, t.id)],
);

export const settlementInvoices = pgTable(
  'settlement_invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => settlementStatements.id, { onDelete: 'restrict' }),
    number: text('number').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    recordedBy: text('recorded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('settlement_invoices_number_key').on(t.statementId, t.number),
    check('settlement_invoices_number_check', sql`char_length(${t.number}) between 1 and 64`),
    check('settlement_invoices_amount_check', sql`${t.amountFen} > 0`),
  ],
);

export const settlementPayments = pgTable(
  'settlement_payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => settlementStatements.id, { onDelete: 'restrict' }),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    reference: text('reference'),
    recordedBy: text('recorded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('settlement_payments_statement_idx').on(t.statementId),
    check('settlement_payments_amount_check', sql`${t.amountFen} > 0`),
    check('settlement_payments_reference_check', sql`${t.reference} is null or char_length(${t.reference}) between 1 and 100`),
  ],
);
