import { sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations, users } from '../orgs/schema.ts';
import type { RepairStatus } from './repairs-rules.ts';
import { maintenanceContracts, maintenanceTickets } from './schema.ts';

/**
 * A repair event of a ticket (seed 002 §3.2(4)): what was replaced and what it cost, in fen. The
 * maintainer records it; the contract's authority confirms or disputes it once, and only confirmed
 * events reach settlement. `contract_id` repeats the ticket's so settlement reads a contract's events
 * without a join.
 */
export const maintenanceRepairs = pgTable(
  'maintenance_repairs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contractId: uuid('contract_id').notNull(),
    ticketId: uuid('ticket_id').notNull(),
    part: text('part').notNull(),
    quantity: integer('quantity').notNull(),
    serials: text('serials').array().notNull(),
    costFen: bigint('cost_fen', { mode: 'number' }).notNull(),
    repairedOn: date('repaired_on', { mode: 'string' }).notNull(),
    reference: text('reference'),
    status: text('status').$type<RepairStatus>().notNull(),
    recordedByOrgId: uuid('recorded_by_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    recordedById: uuid('recorded_by_id').references(() => users.id, { onDelete: 'restrict' }),
    decidedById: uuid('decided_by_id').references(() => users.id, { onDelete: 'restrict' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    disputeReason: text('dispute_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'maintenance_repairs_contract_fk', columns: [t.contractId], foreignColumns: [maintenanceContracts.id] }).onDelete('restrict'),
    foreignKey({ name: 'maintenance_repairs_ticket_fk', columns: [t.ticketId], foreignColumns: [maintenanceTickets.id] }).onDelete('restrict'),
    index('maintenance_repairs_ticket_idx').on(t.ticketId, t.createdAt),
    index('maintenance_repairs_contract_idx').on(t.contractId, t.status, t.repairedOn),
    check('maintenance_repairs_part_check', sql`char_length(${t.part}) between 1 and 200`),
    check('maintenance_repairs_quantity_check', sql`${t.quantity} between 1 and 10000`),
    check('maintenance_repairs_serials_check', sql`cardinality(${t.serials}) <= 50`),
    check('maintenance_repairs_cost_check', sql`${t.costFen} > 0`),
    check('maintenance_repairs_reference_check', sql`${t.reference} is null or char_length(${t.reference}) between 1 and 100`),
    check('maintenance_repairs_status_check', sql`${t.status} in ('RECORDED','CONFIRMED','DISPUTED')`),
    check('maintenance_repairs_decided_check', sql`(${t.status} = 'RECORDED') = (${t.decidedAt} is null)`),
    check('maintenance_repairs_dispute_check', sql`(${t.status} = 'DISPUTED') = (${t.disputeReason} is not null) and (${t.disputeReason} is null or char_length(${t.disputeReason}) between 1 and 500)`),
  ],
);
