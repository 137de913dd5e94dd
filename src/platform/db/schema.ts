// Every table of every module, for Drizzle's migration generator and typed queries.
export * from '../../modules/orgs/schema.ts';
export * from '../auth/schema.ts';
export * from '../audit/schema.ts';
export * from '../../modules/calendar/schema.ts';
export * from '../../modules/programmes/schema.ts';
export * from '../../modules/applications/schema.ts';
export * from '../../modules/cards/schema.ts';
export * from '../../modules/production/schema.ts';
export * from '../../modules/logistics/schema.ts';
export * from '../../modules/maintenance/schema.ts';
export * from '../../modules/maintenance/visits-schema.ts';
export * from '../../modules/maintenance/spares-schema.ts';
export * from '../../modules/maintenance/inspections-schema.ts';
export * from '../../modules/maintenance/reports-schema.ts';
export * from '../../modules/notify/templates-schema.ts';
export * from '../../modules/notify/schema.ts';
export * from '../../modules/ops/schema.ts';
