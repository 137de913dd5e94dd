import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { Body, errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { ASSET_TYPE_CODES } from './ledger.ts';
import { FAULTY_DESTINATIONS, PER_MILLE_MAX } from './spares-rules.ts';
import { createDepot, listDepotSpares, receiveSpare, restockAsset, setSpareRatios, spareShortfalls, spareStock, swapSpare } from './spares-service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateString = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const ContractQuery = Type.Object({ contractId: Type.Optional(Uuid) }, { additionalProperties: false });

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
  depotId: Nullable(Type.String({ description: 'the depot the asset is at, null when at work at its site' })),
});
const Line = Type.Object({
  type: Type.String(),
  perMille: Type.Integer({ description: 'spares per 1000 outlets served' }),
  custom: Type.Boolean({ description: "the contract's own share (false: seed 001 table 2)" }),
  required: Type.Integer({ description: 'ceil(perMille × outlets / 1000)' }),
  stock: Type.Integer(),
  shortfall: Type.Integer(),
});
const Stock = Type.Object({
  contracts: Type.Array(
    Type.Object({
      contractId: Type.String(),
      contractName: Type.String(),
      outlets: Type.Integer(),
      mayKeepStock: Type.Boolean(),
      lines: Type.Array(Line),
      depots: Type.Array(
        Type.Object({
          id: Type.String(),
          name: Type.String(),
          address: Type.String(),
          siteOrgId: Type.String(),
          siteName: Type.String(),
          stock: Type.Record(Type.String(), Type.Integer(), { description: 'spares in stock per equipment type' }),
        }),
      ),
    }),
  ),
});
const Shortfall = Type.Object({
  type: Type.String(),
  required: Type.Integer(),
  stock: Type.Integer(),
  shortfall: Type.Integer(),
});

export const maintenanceSpareRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/maintenance/spares/stock',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Spare stock per contract: for every equipment type the share, required level, stock and shortfall, and each depot’s stock',
        querystring: ContractQuery,
        response: { 200: Stock, ...errorResponses },
      },
    },
    async (request) => spareStock(ctx, request.principal!, request.query.contractId),
  );

  app.get(
    '/api/v1/maintenance/spares/shortfalls',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Equipment types whose spare stock is below the required level, per contract',
        querystring: ContractQuery,
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ contractId: Type.String(), contractName: Type.String(), outlets: Type.Integer(), perMille: Type.Integer(), ...Shortfall.properties })) }),
          ...errorResponses,
        },
      },
    },
    async (request) => spareShortfalls(ctx, request.principal!, request.query.contractId),
  );

  app.post(
    '/api/v1/maintenance/spares/depots',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'A spare-parts depot of a contract; its stock is registered in the ledger under siteOrgId (a site of the contract)',
        body: Body({ contractId: Uuid, siteOrgId: Uuid, name: Type.String({ minLength: 1, maxLength: 100 }), address: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 201: Type.Object({ id: Type.String(), contractId: Type.String(), siteOrgId: Type.String(), name: Type.String(), address: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const depot = await createDepot(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_spare_depot', id: depot.id };
      request.auditDetails = { contractId: depot.contractId, name: depot.name };
      return reply.code(201).send({ id: depot.id, contractId: depot.contractId, siteOrgId: depot.siteOrgId, name: depot.name, address: depot.address });
    },
  );

  app.get(
    '/api/v1/maintenance/spares/depots/:id/assets',
    { schema: { tags: ['maintenance'], summary: 'What is at a depot: spares and faulty assets waiting for repair', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Asset) }), ...errorResponses } } },
    async (request) => listDepotSpares(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/api/v1/maintenance/spares/depots/:id/spares',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Receive a new spare into a depot: a new asset of the ledger with status SPARE',
        params: IdParams,
        body: Body({
          type: Type.Enum(ASSET_TYPE_CODES),
          serial: Type.String({ minLength: 1, maxLength: 64 }),
          model: Type.String({ minLength: 1, maxLength: 100 }),
          samCardNo: Nullable(Type.String({ maxLength: 32 })),
          purchaseDate: Nullable(DateString),
          warrantyUntil: Nullable(DateString),
        }),
        response: { 201: Asset, ...errorResponses },
      },
    },
    async (request, reply) => {
      const asset = await receiveSpare(ctx, request.principal!, request.params.id, request.body);
      request.auditTarget = { type: 'maintenance_asset', id: asset.id };
      request.auditDetails = { depotId: request.params.id, serial: asset.serial, type: asset.type };
      return reply.code(201).send(asset);
    },
  );

  app.put(
    '/api/v1/maintenance/spares/ratios/:id',
    {
      schema: {
        tags: ['maintenance'],
        summary: "Set a contract's spare shares (per-mille of outlets served); null goes back to seed 001 table 2",
        params: IdParams,
        body: Body({
          ratios: Type.Array(Type.Object({ type: Type.Enum(ASSET_TYPE_CODES), perMille: Nullable(Type.Integer({ minimum: 0, maximum: PER_MILLE_MAX })) }, { additionalProperties: false }), {
            minItems: 1,
            maxItems: ASSET_TYPE_CODES.length,
          }),
        }),
        response: { 200: Stock, ...errorResponses },
      },
    },
    async (request) => {
      const out = await setSpareRatios(ctx, request.principal!, request.params.id, request.body.ratios);
      request.auditTarget = { type: 'maintenance_contract', id: request.params.id };
      request.auditDetails = { ratios: request.body.ratios };
      return out;
    },
  );

  app.post(
    '/api/v1/maintenance/spares/restock',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Take an asset back from repair (or a spare registered at an outlet) into a depot as a spare',
        body: Body({ assetId: Uuid, depotId: Uuid }),
        response: { 200: Asset, ...errorResponses },
      },
    },
    async (request) => {
      const asset = await restockAsset(ctx, request.principal!, request.body.assetId, request.body.depotId);
      request.auditTarget = { type: 'maintenance_asset', id: asset.id };
      request.auditDetails = { depotId: request.body.depotId };
      return asset;
    },
  );

  app.post(
    '/api/v1/maintenance/spares/swap',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Replace a faulty asset with a spare: the spare goes into service at the outlet, the faulty one to the depot, in one transaction',
        description:
          'The spare must be in stock (409 SPARE_NOT_IN_STOCK), the asset at work at an outlet (SPARE_ASSET_NOT_IN_SERVICE), both of one type (SPARE_TYPE_MISMATCH) and one contract (SPARE_OTHER_CONTRACT); a ticket, if given, must be of that asset or outlet (SPARE_TICKET_MISMATCH). shortfall: the type still short after the swap; shortfallCreated: this swap made it short (also written to the audit trail).',
        body: Body({ spareId: Uuid, assetId: Uuid, ticketId: Type.Optional(Nullable(Uuid)), faultyStatus: Type.Optional(Type.Enum(FAULTY_DESTINATIONS)) }),
        response: {
          200: Type.Object({ spare: Asset, replaced: Asset, contractId: Type.String(), shortfall: Nullable(Shortfall), shortfallCreated: Type.Boolean() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const out = await swapSpare(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_asset', id: out.replaced.id };
      request.auditDetails = { spareId: out.spare.id, ticketId: request.body.ticketId ?? null, shortfallCreated: out.shortfallCreated };
      return out;
    },
  );
};
