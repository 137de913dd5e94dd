import { sql } from 'drizzle-orm';
import { boolean, check, customType, date, index, integer, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../orgs/schema.ts';
import { programmes, type ProgrammeKind } from '../programmes/schema.ts';

export const APPLICATION_KINDS = ['NEW', 'REPLACEMENT', 'RENEWAL', 'ENDORSEMENT', 'PREFABRICATED'] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];
export const BASES = ['EMPLOYMENT', 'RESIDENCE', 'STUDY'] as const;
export type Basis = (typeof BASES)[number];
export const APPLICATION_STATUSES = ['SUBMITTED', 'APPROVED', 'REJECTED', 'ENDORSED', 'MATCHED', 'BANK_REJECTED', 'IN_PRODUCTION', 'READY', 'ISSUED', 'CANCELLED'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** bytea as a Buffer on both engines (PGlite hands back a Uint8Array). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
  toDriver: (v) => v,
});

/** Numbers for application numbers (RP-20261122-000123): one sequence, never reused. */
export const applicationNoSeq = pgSequence('application_no_seq', { startWith: 1, increment: 1 });

export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationNo: text('application_no').notNull(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'restrict' }),
    // Copied from the programme so the table's own CHECKs can tell permits from social security cards.
    cardKind: text('card_kind').$type<ProgrammeKind>().notNull(),
    outletOrgId: uuid('outlet_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    bankOrgId: uuid('bank_org_id').references(() => organisations.id, { onDelete: 'restrict' }),
    kind: text('kind').$type<ApplicationKind>().notNull(),
    basis: text('basis').$type<Basis>(),
    status: text('status').$type<ApplicationStatus>().notNull(),
    // Personal data: field-cipher tokens, blind indexes, masked copies for display.
    nameEnc: text('name_enc').notNull(),
    nameMasked: text('name_masked').notNull(),
    citizenIdEnc: text('citizen_id_enc').notNull(),
    citizenIdIdx: text('citizen_id_idx').notNull(),
    citizenIdMasked: text('citizen_id_masked').notNull(),
    phoneEnc: text('phone_enc').notNull(),
    phoneIdx: text('phone_idx').notNull(),
    phoneMasked: text('phone_masked').notNull(),
    hukouAddressEnc: text('hukou_address_enc'),
    residenceAddressEnc: text('residence_address_enc'),
    sex: text('sex').$type<'M' | 'F'>().notNull(),
    ethnicity: text('ethnicity').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    hasPhoto: boolean('has_photo').notNull().default(false),
    source: text('source').$type<'COUNTER' | 'IMPORT'>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    // Social security cards: the partner bank's account matching (the 6-working-day clock starts here).
    bankAccountEnc: text('bank_account_enc'),
    bankAccountMasked: text('bank_account_masked'),
    bankMatchedAt: timestamp('bank_matched_at', { withTimezone: true }),
    // Set when the retention period after closing has passed and the personal data was dropped (minimise.ts).
    minimisedAt: timestamp('minimised_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('applications_no_key').on(t.applicationNo),
    // One open application per person and programme, also when two clerks race.
    uniqueIndex('applications_open_person_key').on(t.programmeId, t.citizenIdIdx).where(sql`${t.status} in ('SUBMITTED','APPROVED','MATCHED','IN_PRODUCTION','READY')`),
    index('applications_programme_status_idx').on(t.programmeId, t.status, t.createdAt),
    index('applications_outlet_status_idx').on(t.outletOrgId, t.status, t.createdAt),
    index('applications_citizen_idx').on(t.citizenIdIdx),
    index('applications_phone_idx').on(t.phoneIdx),
    index('applications_minimise_idx').on(t.programmeId, t.updatedAt).where(sql`${t.minimisedAt} is null and ${t.status} in ('REJECTED','BANK_REJECTED','ENDORSED','ISSUED','CANCELLED')`),
    check('applications_no_check', sql`${t.applicationNo} ~ '^(RP|SC)-[0-9]{8}-[0-9]{6,}$'`),
    check('applications_card_kind_check', sql`${t.cardKind} in ('RESIDENCE_PERMIT','SOCIAL_SECURITY_CARD')`),
    check('applications_kind_check', sql`${t.kind} in ('NEW','REPLACEMENT','RENEWAL','ENDORSEMENT','PREFABRICATED')`),
    check('applications_kind_per_card_check', sql`${t.kind} <> 'PREFABRICATED' or ${t.cardKind} = 'SOCIAL_SECURITY_CARD'`),
    check('applications_endorsement_check', sql`${t.kind} <> 'ENDORSEMENT' or ${t.cardKind} = 'RESIDENCE_PERMIT'`),
    check('applications_basis_check', sql`case when ${t.cardKind} = 'RESIDENCE_PERMIT' then ${t.basis} in ('EMPLOYMENT','RESIDENCE','STUDY') else ${t.basis} is null end`),
    check('applications_bank_check', sql`(${t.cardKind} = 'SOCIAL_SECURITY_CARD') = (${t.bankOrgId} is not null)`),
    check('applications_status_check', sql`${t.status} in ('SUBMITTED','APPROVED','REJECTED','ENDORSED','MATCHED','BANK_REJECTED','IN_PRODUCTION','READY','ISSUED','CANCELLED')`),
    check('applications_matched_check', sql`${t.bankMatchedAt} is null or (${t.cardKind} = 'SOCIAL_SECURITY_CARD' and ${t.bankAccountEnc} like 'v1.%')`),
    check('applications_endorsed_check', sql`(${t.status} = 'ENDORSED') = (${t.kind} = 'ENDORSEMENT')`),
    check('applications_decided_check', sql`(${t.status} = 'SUBMITTED') = (${t.decidedAt} is null)`),
    check('applications_sex_check', sql`${t.sex} in ('M','F')`),
    check('applications_ethnicity_check', sql`${t.ethnicity} ~ '^(0[1-9]|[1-4][0-9]|5[0-6]|97|98)$'`),
    check('applications_source_check', sql`${t.source} in ('COUNTER','IMPORT')`),
    check('applications_tokens_check', sql`${t.nameEnc} like 'v1.%' and ${t.citizenIdEnc} like 'v1.%' and ${t.phoneEnc} like 'v1.%'`),
  ],
);

