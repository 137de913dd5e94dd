import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../applications/schema.ts';
import { organisations, users } from '../orgs/schema.ts';
import { maintenanceContracts, maintenanceTickets } from './schema.ts';
import type { PostPattern, StaffingRequirement } from './staff-rules.ts';

/** A contract's minimum staffing (seed 001: at least 20 engineers, 2 certified for 中标麒麟); without a row the contract asks for none. */
export const maintenanceStaffing = pgTable(
  'maintenance_staffing',
  {
    contractId: uuid('contract_id').primaryKey(),
    minEngineers: integer('min_engineers').notNull(),
    certified: jsonb('certified').$type<StaffingRequirement['certified']>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'maintenance_staffing_contract_fk', columns: [t.contractId], foreignColumns: [maintenanceContracts.id] }).onDelete('restrict'),
    check('maintenance_staffing_min_check', sql`${t.minEngineers} >= 0`),
    check('maintenance_staffing_certified_check', sql`jsonb_typeof(${t.certified}) = 'array'`),
  ],
);

/**
 * An engineer of the maintainer's team on a contract. Name and phone are personal data: encrypted, with a
 * masked form for lists and a blind index for lookups. `user_id` links the console account when the
 * engineer has one (needed to check in to shifts).
 */
export const maintenanceEngineers = pgTable(
  'maintenance_engineers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contractId: uuid('contract_id').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'restrict' }),
    nameEnc: text('name_enc').notNull(),
    nameMasked: text('name_masked').notNull(),
    nameBidx: text('name_bidx').notNull(),
    phoneEnc: text('phone_enc'),
    phoneMasked: text('phone_masked'),
    phoneBidx: text('phone_bidx'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'maintenance_engineers_contract_fk', columns: [t.contractId], foreignColumns: [maintenanceContracts.id] }).onDelete('restrict'),
    uniqueIndex('maintenance_engineers_contract_user_key').on(t.contractId, t.userId).where(sql`${t.userId} is not null`),
    index('maintenance_engineers_contract_idx').on(t.contractId, t.active),
    index('maintenance_engineers_phone_idx').on(t.phoneBidx),
    check('maintenance_engineers_phone_check', sql`(${t.phoneEnc} is null) = (${t.phoneMasked} is null) and (${t.phoneEnc} is null) = (${t.phoneBidx} is null)`),
  ],
);

/** A certificate of an engineer (kind KYLIN_OS or free text); an expired one no longer counts for staffing. */
export const maintenanceEngineerCertificates = pgTable(
  'maintenance_engineer_certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    engineerId: uuid('engineer_id').notNull(),
    kind: text('kind').notNull(),
    number: text('number').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'maintenance_engineer_certificates_engineer_fk', columns: [t.engineerId], foreignColumns: [maintenanceEngineers.id] }).onDelete('cascade'),
    uniqueIndex('maintenance_engineer_certificates_number_key').on(t.engineerId, t.kind, t.number),
    check('maintenance_engineer_certificates_kind_check', sql`char_length(${t.kind}) between 1 and 40`),
    check('maintenance_engineer_certificates_number_check', sql`char_length(${t.number}) between 1 and 60`),
    check('maintenance_engineer_certificates_expiry_check', sql`${t.expiresOn} is null or ${t.expiresOn} >= ${t.issuedOn}`),
  ],
);

/** An on-site post of a contract (seed 002): 5×8 on working days, 7×8 every day, 7×24 in back-to-back shifts. */
export const maintenancePosts = pgTable(
  'maintenance_posts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contractId: uuid('contract_id').notNull(),
    siteOrgId: uuid('site_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    pattern: text('pattern').$type<PostPattern>().notNull(),
    dayStartMinute: integer('day_start_minute').notNull(),
    shiftMinutes: integer('shift_minutes').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'maintenance_posts_contract_fk', columns: [t.contractId], foreignColumns: [maintenanceContracts.id] }).onDelete('restrict'),
    uniqueIndex('maintenance_posts_contract_name_key').on(t.contractId, t.name),
    check('maintenance_posts_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check('maintenance_posts_pattern_check', sql`${t.pattern} in ('5x8','7x8','7x24')`),
    check('maintenance_posts_start_check', sql`${t.dayStartMinute} between 0 and 1439`),
    check('maintenance_posts_shift_check', sql`(${t.pattern} = '7x24' and ${t.shiftMinutes} in (480, 720)) or (${t.pattern} <> '7x24' and ${t.shiftMinutes} = 480)`),
  ],
);

/** A rostered shift of an engineer at a post, with the engineer's own check-in and check-out. */
export const maintenanceShifts = pgTable(
  'maintenance_shifts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    postId: uuid('post_id')
      .notNull()
      .references(() => maintenancePosts.id, { onDelete: 'restrict' }),
    engineerId: uuid('engineer_id')
      .notNull()
      .references(() => maintenanceEngineers.id, { onDelete: 'restrict' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    checkInAt: timestamp('check_in_at', { withTimezone: true }),
    checkOutAt: timestamp('check_out_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('maintenance_shifts_post_start_key').on(t.postId, t.startsAt),
    index('maintenance_shifts_engineer_idx').on(t.engineerId, t.startsAt),
    check('maintenance_shifts_time_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('maintenance_shifts_checkout_check', sql`${t.checkOutAt} is null or (${t.checkInAt} is not null and ${t.checkOutAt} >= ${t.checkInAt})`),
  ],
);

/** A photo of a fault (JPEG or PNG), encrypted: it may show people. */
export const maintenanceTicketPhotos = pgTable(
  'maintenance_ticket_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => maintenanceTickets.id, { onDelete: 'restrict' }),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    photoEnc: bytea('photo_enc').notNull(),
    photoSm3: text('photo_sm3').notNull(),
    uploadedById: uuid('uploaded_by_id').references(() => users.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('maintenance_ticket_photos_ticket_idx').on(t.ticketId, t.createdAt),
    check('maintenance_ticket_photos_type_check', sql`${t.contentType} in ('image/jpeg','image/png')`),
    check('maintenance_ticket_photos_bytes_check', sql`${t.bytes} >= 1`),
  ],
);

/** Each level (APPROACHING, REACHED) of a contract's termination threshold is alerted once; this row says it was. */
export const maintenanceTerminationAlerts = pgTable(
  'maintenance_termination_alerts',
  {
    contractId: uuid('contract_id').notNull(),
    level: text('level').$type<'APPROACHING' | 'REACHED'>().notNull(),
    breaches: integer('breaches').notNull(),
    threshold: integer('threshold').notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.contractId, t.level] }),
    foreignKey({ name: 'maintenance_termination_alerts_contract_fk', columns: [t.contractId], foreignColumns: [maintenanceContracts.id] }).onDelete('restrict'),
    check('maintenance_termination_alerts_level_check', sql`${t.level} in ('APPROACHING','REACHED')`),
  ],
);
