import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, date, index, integer, jsonb, pgSequence, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../orgs/schema.ts';
import type { AssetStatus, AssetType, SoftwareItem } from './ledger.ts';
import type { ResponseTarget, SlaClock, BreachKind } from './sla.ts';
import type { TicketAction, TicketStatus, WaitingReason } from './states.ts';
import type { Zone, ZoneEntry } from './zones.ts';
import { maintenanceSpareDepots } from './spares-schema.ts';

/** A district → zone table of a contract; a new version is a new row, so old tickets keep what they were opened under. */
export const maintenanceZoneTables = pgTable(
  'maintenance_zone_tables',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    entries: jsonb('entries').$type<ZoneEntry[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('maintenance_zone_tables_name_version_key').on(t.name, t.version),
    check('maintenance_zone_tables_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check('maintenance_zone_tables_version_check', sql`${t.version} >= 1`),
    check('maintenance_zone_tables_entries_check', sql`jsonb_typeof(${t.entries}) = 'array' and jsonb_array_length(${t.entries}) >= 1`),
  ],
);

/**
 * A maintenance contract between an authority (the client) and a maintainer: its term, SLA allowances
 * per zone, and the breach count that gives the client the right to terminate (seed 001: 5).
 */
export const maintenanceContracts = pgTable(
  'maintenance_contracts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    authorityOrgId: uuid('authority_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    maintainerOrgId: uuid('maintainer_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    termStart: date('term_start', { mode: 'string' }).notNull(),
    termEnd: date('term_end', { mode: 'string' }).notNull(),
    zoneTableId: uuid('zone_table_id').references(() => maintenanceZoneTables.id, { onDelete: 'restrict' }),
    clock: text('clock').$type<SlaClock>().notNull(),
    responseTarget: text('response_target').$type<ResponseTarget>().notNull(),
    responseMinutesUrban: integer('response_minutes_urban').notNull(),
    responseMinutesSuburban: integer('response_minutes_suburban').notNull(),
    fixMinutesUrban: integer('fix_minutes_urban'),
    fixMinutesSuburban: integer('fix_minutes_suburban'),
    warnPercent: integer('warn_percent').notNull().default(75),
    breachTerminationCount: integer('breach_termination_count'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('maintenance_contracts_maintainer_idx').on(t.maintainerOrgId),
    index('maintenance_contracts_authority_idx').on(t.authorityOrgId),
    check('maintenance_contracts_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check('maintenance_contracts_term_check', sql`${t.termEnd} >= ${t.termStart}`),
    check('maintenance_contracts_clock_check', sql`${t.clock} in ('WORKING','ROUND_THE_CLOCK')`),
    check('maintenance_contracts_target_check', sql`${t.responseTarget} in ('ACKNOWLEDGED','ON_SITE')`),
    check('maintenance_contracts_response_check', sql`${t.responseMinutesUrban} >= 1 and ${t.responseMinutesSuburban} >= 1`),
    check(
      'maintenance_contracts_fix_check',
      sql`(${t.fixMinutesUrban} is null) = (${t.fixMinutesSuburban} is null) and (${t.fixMinutesUrban} is null or (${t.fixMinutesUrban} >= ${t.responseMinutesUrban} and ${t.fixMinutesSuburban} >= ${t.responseMinutesSuburban}))`,
    ),
    check('maintenance_contracts_warn_check', sql`${t.warnPercent} between 1 and 99`),
    check('maintenance_contracts_termination_check', sql`${t.breachTerminationCount} is null or ${t.breachTerminationCount} >= 1`),
  ],
);

export const SITE_SERVICES = ['SOCIAL_SECURITY_CARD', 'RESIDENCE_PERMIT'] as const;
export type SiteService = (typeof SITE_SERVICES)[number];

/**
 * What maintenance knows of an outlet (or of the site of a core system): which contract serves it, the
 * services it offers, its opening hours (the working-hour clock) and an optional zone override. Its
 * district is the organisation's region code.
 */
export const maintenanceSites = pgTable(
  'maintenance_sites',
  {
    orgId: uuid('org_id')
      .primaryKey()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => maintenanceContracts.id, { onDelete: 'restrict' }),
    services: text('services').array().$type<SiteService[]>().notNull(),
    openingHours: text('opening_hours').notNull(),
    zoneOverride: text('zone_override').$type<Zone>(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('maintenance_sites_contract_idx').on(t.contractId),
    check('maintenance_sites_services_check', sql`${t.services} <@ array['SOCIAL_SECURITY_CARD','RESIDENCE_PERMIT']::text[]`),
    check('maintenance_sites_hours_check', sql`${t.openingHours} ~ '^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}(,[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2})*$'`),
    check('maintenance_sites_zone_check', sql`${t.zoneOverride} is null or ${t.zoneOverride} in ('URBAN','SUBURBAN')`),
  ],
);

/** The equipment ledger (设备台帐). */
export const maintenanceAssets = pgTable(
  'maintenance_assets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteOrgId: uuid('site_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    type: text('type').$type<AssetType>().notNull(),
    serial: text('serial').notNull(),
    model: text('model').notNull(),
    status: text('status').$type<AssetStatus>().notNull(),
    samCardNo: text('sam_card_no'),
    purchaseDate: date('purchase_date', { mode: 'string' }),
    warrantyUntil: date('warranty_until', { mode: 'string' }),
    /** Set while the asset is at a spare-parts depot (./spares-schema.ts) rather than at work at its site. */
    depotId: uuid('depot_id').references((): AnyPgColumn => maintenanceSpareDepots.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('maintenance_assets_serial_key').on(sql`upper(${t.serial})`),
    index('maintenance_assets_site_idx').on(t.siteOrgId, t.type),
    index('maintenance_assets_depot_idx').on(t.depotId, t.type, t.status),
    check(
      'maintenance_assets_type_check',
      sql`${t.type} in ('DESKTOP_PC','CARD_PRINTER','FLATBED_PRINTER','PIN_PAD_READER','PHOTO_KIT','FISCAL_DONGLE','CARD_READER','ID_CARD_READER','REWRITABLE_DEVICE','SCANNER','USB_ADAPTER','TRANSPORT_CARD_READER')`,
    ),
    check('maintenance_assets_status_check', sql`${t.status} in ('IN_SERVICE','FAULTY','IN_REPAIR','SPARE','RETIRED')`),
    check('maintenance_assets_sam_check', sql`${t.samCardNo} is null or ${t.type} in ('CARD_PRINTER','PIN_PAD_READER','CARD_READER','REWRITABLE_DEVICE')`),
    check('maintenance_assets_warranty_check', sql`${t.warrantyUntil} is null or ${t.purchaseDate} is null or ${t.warrantyUntil} >= ${t.purchaseDate}`),
    check('maintenance_assets_model_check', sql`char_length(${t.model}) between 1 and 100`),
  ],
);

/** Every change of an asset: who, when, each field old → new. Append-only. */
export const maintenanceAssetChanges = pgTable(
  'maintenance_asset_changes',
  {
    assetId: uuid('asset_id')
      .notNull()
      .references(() => maintenanceAssets.id, { onDelete: 'restrict' }),
    seq: integer('seq').notNull(),
    kind: text('kind').$type<'CREATE' | 'IMPORT' | 'UPDATE'>().notNull(),
    changes: jsonb('changes').$type<Record<string, { from: unknown; to: unknown }>>().notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.assetId, t.seq] }),
    check('maintenance_asset_changes_kind_check', sql`${t.kind} in ('CREATE','IMPORT','UPDATE')`),
    check('maintenance_asset_changes_seq_check', sql`${t.seq} >= 1 and (${t.seq} = 1) = (${t.kind} <> 'UPDATE')`),
  ],
);

