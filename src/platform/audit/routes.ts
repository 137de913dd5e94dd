import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { searchAudit, verifyAuditChain } from './service.ts';

const Outcome = Type.Union([Type.Literal('SUCCESS'), Type.Literal('DENIED'), Type.Literal('FAILED')]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Entry = Type.Object({
  id: Type.String(),
  seq: Type.Number(),
  at: Type.String(),
  actorType: Type.String(),
  actorUsername: Nullable(Type.String()),
  orgName: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  action: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  outcome: Type.String(),
  requestId: Nullable(Type.String()),
  details: Type.Unknown(),
});

export const auditRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Search the audit trail (newest first; values are masked)',
        querystring: Type.Object(
          {
            actor: Type.Optional(Type.String({ maxLength: 100 })),
            action: Type.Optional(Type.String({ maxLength: 100 })),
            outcome: Type.Optional(Outcome),
            targetType: Type.Optional(Type.String({ maxLength: 50 })),
            targetId: Type.Optional(Type.String({ maxLength: 100 })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            page: Type.Integer({ minimum: 1, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Entry), total: Type.Number() }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await searchAudit(ctx, {
        ...q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
      return {
        total: result.total,
        items: result.items.map((r) => ({
          id: r.id,
          seq: r.seq,
          at: r.at.toISOString(),
          actorType: r.actorType,
          actorUsername: r.actorName,
          orgName: r.orgName,
          ip: r.ip,
          action: r.action,
          targetType: r.targetType,
          targetId: r.targetId,
          outcome: r.outcome,
          requestId: r.requestId,
          details: r.details,
        })),
      };
    },
  );

  app.post(
    '/api/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Recompute the hash chain and report the first broken link',
        response: {
          200: Type.Object({ ok: Type.Boolean(), checked: Type.Number(), firstBrokenSeq: Nullable(Type.Number()), reason: Nullable(Type.String()) }),
          ...errorResponses,
        },
      },
    },
    async () => verifyAuditChain(ctx),
  );
};
