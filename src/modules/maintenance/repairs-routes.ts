import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { Body, errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { REPAIR_PART_MAX, REPAIR_SERIALS_MAX, REPAIR_STATUSES } from './repairs-rules.ts';
import { decideRepair, listTicketRepairs, recordRepair } from './repairs-service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Yuan = Type.String({ description: 'yuan with two decimals, e.g. "12345.67"' });

const Repair = Type.Object({
  id: Type.String(),
  ticketId: Type.String(),
  contractId: Type.String(),
  part: Type.String(),
  quantity: Type.Integer(),
  serials: Type.Array(Type.String()),
  cost: Yuan,
  repairedOn: Type.String({ description: 'the Shanghai day of the repair' }),
  reference: Nullable(Type.String()),
  status: Type.Enum(REPAIR_STATUSES, { description: 'RECORDED by the maintainer; CONFIRMED (goes to settlement) or DISPUTED by the authority' }),
  borneBy: Type.Enum(['MAINTAINER', 'AUTHORITY'], { description: 'seed 002 §3.2(4): up to 10,000.00 per event the maintainer, above it the authority, as a whole' }),
  maintainerShare: Yuan,
  authorityShare: Yuan,
  recordedByName: Nullable(Type.String()),
  decidedByName: Nullable(Type.String()),
  decidedAtLocal: Nullable(Type.String()),
  disputeReason: Nullable(Type.String()),
  createdAtLocal: Type.String(),
});

export const maintenanceRepairRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/maintenance/tickets/:id/repairs',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'The repair events of a ticket (parts or equipment replaced and their cost), with who bears each and what the caller may do',
        params: IdParams,
        response: {
          200: Type.Object({
            contractId: Type.String(),
            maintainerBearsUpTo: Yuan,
            mayRecord: Type.Boolean(),
            mayDecide: Type.Boolean(),
            items: Type.Array(Repair),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => listTicketRepairs(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/api/v1/maintenance/repairs',
    {
      schema: {
        tags: ['maintenance'],
        summary: "Record a repair event of a ticket (the contract's maintainer): what was replaced, its cost in yuan, the day; it waits for the authority to confirm",
        body: Body({
          contractId: Uuid,
          ticketId: Uuid,
          part: Type.String({ minLength: 1, maxLength: REPAIR_PART_MAX, description: 'part or equipment name and model' }),
          quantity: Type.Integer({ minimum: 1, maximum: 10000 }),
          serials: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: REPAIR_SERIALS_MAX })),
          cost: Type.String({ maxLength: 20, description: 'yuan, more than 0, at most two decimals, e.g. "12345.67"' }),
          repairedOn: Type.String({ maxLength: 10, description: 'YYYY-MM-DD, not after today and not before the ticket was opened' }),
          reference: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'invoice or quote reference' }))),
        }),
        response: { 201: Repair, ...errorResponses },
      },
    },
    async (request, reply) => {
      const repair = await recordRepair(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_repair', id: repair.id };
      request.auditDetails = { ticketId: repair.ticketId, contractId: repair.contractId, cost: repair.cost, repairedOn: repair.repairedOn };
      return reply.code(201).send(repair);
    },
  );

  app.post(
    '/api/v1/maintenance/repairs/:id/confirm',
    {
      schema: {
        tags: ['maintenance'],
        summary: "Confirm a recorded repair event (the contract's authority, never the recording organisation); confirmed events go to settlement",
        params: IdParams,
        response: { 200: Repair, ...errorResponses },
      },
    },
    async (request) => {
      const repair = await decideRepair(ctx, request.principal!, request.params.id, { status: 'CONFIRMED' });
      request.auditTarget = { type: 'maintenance_repair', id: repair.id };
      request.auditDetails = { ticketId: repair.ticketId, cost: repair.cost, borneBy: repair.borneBy };
      return repair;
    },
  );

  app.post(
    '/api/v1/maintenance/repairs/:id/dispute',
    {
      schema: {
        tags: ['maintenance'],
        summary: "Dispute a recorded repair event with a reason (the contract's authority); a disputed event is not settled",
        params: IdParams,
        body: Body({ reason: Type.String({ minLength: 1, maxLength: 500 }) }),
        response: { 200: Repair, ...errorResponses },
      },
    },
    async (request) => {
      const repair = await decideRepair(ctx, request.principal!, request.params.id, { status: 'DISPUTED', reason: request.body.reason });
      request.auditTarget = { type: 'maintenance_repair', id: repair.id };
      request.auditDetails = { ticketId: repair.ticketId, cost: repair.cost, reason: repair.disputeReason };
      return repair;
    },
  );
};
