import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { localeFrom } from '../../platform/errors/app-error.ts';
import { Body, errorResponses, IdParams, listOf, Uuid } from '../../http/schemas.ts';
import { assetHistory, createAsset, exportLedger, importLedger, listAssets, updateAsset } from './assets.ts';
import { breachRegister } from './breaches.ts';
import { contractView, createContract, createZoneTable, listContracts, listSites, listZoneTables, upsertSite, ZONE_PRESETS } from './contracts.ts';
import { ASSET_STATUS_CODES, ASSET_TYPE_CODES, SOFTWARE_ITEM_CODES } from './ledger.ts';
import { setSiteSoftware, siteSoftware } from './software.ts';
import { orgsByIds } from '../orgs/service.ts';
import { SITE_SERVICES } from './schema.ts';
import { RESPONSE_TARGETS, SLA_CLOCKS } from './sla.ts';
import { TICKET_STATUSES, WAITING_REASONS, type TicketAction } from './states.ts';
import { getTicket, listTickets, openTicket, recordTicketAction, sweepTicketBreaches } from './tickets.ts';
import { ZONES } from './zones.ts';
import { sweepTerminationAlerts } from './termination.ts';
import { maintenanceVisitRoutes } from './visits-routes.ts';
import { maintenanceReportRoutes } from './reports-routes.ts';
import { maintenanceSpareRoutes } from './spares-routes.ts';
import { maintenanceInspectionRoutes } from './inspections-routes.ts';
import { maintenanceStaffRoutes } from './staff-routes.ts';
import { maintenanceRepairRoutes } from './repairs-routes.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};
const DateString = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const PerZone = Type.Object({ URBAN: Type.Integer(), SUBURBAN: Type.Integer() }, { additionalProperties: false });
const ZoneEntry = Type.Object({ regionCode: Type.String(), district: Type.String(), zone: Type.Enum(ZONES) }, { additionalProperties: false });
/** A ledger file is a few thousand rows; its base64 XLSX form is well above the usual body limit. */
const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;

