import { sql } from 'drizzle-orm';
import { check, foreignKey, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../orgs/schema.ts';
import type { AssetType } from './ledger.ts';
import { maintenanceContracts } from './schema.ts';

/**
 * A spare-parts depot of a contract's maintainer. Its stock is the ledger itself: assets with
 * `depot_id` set are at the depot (spares, and faulty ones waiting for repair). Every asset of the
 * ledger is registered under a maintained site, so a depot names the site its stock is registered
 * under (`site_org_id`, a site of the same contract).
 */
export const maintenanceSpareDepots = pgTable(
  'maintenance_spare_depots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contractId: uuid('contract_id').notNull(),
    siteOrgId: uuid('site_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    address: text('address').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Named by hand: the generated name passes PostgreSQL's 63-character limit.
    foreignKey({ name: 'maintenance_spare_depots_contract_fk', columns: [t.contractId], foreignColumns: [maintenanceContracts.id] }).onDelete('restrict'),
    uniqueIndex('maintenance_spare_depots_contract_name_key').on(t.contractId, t.name),
    check('maintenance_spare_depots_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check('maintenance_spare_depots_address_check', sql`char_length(${t.address}) between 1 and 200`),
  ],
);

/** A contract's own spare share for a type, in per-mille of its outlets; types without a row use seed 001 table 2. */
export const maintenanceSpareRatios = pgTable(
  'maintenance_spare_ratios',
  {
    contractId: uuid('contract_id').notNull(),
    type: text('type').$type<AssetType>().notNull(),
    perMille: integer('per_mille').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.contractId, t.type] }),
    foreignKey({ name: 'maintenance_spare_ratios_contract_fk', columns: [t.contractId], foreignColumns: [maintenanceContracts.id] }).onDelete('restrict'),
    check(
      'maintenance_spare_ratios_type_check',
      sql`${t.type} in ('DESKTOP_PC','CARD_PRINTER','FLATBED_PRINTER','PIN_PAD_READER','PHOTO_KIT','FISCAL_DONGLE','CARD_READER','ID_CARD_READER','REWRITABLE_DEVICE','SCANNER','USB_ADAPTER','TRANSPORT_CARD_READER')`,
    ),
    check('maintenance_spare_ratios_per_mille_check', sql`${t.perMille} between 0 and 1000`),
  ],
);
