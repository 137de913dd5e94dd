import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../applications/schema.ts';
import { organisations, users } from '../orgs/schema.ts';
import { maintenanceBreaches, maintenanceContracts, type SiteService } from './schema.ts';
import type { VisitAnswer, VisitKind, VisitStatus } from './visits-rules.ts';

/**
 * A visit to an outlet: the monthly preventive visit (one per outlet and month) or a photo visit at a
 * home (上门拍照). The checklist answers live in `answers` (validated against the checklist of the
 * services snapshotted at planning); once SIGNED the row carries the outlet staff member's name and
 * drawn signature, both encrypted, and changes no more. `missed_breach_id` links the MISSED_VISIT
 * breach the month-end sweep wrote, which also makes the sweep idempotent.
 */
export const maintenanceVisits = pgTable(
  'maintenance_visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => maintenanceContracts.id, { onDelete: 'restrict' }),
    siteOrgId: uuid('site_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    month: text('month').notNull(),
    kind: text('kind').$type<VisitKind>().notNull(),
    services: text('services').array().$type<SiteService[]>().notNull(),
    engineerId: uuid('engineer_id').references(() => users.id, { onDelete: 'restrict' }),
    status: text('status').$type<VisitStatus>().notNull(),
    answers: jsonb('answers').$type<VisitAnswer[]>().notNull().default(sql`'[]'::jsonb`),
    signerNameEnc: text('signer_name_enc'),
    signerNameMasked: text('signer_name_masked'),
    signatureEnc: bytea('signature_enc'),
    signatureSm3: text('signature_sm3'),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    signedById: uuid('signed_by_id').references(() => users.id, { onDelete: 'restrict' }),
    missedBreachId: uuid('missed_breach_id').references(() => maintenanceBreaches.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('maintenance_visits_preventive_key').on(t.siteOrgId, t.month, t.kind).where(sql`${t.kind} = 'PREVENTIVE'`),
    index('maintenance_visits_contract_month_idx').on(t.contractId, t.month, t.status),
    index('maintenance_visits_engineer_idx').on(t.engineerId, t.month),
    check('maintenance_visits_month_check', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check('maintenance_visits_kind_check', sql`${t.kind} in ('PREVENTIVE','PHOTO_AT_HOME')`),
    check('maintenance_visits_status_check', sql`${t.status} in ('PLANNED','IN_PROGRESS','SIGNED')`),
    check('maintenance_visits_services_check', sql`${t.services} <@ array['SOCIAL_SECURITY_CARD','RESIDENCE_PERMIT']::text[]`),
    check('maintenance_visits_answers_check', sql`jsonb_typeof(${t.answers}) = 'array'`),
    check('maintenance_visits_planned_check', sql`${t.status} <> 'PLANNED' or jsonb_array_length(${t.answers}) = 0`),
    check(
      'maintenance_visits_signed_check',
      sql`(${t.status} = 'SIGNED') = (${t.signerNameEnc} is not null and ${t.signerNameMasked} is not null and ${t.signatureEnc} is not null and ${t.signatureSm3} is not null and ${t.signedAt} is not null)`,
    ),
  ],
);