const ZoneTable = Type.Object({ id: Type.String(), name: Type.String(), version: Type.Integer(), entries: Type.Array(ZoneEntry), createdAt: Type.String() });
const Contract = Type.Object({
  id: Type.String(),
  name: Type.String(),
  authorityOrgId: Type.String(),
  authorityName: Type.String(),
  maintainerOrgId: Type.String(),
  maintainerName: Type.String(),
  termStart: Type.String(),
  termEnd: Type.String(),
  zoneTableId: Nullable(Type.String()),
  clock: Type.String(),
  responseTarget: Type.String(),
  responseMinutes: PerZone,
  fixMinutes: Nullable(PerZone),
  warnPercent: Type.Integer(),
  breachTerminationCount: Nullable(Type.Integer()),
});
const Site = Type.Object({
  orgId: Type.String(),
  name: Type.String(),
  regionCode: Nullable(Type.String()),
  contractId: Type.String(),
  contractName: Type.String(),
  services: Type.Array(Type.String()),
  openingHours: Type.String(),
  zoneOverride: Nullable(Type.String()),
  zone: Nullable(Type.String({ description: 'null when the district is not in the zone table and no override is set' })),
});
const Asset = Type.Object({
  id: Type.String(),
  siteOrgId: Type.String(),
  siteName: Type.String(),
  type: Type.String(),
  serial: Type.String(),
  model: Type.String(),
  status: Type.String(),
  samCardNo: Nullable(Type.String()),
  purchaseDate: Nullable(Type.String()),
  warrantyUntil: Nullable(Type.String()),
  updatedAt: Type.String(),
});
const AssetFieldsBody = {
  type: Type.Enum(ASSET_TYPE_CODES),
  serial: Type.String({ minLength: 1, maxLength: 64 }),
  model: Type.String({ minLength: 1, maxLength: 100 }),
  status: Type.Enum(ASSET_STATUS_CODES),
  samCardNo: Nullable(Type.String({ maxLength: 32 })),
  purchaseDate: Nullable(DateString),
  warrantyUntil: Nullable(DateString),
  siteOrgId: Uuid,
};
const ErrorInfo = Nullable(Type.Object({ code: Type.String(), message: Type.String() }));
const Clock = Nullable(
  Type.Object({
    allowedMinutes: Type.Integer(),
    usedMinutes: Type.Integer(),
    leftMinutes: Type.Integer({ description: 'negative once breached' }),
    percent: Type.Integer(),
    deadline: Nullable(Type.String({ description: 'null while paused or when the calendar cannot tell (see deadlineError)' })),
    deadlineLocal: Nullable(Type.String()),
    stoppedAt: Nullable(Type.String()),
    paused: Type.Boolean(),
    breached: Type.Boolean(),
    state: Type.String({ description: 'RUNNING, WARNING, PAUSED, MET or BREACHED' }),
    deadlineError: ErrorInfo,
  }),
);
const Ticket = Type.Object({
  id: Type.String(),
  ticketNo: Type.String(),
  siteOrgId: Type.String(),
  siteName: Type.String(),
  contractId: Type.String(),
  assetId: Nullable(Type.String()),
  assetSerial: Nullable(Type.String()),
  assetType: Nullable(Type.String()),
  category: Type.String(),
  description: Type.String(),
  channel: Type.String(),
  zone: Type.String(),
  status: Type.String(),
  openedAt: Type.String(),
  openedAtLocal: Type.String(),
  lastEventAt: Type.String(),
  sla: Type.Object({
    clock: Type.String(),
    responseTarget: Type.String(),
    responseMinutes: Type.Integer(),
    fixMinutes: Nullable(Type.Integer()),
    warnPercent: Type.Integer(),
    openingHours: Type.String(),
  }),
  clocks: Type.Object({ response: Clock, fix: Clock, error: ErrorInfo }),
  asOf: Type.String(),
});
const TicketDetail = Type.Intersect([
  Ticket,
  Type.Object({
    events: Type.Array(
      Type.Object({
        seq: Type.Integer(),
        action: Type.String(),
        fromStatus: Nullable(Type.String()),
        toStatus: Type.String(),
        at: Type.String(),
        atLocal: Type.String(),
        waitingReason: Nullable(Type.String()),
        note: Nullable(Type.String()),
        actorName: Type.String(),
      }),
    ),
    actions: Type.Array(Type.String(), { description: 'what I may do next' }),
  }),
]);
const EventBody = Body({
  at: Type.Optional(Type.String({ format: 'date-time', description: 'when it happened (default now); not before the last change, not in the future' })),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'a retry with the same key changes nothing' })),
});
const WaitBody = Body({
  at: Type.Optional(Type.String({ format: 'date-time' })),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  waitingReason: Type.Enum(WAITING_REASONS),
});
const Breaches = Type.Object({
  contracts: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      maintainerName: Type.String(),
      termStart: Type.String(),
      termEnd: Type.String(),
      breaches: Type.Integer(),
      terminationThreshold: Nullable(Type.Integer()),
      standing: Type.String({ description: 'OK, APPROACHING (one breach before the threshold) or REACHED' }),
    }),
  ),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      contractId: Type.String(),
      contractName: Type.String(),
      ticketId: Nullable(Type.String()),
      ticketNo: Nullable(Type.String()),
      siteName: Nullable(Type.String()),
      kind: Type.String(),
      occurredAt: Type.String(),
      occurredAtLocal: Type.String(),
      detectedAt: Type.String(),
      allowedMinutes: Type.Integer(),
      usedMinutes: Type.Integer(),
      evidence: Type.Unknown(),
    }),
  ),
  total: Type.Integer(),
  alerts: Type.Array(
    Type.Object({
      contractId: Type.String(),
      level: Type.String({ description: 'APPROACHING (one breach before the threshold) or REACHED; each raised once' }),
      breaches: Type.Integer(),
      threshold: Type.Integer(),
      raisedAt: Type.String(),
      raisedAtLocal: Type.String(),
      message: Type.Object({ zh: Type.String(), en: Type.String() }),
    }),
  ),
});

const WORK_ACTIONS: [string, TicketAction, string][] = [
  ['acknowledge', 'ACKNOWLEDGE', 'Acknowledge the fault (NEW → ACKNOWLEDGED); stops a response clock that ends at acknowledgement'],
  ['arrive', 'ARRIVE', 'Engineer on site (ACKNOWLEDGED → ON_SITE); stops a response clock that ends on site'],
  ['resume', 'RESUME', 'Work resumes after waiting (WAITING → ON_SITE); the clocks run again'],
  ['resolve', 'RESOLVE', 'Fault fixed (ACKNOWLEDGED or ON_SITE → RESOLVED); stops the fix clock'],
  ['close', 'CLOSE', 'The reporting outlet confirms the fix (RESOLVED → CLOSED)'],
  ['reopen', 'REOPEN', 'The reporting outlet finds the fault still there (RESOLVED → ON_SITE); the fix clock runs on from opening'],
];

