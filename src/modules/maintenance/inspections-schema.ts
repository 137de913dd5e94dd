import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations, users } from '../orgs/schema.ts';
import type { InspectionItem, InspectionStatus } from './inspections-rules.ts';
import { maintenanceContracts } from './schema.ts';
import type { VisitAnswer } from './visits-rules.ts';

/** A contract's own inspection list for its core-system sites; a new version is a new row. Without one, rounds use seed 002's list. */
export const maintenanceInspectionTemplates = pgTable(
  'maintenance_inspection_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contractId: uuid('contract_id').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    items: jsonb('items').$type<InspectionItem[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Named by hand: the generated names pass PostgreSQL's 63-character limit.
    foreignKey({ name: 'maintenance_inspection_templates_contract_fk', columns: [t.contractId], foreignColumns: [maintenanceContracts.id] }).onDelete('restrict'),
    uniqueIndex('maintenance_inspection_templates_contract_version_key').on(t.contractId, t.version),
    check('maintenance_inspection_templates_version_check', sql`${t.version} >= 1`),
    check('maintenance_inspection_templates_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check('maintenance_inspection_templates_items_check', sql`jsonb_typeof(${t.items}) = 'array' and jsonb_array_length(${t.items}) >= 1`),
  ],
);

/**
 * The daily inspection round of a core-system site (seed 002, 每天开展定期巡检): one per site and
 * calendar day, with the list it was opened under copied in (`items`), so a later template version
 * changes no record already kept. Signed by the engineer, it changes no more.
 */
export const maintenanceInspectionRounds = pgTable(
  'maintenance_inspection_rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contractId: uuid('contract_id').notNull(),
    siteOrgId: uuid('site_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    day: date('day', { mode: 'string' }).notNull(),
    templateId: uuid('template_id'),
    items: jsonb('items').$type<InspectionItem[]>().notNull(),
    answers: jsonb('answers').$type<VisitAnswer[]>().notNull().default(sql`'[]'::jsonb`),
    status: text('status').$type<InspectionStatus>().notNull(),
    openedById: uuid('opened_by_id').references(() => users.id, { onDelete: 'restrict' }),
    signedById: uuid('signed_by_id').references(() => users.id, { onDelete: 'restrict' }),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'maintenance_inspection_rounds_contract_fk', columns: [t.contractId], foreignColumns: [maintenanceContracts.id] }).onDelete('restrict'),
    foreignKey({ name: 'maintenance_inspection_rounds_template_fk', columns: [t.templateId], foreignColumns: [maintenanceInspectionTemplates.id] }).onDelete('restrict'),
    uniqueIndex('maintenance_inspection_rounds_site_day_key').on(t.siteOrgId, t.day),
    index('maintenance_inspection_rounds_contract_day_idx').on(t.contractId, t.day),
    check('maintenance_inspection_rounds_status_check', sql`${t.status} in ('OPEN','SIGNED')`),
    check('maintenance_inspection_rounds_items_check', sql`jsonb_typeof(${t.items}) = 'array' and jsonb_array_length(${t.items}) >= 1`),
    check('maintenance_inspection_rounds_answers_check', sql`jsonb_typeof(${t.answers}) = 'array'`),
    check('maintenance_inspection_rounds_signed_check', sql`(${t.status} = 'SIGNED') = (${t.signedById} is not null and ${t.signedAt} is not null)`),
  ],
);