/** The applicant's photo: SM4-sealed JPEG bytes and the SM3 digest of the plain image. */
export const applicationPhotos = pgTable(
  'application_photos',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    photoEnc: bytea('photo_enc').notNull(),
    sm3: text('sm3').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('application_photos_sm3_check', sql`${t.sm3} ~ '^[0-9a-f]{64}$'`),
    check('application_photos_size_check', sql`${t.width} > 0 and ${t.height} > 0 and ${t.bytes} > 0`),
  ],
);

/** What happened to an application, in order; never updated or deleted. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'restrict' }),
    type: text('type').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    idempotencyKey: text('idempotency_key').notNull(),
  },
  (t) => [
    uniqueIndex('application_events_idempotency_key').on(t.idempotencyKey),
    index('application_events_application_idx').on(t.applicationId, t.at),
    check('application_events_type_check', sql`${t.type} in ('SUBMITTED','APPROVED','REJECTED','ENDORSED','MATCHED','BANK_REJECTED','IN_PRODUCTION','READY','ISSUED','CANCELLED','RETURNED')`),
  ],
);

/** Reasons a reviewer may give, all at once (一次性告知). */
export const rejectionReasons = pgTable(
  'rejection_reasons',
  {
    code: text('code').primaryKey(),
    zh: text('zh').notNull(),
    en: text('en').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('rejection_reasons_code_check', sql`${t.code} ~ '^[A-Z][A-Z0-9_]{1,39}$'`),
    check('rejection_reasons_text_check', sql`char_length(${t.zh}) between 1 and 200 and char_length(${t.en}) between 1 and 200`),
  ],
);

/** Messages to send after a commit (SMS to the applicant), written in the same transaction as the change. */
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    applicationId: uuid('application_id').references(() => applications.id, { onDelete: 'restrict' }),
    recipientPhoneEnc: text('recipient_phone_enc').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    status: text('status').$type<'PENDING' | 'SENT' | 'FAILED'>().notNull().default('PENDING'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notification_outbox_idempotency_key').on(t.idempotencyKey),
    index('notification_outbox_pending_idx').on(t.createdAt).where(sql`${t.status} = 'PENDING'`),
    check('notification_outbox_kind_check', sql`${t.kind} in ('APPLICATION_REJECTED','BANK_REJECTED','CARD_READY','ENDORSEMENT_DUE')`),
    check('notification_outbox_status_check', sql`${t.status} in ('PENDING','SENT','FAILED')`),
    check('notification_outbox_phone_check', sql`${t.recipientPhoneEnc} like 'v1.%'`),
  ],
);

/** A rejected bulk import's error report, downloadable as CSV. */
export const importReports = pgTable(
  'import_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'cascade' }),
    outletOrgId: uuid('outlet_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    createdBy: text('created_by').notNull(),
    errorCount: integer('error_count').notNull(),
    csv: text('csv').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('import_reports_outlet_idx').on(t.outletOrgId), check('import_reports_count_check', sql`${t.errorCount} >= 1`)],
);
