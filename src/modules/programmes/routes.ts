import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { Body, errorResponses, IdParams, listOf, Uuid } from '../../http/schemas.ts';
import { DEADLINE_UNITS, PACKING_ORDERS, PROGRAMME_KINDS } from './schema.ts';
import { createProgramme, getProgramme, listProgrammes, updateProgramme } from './service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Kind = Type.Union(PROGRAMME_KINDS.map((k) => Type.Literal(k)));
const Deadline = Type.Object(
  { amount: Type.Integer({ minimum: 1, maximum: 365 }), unit: Type.Union(DEADLINE_UNITS.map((u) => Type.Literal(u))) },
  { additionalProperties: false },
);
const PackingOrder = Type.Union(PACKING_ORDERS.map((u) => Type.Literal(u)));
const Settings = {
  productionDeadline: Type.Optional(Deadline),
  deliveryDeadline: Type.Optional(Nullable(Deadline)),
  productionRegionPrefix: Type.Optional(Type.String({ pattern: '^[0-9]{2,6}$' })),
  batchSizeLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  personalisationRetentionHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720 })),
  closedApplicationRetentionDays: Type.Optional(
    Type.Integer({ minimum: 30, maximum: 3650, description: 'days after an application closes before its personal data is minimised (default 1095)' }),
  ),
  packingOrder: Type.Optional(PackingOrder),
  producerOrgIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  receiverOrgIds: Type.Optional(Type.Array(Uuid, { maxItems: 2000 })),
};
const Name = Type.String({ minLength: 1, maxLength: 100 });

export const Programme = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  authorityOrgId: Type.String(),
  authorityOrgName: Type.String(),
  productionDeadline: Type.Object({ amount: Type.Integer(), unit: Type.String() }),
  deliveryDeadline: Nullable(Type.Object({ amount: Type.Integer(), unit: Type.String() })),
  productionRegionPrefix: Type.String(),
  batchSizeLimit: Type.Integer(),
  personalisationRetentionHours: Type.Integer(),
  closedApplicationRetentionDays: Type.Integer(),
  packingOrder: Type.String(),
  producers: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  receivers: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const programmeRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/programmes',
    {
      schema: {
        tags: ['programmes'],
        summary: 'Programmes I run (authorities: my subtree) or take part in (outlets, banks, producers)',
        querystring: Type.Object({ kind: Type.Optional(Kind) }, { additionalProperties: false }),
        response: { 200: listOf(Programme), ...errorResponses },
      },
    },
    async (request) => ({ items: await listProgrammes(ctx, request.principal!, request.query) }),
  );

  app.get('/api/v1/programmes/:id', { schema: { tags: ['programmes'], params: IdParams, response: { 200: Programme, ...errorResponses } } }, async (request) =>
    getProgramme(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/api/v1/programmes',
    {
      schema: {
        tags: ['programmes'],
        summary: 'Create a programme; unset settings take the defaults of its kind',
        body: Body({ kind: Kind, name: Name, authorityOrgId: Uuid, ...Settings }),
        response: { 201: Programme, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await createProgramme(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'programme', id: created.id };
      request.auditDetails = { name: created.name, kind: created.kind, authorityOrgId: created.authorityOrgId };
      return reply.code(201).send(created);
    },
  );

  app.patch(
    '/api/v1/programmes/:id',
    { schema: { tags: ['programmes'], params: IdParams, body: Body({ name: Type.Optional(Name), ...Settings }), response: { 200: Programme, ...errorResponses } } },
    async (request) => {
      request.auditTarget = { type: 'programme', id: request.params.id };
      request.auditDetails = { changed: Object.keys(request.body) };
      return updateProgramme(ctx, request.principal!, request.params.id, request.body);
    },
  );
};