/** The software an outlet runs (seed 001 table 1), one row per item with its installed version. */
export const maintenanceSiteSoftware = pgTable(
  'maintenance_site_software',
  {
    siteOrgId: uuid('site_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    item: text('item').$type<SoftwareItem>().notNull(),
    version: text('version').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.siteOrgId, t.item] }),
    check(
      'maintenance_site_software_item_check',
      sql`${t.item} in ('RP_APPLICATION','OPERATING_SYSTEM','RARE_CHARACTERS','PHOTO_CAPTURE','ID_READER_DRIVER','CARD_PRINTER_DRIVER','DASCOM_PRINTER_DRIVER','BROWSER','IMAGE_CAPTURE','CARD_READER_DRIVER','CAMERA_DRIVER','FISCAL_SUITE','REWRITABLE_DRIVER','USB_ADAPTER_DRIVERS')`,
    ),
    check('maintenance_site_software_version_check', sql`char_length(${t.version}) between 1 and 50`),
  ],
);

/** Every software version change of an outlet: who, when, old → new (null: not recorded before). Append-only. */
export const maintenanceSoftwareChanges = pgTable(
  'maintenance_software_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteOrgId: uuid('site_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    item: text('item').$type<SoftwareItem>().notNull(),
    fromVersion: text('from_version'),
    toVersion: text('to_version').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('maintenance_software_changes_site_idx').on(t.siteOrgId, t.at),
    check('maintenance_software_changes_changed_check', sql`${t.fromVersion} is distinct from ${t.toVersion}`),
  ],
);

export const ticketNoSeq = pgSequence('maintenance_ticket_no_seq', { startWith: 1, increment: 1 });