export const maintenanceRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  // ---- contracts, zones, sites ----
  app.get(
    '/api/v1/maintenance/zone-tables',
    { schema: { tags: ['maintenance'], summary: 'District → zone tables, every version', response: { 200: listOf(ZoneTable), ...errorResponses } } },
    async () => ({ items: await listZoneTables(ctx) }),
  );

  app.post(
    '/api/v1/maintenance/zone-tables',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'A new version of a zone table (entries, or a preset: SHANGHAI_2025 from seed 001)',
        body: Body({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          entries: Type.Optional(Type.Array(ZoneEntry, { maxItems: 500 })),
          preset: Type.Optional(Type.String({ description: `one of ${Object.keys(ZONE_PRESETS).join(', ')}` })),
        }),
        response: { 201: ZoneTable, ...errorResponses },
      },
    },
    async (request, reply) => {
      const table = await createZoneTable(ctx, request.body);
      request.auditTarget = { type: 'maintenance_zone_table', id: table.id };
      request.auditDetails = { name: table.name, version: table.version };
      return reply.code(201).send(table);
    },
  );

  app.get(
    '/api/v1/maintenance/contracts',
    { schema: { tags: ['maintenance'], summary: 'Maintenance contracts I may see (signed by my authority, or held by my maintainer)', response: { 200: listOf(Contract), ...errorResponses } } },
    async (request) => {
      const rows = await listContracts(ctx, request.principal!);
      const orgs = await orgsByIds(ctx, rows.flatMap((r) => [r.authorityOrgId, r.maintainerOrgId]));
      const names = new Map([...orgs].map(([id, o]) => [id, o.name]));
      return { items: rows.map((r) => contractView(r, names)) };
    },
  );

  app.post(
    '/api/v1/maintenance/contracts',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'A maintenance contract with its SLA: allowances per zone, working-hour or 7×24 clock, warning and termination thresholds',
        body: Body({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          authorityOrgId: Uuid,
          maintainerOrgId: Uuid,
          termStart: DateString,
          termEnd: DateString,
          zoneTableId: Nullable(Uuid),
          clock: Type.Enum(SLA_CLOCKS),
          responseTarget: Type.Enum(RESPONSE_TARGETS),
          responseMinutes: PerZone,
          fixMinutes: Nullable(PerZone),
          warnPercent: Type.Optional(Type.Integer({ default: 75 })),
          breachTerminationCount: Nullable(Type.Integer()),
        }),
        response: { 201: Contract, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await createContract(ctx, request.principal!, { ...request.body, warnPercent: request.body.warnPercent ?? 75 });
      request.auditTarget = { type: 'maintenance_contract', id: row.id };
      request.auditDetails = { name: row.name };
      const orgs = await orgsByIds(ctx, [row.authorityOrgId, row.maintainerOrgId]);
      return reply.code(201).send(contractView(row, new Map([...orgs].map(([id, o]) => [id, o.name]))));
    },
  );

  app.get(
    '/api/v1/maintenance/sites',
    { schema: { tags: ['maintenance'], summary: 'Maintained outlets I may see, with services, opening hours and zone', response: { 200: listOf(Site), ...errorResponses } } },
    async (request) => ({ items: await listSites(ctx, request.principal!) }),
  );

  app.put(
    '/api/v1/maintenance/sites/:id',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Register an outlet (organisation id) under a contract, or change its services, opening hours or zone override',
        params: IdParams,
        body: Body({
          contractId: Uuid,
          services: Type.Array(Type.Enum(SITE_SERVICES), { maxItems: 2 }),
          openingHours: Type.String({ minLength: 11, maxLength: 100, description: 'e.g. 09:00-12:00,13:00-17:00' }),
          zoneOverride: Nullable(Type.Enum(ZONES)),
        }),
        response: { 200: Site, ...errorResponses },
      },
    },
    async (request) => {
      const site = await upsertSite(ctx, request.principal!, request.params.id, request.body);
      request.auditTarget = { type: 'maintenance_site', id: site.orgId };
      request.auditDetails = { contractId: site.contractId, openingHours: site.openingHours, zone: site.zone };
      return site;
    },
  );

  const Software = Type.Object({
    items: Type.Array(Type.Object({ item: Type.String(), version: Nullable(Type.String()), updatedAt: Nullable(Type.String()) })),
    changes: Type.Array(Type.Object({ item: Type.String(), fromVersion: Nullable(Type.String()), toVersion: Type.String(), actorName: Type.String(), at: Type.String() })),
  });

  app.get(
    '/api/v1/maintenance/sites/:id/software',
    { schema: { tags: ['maintenance'], summary: 'The software of an outlet (seed 001 table 1) with installed versions and the latest changes', params: IdParams, response: { 200: Software, ...errorResponses } } },
    async (request) => siteSoftware(ctx, request.principal!, request.params.id),
  );

  app.put(
    '/api/v1/maintenance/sites/:id/software',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Record installed versions; each changed one is kept in the history (old → new)',
        params: IdParams,
        body: Body({ items: Type.Array(Type.Object({ item: Type.Enum(SOFTWARE_ITEM_CODES), version: Type.String({ minLength: 1, maxLength: 50 }) }, { additionalProperties: false }), { minItems: 1, maxItems: SOFTWARE_ITEM_CODES.length }) }),
        response: { 200: Software, ...errorResponses },
      },
    },
    async (request) => {
      const changed = await setSiteSoftware(ctx, request.principal!, request.params.id, request.body.items);
      request.auditTarget = { type: 'maintenance_site', id: request.params.id };
      request.auditDetails = { softwareChanged: changed };
      return siteSoftware(ctx, request.principal!, request.params.id);
    },
  );

  // ---- asset ledger ----
  app.get(
    '/api/v1/maintenance/assets',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'The equipment ledger I may see',
        querystring: Type.Object({ siteOrgId: Type.Optional(Uuid), type: Type.Optional(Type.Enum(ASSET_TYPE_CODES)), status: Type.Optional(Type.Enum(ASSET_STATUS_CODES)), ...Paging }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Asset), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => listAssets(ctx, request.principal!, request.query),
  );

  app.get(
    '/api/v1/maintenance/assets/ledger',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Export the equipment ledger (设备台帐) as CSV (UTF-8 with BOM) or XLSX; the same columns import back',
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'xlsx' })) }, { additionalProperties: false }),
        response: { 200: Type.Unknown(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'xlsx';
      const file = await exportLedger(ctx, request.principal!, format);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="equipment-ledger.${format}"`)
        .send(file);
    },
  );

  app.get(
    '/api/v1/maintenance/assets/:id/history',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Every change of an asset: who, when, old → new',
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ seq: Type.Integer(), kind: Type.String(), changes: Type.Unknown({ description: '{field: {from, to}}' }), actorName: Type.String(), at: Type.String() })),
            orgNames: Type.Record(Type.String(), Type.String(), { description: 'names of the outlets named in siteOrgId changes' }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => assetHistory(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/api/v1/maintenance/assets',
    { schema: { tags: ['maintenance'], summary: 'Add an asset to the ledger', body: Body(AssetFieldsBody), response: { 201: Asset, ...errorResponses } } },
    async (request, reply) => {
      const asset = await createAsset(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_asset', id: asset.id };
      request.auditDetails = { serial: asset.serial, type: asset.type };
      return reply.code(201).send(asset);
    },
  );

  app.patch(
    '/api/v1/maintenance/assets/:id',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Change an asset (status, outlet, dates…); the change is kept in its history',
        params: IdParams,
        body: Type.Partial(Body(AssetFieldsBody)),
        response: { 200: Asset, ...errorResponses },
      },
    },
    async (request) => {
      const asset = await updateAsset(ctx, request.principal!, request.params.id, request.body);
      request.auditTarget = { type: 'maintenance_asset', id: asset.id };
      return asset;
    },
  );

  app.post(
    '/api/v1/maintenance/assets/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['maintenance'],
        summary: 'Import a ledger file, all or nothing',
        description:
          'content: the CSV text, or the XLSX file in base64. Columns (header row): 设备类型/type, 序列号/serial, 型号/model, 网点/outlet (name or organisation id), 状态/status, SAM卡号/samCardNo, 购置日期/purchaseDate, 保修截止/warrantyUntil. Any bad row: 400 ASSET_IMPORT_INVALID with details.rows [{row, serial, errors}] and nothing imported.',
        body: Body({ format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]), content: Type.String({ minLength: 1 }) }),
        response: { 200: Type.Object({ imported: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const out = await importLedger(ctx, request.principal!, request.body);
      request.auditDetails = { imported: out.imported };
      return out;
    },
  );

  // ---- tickets ----
  app.get(
    '/api/v1/maintenance/tickets',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Fault tickets I may see, newest first, with live SLA clocks',
        querystring: Type.Object({ status: Type.Optional(Type.Enum(TICKET_STATUSES)), open: Type.Optional(Type.Boolean()), siteOrgId: Type.Optional(Uuid), ...Paging }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Ticket), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => listTickets(ctx, request.principal!, request.query, localeFrom(request.headers['accept-language'])),
  );

  app.get(
    '/api/v1/maintenance/tickets/:id',
    { schema: { tags: ['maintenance'], summary: 'A ticket with its status history, clocks and the actions open to me', params: IdParams, response: { 200: TicketDetail, ...errorResponses } } },
    async (request) => getTicket(ctx, request.principal!, request.params.id, localeFrom(request.headers['accept-language'])),
  );

  app.post(
    '/api/v1/maintenance/tickets',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Report a fault at an outlet (console, hotline, or API)',
        description:
          'An asset must belong to the outlet (409 TICKET_ASSET_OTHER_SITE). openedAt (default now) lets the hotline record when the call came in. A retry with the same idempotencyKey answers the ticket already opened (200).',
        body: Body({
          siteOrgId: Uuid,
          assetId: Type.Optional(Nullable(Uuid)),
          category: Type.String({ minLength: 1, maxLength: 50 }),
          description: Type.String({ minLength: 1, maxLength: 2000 }),
          channel: Type.Optional(Type.Union([Type.Literal('CONSOLE'), Type.Literal('HOTLINE')])),
          openedAt: Type.Optional(Type.String({ format: 'date-time' })),
          idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
        }),
        response: { 200: TicketDetail, 201: TicketDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id, created } = await openTicket(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_ticket', id };
      return reply.code(created ? 201 : 200).send(await getTicket(ctx, request.principal!, id, localeFrom(request.headers['accept-language'])));
    },
  );

  const eventRoute = (path: string, action: TicketAction, summary: string, body: typeof EventBody | typeof WaitBody) =>
    app.post(
      `/api/v1/maintenance/tickets/:id/${path}`,
      { schema: { tags: ['maintenance'], summary, params: IdParams, body, response: { 200: TicketDetail, ...errorResponses } } },
      async (request) => {
        await recordTicketAction(ctx, request.principal!, request.params.id, action, request.body);
        request.auditTarget = { type: 'maintenance_ticket', id: request.params.id };
        return getTicket(ctx, request.principal!, request.params.id, localeFrom(request.headers['accept-language']));
      },
    );
  for (const [path, action, summary] of WORK_ACTIONS) eventRoute(path, action, summary, EventBody);
  eventRoute('wait', 'WAIT', 'Waiting for parts or for the outlet (→ WAITING): the clocks pause until work resumes', WaitBody);

  // ---- breaches ----
  app.get(
    '/api/v1/maintenance/breaches',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'The breach register: each contract with its breaches in the term against the termination threshold, and the breaches with evidence',
        querystring: Type.Object({ contractId: Type.Optional(Uuid), ...Paging }, { additionalProperties: false }),
        response: { 200: Breaches, ...errorResponses },
      },
    },
    async (request) => {
      await sweepTicketBreaches(ctx);
      await sweepTerminationAlerts(ctx);
      return breachRegister(ctx, request.principal!, request.query);
    },
  );

  await app.register(maintenanceVisitRoutes(ctx));
  await app.register(maintenanceReportRoutes(ctx));
  await app.register(maintenanceSpareRoutes(ctx));
  await app.register(maintenanceInspectionRoutes(ctx));
  await app.register(maintenanceStaffRoutes(ctx));
  await app.register(maintenanceRepairRoutes(ctx));
};
