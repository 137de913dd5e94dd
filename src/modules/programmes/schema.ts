import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../orgs/schema.ts';

export const PROGRAMME_KINDS = ['RESIDENCE_PERMIT', 'SOCIAL_SECURITY_CARD'] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];
export const DEADLINE_UNITS = ['CALENDAR_DAYS', 'WORKING_DAYS'] as const;
export type DeadlineUnit = (typeof DEADLINE_UNITS)[number];
export const PACKING_ORDERS = ['BY_UNIT', 'BY_SSN'] as const;
export type PackingOrder = (typeof PACKING_ORDERS)[number];

/** One card programme run by an authority under one contract: who produces, who receives, the deadlines. */
export const programmes = pgTable(
  'programmes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<ProgrammeKind>().notNull(),
    name: text('name').notNull(),
    authorityOrgId: uuid('authority_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    productionDeadlineAmount: integer('production_deadline_amount').notNull(),
    productionDeadlineUnit: text('production_deadline_unit').$type<DeadlineUnit>().notNull(),
    deliveryDeadlineAmount: integer('delivery_deadline_amount'),
    deliveryDeadlineUnit: text('delivery_deadline_unit').$type<DeadlineUnit>(),
    productionRegionPrefix: text('production_region_prefix').notNull(),
    batchSizeLimit: integer('batch_size_limit').notNull(),
    personalisationRetentionHours: integer('personalisation_retention_hours').notNull().default(24),
    // Days after an application closes before its personal data is minimised (src/modules/applications/minimise.ts).
    closedApplicationRetentionDays: integer('closed_application_retention_days').notNull().default(1095),
    packingOrder: text('packing_order').$type<PackingOrder>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('programmes_authority_idx').on(t.authorityOrgId),
    check('programmes_kind_check', sql`${t.kind} in ('RESIDENCE_PERMIT','SOCIAL_SECURITY_CARD')`),
    check('programmes_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check('programmes_production_deadline_check', sql`${t.productionDeadlineAmount} between 1 and 365 and ${t.productionDeadlineUnit} in ('CALENDAR_DAYS','WORKING_DAYS')`),
    check(
      'programmes_delivery_deadline_check',
      sql`(${t.deliveryDeadlineAmount} is null) = (${t.deliveryDeadlineUnit} is null) and (${t.deliveryDeadlineAmount} is null or (${t.deliveryDeadlineAmount} between 1 and 365 and ${t.deliveryDeadlineUnit} in ('CALENDAR_DAYS','WORKING_DAYS')))`,
    ),
    check('programmes_region_prefix_check', sql`${t.productionRegionPrefix} ~ '^[0-9]{2,6}$'`),
    check('programmes_batch_size_check', sql`${t.batchSizeLimit} between 1 and 100000`),
    check('programmes_retention_check', sql`${t.personalisationRetentionHours} between 1 and 720`),
    check('programmes_closed_retention_check', sql`${t.closedApplicationRetentionDays} between 30 and 3650`),
    check('programmes_packing_order_check', sql`${t.packingOrder} in ('BY_UNIT','BY_SSN')`),
  ],
);

/** Producers (PRODUCER organisations) that make the programme's cards. */
export const programmeProducers = pgTable(
  'programme_producers',
  {
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.programmeId, t.orgId] }), index('programme_producers_org_idx').on(t.orgId)],
);

/** Organisations that take applications and receive cards: outlets, and banks for social security cards. */
export const programmeReceivers = pgTable(
  'programme_receivers',
  {
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    orgKind: text('org_kind').$type<'OUTLET' | 'BANK'>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programmeId, t.orgId] }),
    index('programme_receivers_org_idx').on(t.orgId),
    check('programme_receivers_kind_check', sql`${t.orgKind} in ('OUTLET','BANK')`),
  ],
);