export const TICKET_CHANNELS = ['CONSOLE', 'HOTLINE', 'API'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/**
 * A fault ticket. The SLA columns are a snapshot of the contract and outlet at opening; `status` and
 * `last_event_at` mirror the newest event so lists need no join, and clocks are derived from the events.
 */
export const maintenanceTickets = pgTable(
  'maintenance_tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketNo: text('ticket_no').notNull(),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => maintenanceContracts.id, { onDelete: 'restrict' }),
    siteOrgId: uuid('site_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    assetId: uuid('asset_id').references(() => maintenanceAssets.id, { onDelete: 'restrict' }),
    category: text('category').notNull(),
    description: text('description').notNull(),
    channel: text('channel').$type<TicketChannel>().notNull(),
    zone: text('zone').$type<Zone>().notNull(),
    clock: text('clock').$type<SlaClock>().notNull(),
    responseTarget: text('response_target').$type<ResponseTarget>().notNull(),
    responseMinutes: integer('response_minutes').notNull(),
    fixMinutes: integer('fix_minutes'),
    warnPercent: integer('warn_percent').notNull(),
    openingHours: text('opening_hours').notNull(),
    status: text('status').$type<TicketStatus>().notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    lastEventAt: timestamp('last_event_at', { withTimezone: true }).notNull(),
    lastSeq: integer('last_seq').notNull(),
  },
  (t) => [
    uniqueIndex('maintenance_tickets_no_key').on(t.ticketNo),
    index('maintenance_tickets_site_idx').on(t.siteOrgId, t.status),
    index('maintenance_tickets_contract_idx').on(t.contractId, t.status),
    check('maintenance_tickets_status_check', sql`${t.status} in ('NEW','ACKNOWLEDGED','ON_SITE','WAITING','RESOLVED','CLOSED')`),
    check('maintenance_tickets_channel_check', sql`${t.channel} in ('CONSOLE','HOTLINE','API')`),
    check('maintenance_tickets_zone_check', sql`${t.zone} in ('URBAN','SUBURBAN')`),
    check('maintenance_tickets_clock_check', sql`${t.clock} in ('WORKING','ROUND_THE_CLOCK')`),
    check('maintenance_tickets_target_check', sql`${t.responseTarget} in ('ACKNOWLEDGED','ON_SITE')`),
    check('maintenance_tickets_minutes_check', sql`${t.responseMinutes} >= 1 and (${t.fixMinutes} is null or ${t.fixMinutes} >= ${t.responseMinutes})`),
    check('maintenance_tickets_category_check', sql`char_length(${t.category}) between 1 and 50`),
    check('maintenance_tickets_description_check', sql`char_length(${t.description}) between 1 and 2000`),
    check('maintenance_tickets_events_check', sql`${t.lastSeq} >= 1 and ${t.lastEventAt} >= ${t.openedAt}`),
  ],
);

/** The status history of a ticket: append-only, one row per change, retries absorbed by the idempotency key. */
export const maintenanceTicketEvents = pgTable(
  'maintenance_ticket_events',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => maintenanceTickets.id, { onDelete: 'restrict' }),
    seq: integer('seq').notNull(),
    action: text('action').$type<'OPEN' | TicketAction>().notNull(),
    fromStatus: text('from_status').$type<TicketStatus>(),
    toStatus: text('to_status').$type<TicketStatus>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    waitingReason: text('waiting_reason').$type<WaitingReason>(),
    note: text('note'),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.seq] }),
    uniqueIndex('maintenance_ticket_events_key').on(t.idempotencyKey),
    check('maintenance_ticket_events_action_check', sql`${t.action} in ('OPEN','ACKNOWLEDGE','ARRIVE','WAIT','RESUME','RESOLVE','CLOSE','REOPEN')`),
    check('maintenance_ticket_events_open_check', sql`(${t.seq} = 1) = (${t.action} = 'OPEN') and (${t.action} = 'OPEN') = (${t.fromStatus} is null)`),
    check('maintenance_ticket_events_wait_check', sql`(${t.action} = 'WAIT') = (${t.waitingReason} is not null) and (${t.waitingReason} is null or ${t.waitingReason} in ('PARTS','CUSTOMER'))`),
    check('maintenance_ticket_events_note_check', sql`${t.note} is null or char_length(${t.note}) <= 500`),
    check('maintenance_ticket_events_key_check', sql`char_length(${t.idempotencyKey}) between 1 and 100`),
  ],
);

/**
 * The breach register (issue item 8). Ticket breaches are found from the clocks and written once per
 * ticket and kind; missed visits and late reports (no ticket) come with the visit and report modules.
 */
export const maintenanceBreaches = pgTable(
  'maintenance_breaches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => maintenanceContracts.id, { onDelete: 'restrict' }),
    ticketId: uuid('ticket_id').references(() => maintenanceTickets.id, { onDelete: 'restrict' }),
    kind: text('kind').$type<BreachKind>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull().defaultNow(),
    allowedMinutes: integer('allowed_minutes').notNull(),
    usedMinutes: real('used_minutes').notNull(),
    evidence: jsonb('evidence').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    uniqueIndex('maintenance_breaches_ticket_kind_key').on(t.ticketId, t.kind),
    index('maintenance_breaches_contract_idx').on(t.contractId, t.occurredAt),
    check('maintenance_breaches_kind_check', sql`${t.kind} in ('LATE_RESPONSE','LATE_FIX','MISSED_VISIT','LATE_REPORT')`),
    check('maintenance_breaches_ticket_check', sql`(${t.kind} in ('LATE_RESPONSE','LATE_FIX')) = (${t.ticketId} is not null)`),
    check('maintenance_breaches_minutes_check', sql`${t.usedMinutes} > ${t.allowedMinutes}`),
  ],
);
