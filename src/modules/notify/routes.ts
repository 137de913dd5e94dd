import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { Body, errorResponses, IdParams, listOf, Uuid } from '../../http/schemas.ts';
import { addBlock, listBlocks, removeBlock } from './blocklist.ts';
import { decideInDoubt, IN_DOUBT_DECISIONS } from './in-doubt.ts';
import { getMessage, listMessages, smsStats } from './messages-query.ts';
import { SMS_STATUSES } from './states.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateString = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'calendar date in Asia/Shanghai' });
const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

const MessageFields = {
  id: Type.String(),
  phoneMasked: Type.String(),
  text: Type.String(),
  templateId: Nullable(Type.String()),
  senderOrgId: Type.String(),
  category: Type.String(),
  segments: Type.Integer(),
  costMilliFen: Type.Integer({ description: 'cost in 1/1000 fen (0.035 CNY = 3500 per segment)' }),
  status: Type.String(),
  provider: Nullable(Type.String()),
  attempts: Type.Integer(),
  failureCode: Nullable(Type.String({ description: 'error code or receipt stat of the failure' })),
  createdAt: Type.String(),
  submittedAt: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
  nextAttemptAt: Type.String(),
};
const Message = Type.Object(MessageFields);
const MessageDetail = Type.Object({
  ...MessageFields,
  inDoubt: Type.Boolean({ description: 'queued behind a submit of unknown outcome that reconcile could not settle: an operator may decide (POST …/in-doubt)' }),
  attemptList: Type.Array(
    Type.Object({
      id: Type.String(),
      provider: Type.String(),
      startedAt: Type.String(),
      outcome: Nullable(Type.String({ description: 'null while the submit is on its way' })),
      smscIds: Type.Array(Type.String()),
      errorCode: Nullable(Type.String()),
      finishedAt: Nullable(Type.String()),
    }),
  ),
  receipts: Type.Array(
    Type.Object({
      segment: Type.Integer(),
      smscMessageId: Type.String(),
      status: Type.String(),
      stat: Type.String(),
      errorCode: Nullable(Type.String()),
      doneAt: Nullable(Type.String()),
      receivedAt: Type.String(),
    }),
  ),
  events: Type.Array(Type.Object({ at: Type.String(), kind: Type.String(), detail: Type.String() })),
});
const Stats = Type.Object({
  from: Type.String(),
  to: Type.String(),
  byStatus: Type.Record(Type.String(), Type.Integer()),
  messages: Type.Integer(),
  segments: Type.Integer(),
  deliveryRate: Nullable(Type.Number({ description: 'delivered ÷ (delivered + failed + expired), 0–1' })),
  latencyMs: Type.Object({ p50: Nullable(Type.Integer()), p99: Nullable(Type.Integer()) }, { description: 'submit → delivery receipt' }),
  unmatchedReceipts: Type.Integer({ description: 'receipts in the range whose id matches no submitted segment' }),
});
const BlockEntry = Type.Object({
  id: Type.String(),
  phoneMasked: Type.String(),
  signature: Type.String(),
  source: Type.String({ description: 'REPLY (opt-out reply) or MANUAL' }),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
});

/** Read-only views of the SMS outbox, its statistics, and the opt-out block list. */
export const smsRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/sms/messages',
    {
      schema: {
        tags: ['sms'],
        summary: 'Messages of the organisations I see, newest first (phone masked; filter by number through its blind index)',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Enum(SMS_STATUSES)),
            from: Type.Optional(DateString),
            to: Type.Optional(DateString),
            phone: Type.Optional(Type.String({ maxLength: 20 })),
            templateId: Type.Optional(Uuid),
            inDoubt: Type.Optional(Type.Boolean({ description: 'only messages in doubt: queued behind a submit of unknown outcome older than the reconcile window' })),
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: { 200: listOf(Message), ...errorResponses },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, ...filter } = request.query;
      return { items: await listMessages(ctx, request.principal!, { ...filter, limit, offset }) };
    },
  );

  app.get(
    '/api/v1/sms/messages/:id',
    { schema: { tags: ['sms'], summary: 'One message with its submit attempts, receipts per segment and timeline', params: IdParams, response: { 200: MessageDetail, ...errorResponses } } },
    async (request) => getMessage(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/api/v1/sms/messages/:id/in-doubt',
    {
      schema: {
        tags: ['sms'],
        summary: 'Decide a message in doubt after checking with the provider: resend it (risking a duplicate) or close it EXPIRED with SUBMIT_UNCONFIRMED',
        params: IdParams,
        body: Body({
          decision: Type.Enum(IN_DOUBT_DECISIONS, { description: 'resend: it goes out again; close: it ends EXPIRED, never sent again' }),
          reason: Type.String({ minLength: 2, maxLength: 200, pattern: '\\S', description: 'what the provider said; kept in the audit trail' }),
        }),
        response: {
          200: Type.Object({ id: Type.String(), decision: Type.String(), status: Type.String(), failureCode: Nullable(Type.String()), abandonedAttempts: Type.Array(Type.String()) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'sms_message', id: request.params.id };
      request.auditDetails = { decision: request.body.decision, reason: request.body.reason.trim() };
      const result = await decideInDoubt(ctx, request.principal!, request.params.id, request.body.decision);
      request.auditDetails = { ...request.auditDetails, abandonedAttempts: result.abandonedAttempts };
      return result;
    },
  );

  app.get(
    '/api/v1/sms/stats',
    {
      schema: {
        tags: ['sms'],
        summary: 'Counts per status, delivery rate and submit → receipt latency for messages created in a date range',
        querystring: Type.Object({ from: DateString, to: DateString }, { additionalProperties: false }),
        response: { 200: Stats, ...errorResponses },
      },
    },
    async (request) => smsStats(ctx, request.principal!, request.query),
  );

  app.get(
    '/api/v1/sms/blocklist',
    {
      schema: {
        tags: ['sms'],
        summary: 'Numbers that get no messages under a signature (opt-out replies and manual entries)',
        querystring: Type.Object({ phone: Type.Optional(Type.String({ maxLength: 20 })), ...Paging }, { additionalProperties: false }),
        response: { 200: listOf(BlockEntry), ...errorResponses },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, phone } = request.query;
      return { items: await listBlocks(ctx, ctx.db.orm, { phone, limit, offset }) };
    },
  );

  app.post(
    '/api/v1/sms/blocklist',
    {
      schema: {
        tags: ['sms'],
        summary: 'Block a number for a signature; its queued messages under that signature are blocked too',
        body: Body({ phone: Type.String({ minLength: 1, maxLength: 20 }), signature: Type.String({ minLength: 2, maxLength: 16 }) }),
        response: { 201: BlockEntry, ...errorResponses },
      },
    },
    async (request, reply) => {
      const entry = await ctx.db.orm.transaction((tx) => addBlock(ctx, tx, { ...request.body, createdBy: request.principal!.name }));
      request.auditTarget = { type: 'sms_blocklist', id: entry.id };
      return reply.code(201).send(entry);
    },
  );

  app.delete(
    '/api/v1/sms/blocklist/:id',
    { schema: { tags: ['sms'], summary: 'Remove a block list entry (messages blocked before stay blocked)', params: IdParams, response: { 200: BlockEntry, ...errorResponses } } },
    async (request) => removeBlock(ctx.db.orm, request.params.id),
  );
};
