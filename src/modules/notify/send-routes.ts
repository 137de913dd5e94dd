import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { Body, errorResponses, IdParams, listOf, Uuid } from '../../http/schemas.ts';
import { createCampaign, getCampaign, listCampaigns, listQuotas, previewCampaign, sendOne, setQuota } from './send-service.ts';
import { SMS_CATEGORIES } from './states.ts';
import { createSignature, createTemplate, decideTemplate, getTemplate, listSignatures, listTemplates, previewTemplate, updateTemplate } from './templates-service.ts';
import { MAX_TEXT_CHARS, TEMPLATE_STATUSES } from './templates.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** A recipient list of 100,000 rows is a few megabytes of CSV. */
const CAMPAIGN_BODY_LIMIT = 16 * 1024 * 1024;

const Category = Type.Enum(SMS_CATEGORIES);
const Values = Type.Record(Type.String({ maxLength: 32 }), Type.String({ maxLength: 200 }), { description: 'placeholder → value' });
const ClientKey = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description: 'the caller’s idempotency key: the same key again returns the first result' });
const Preview = {
  text: Type.String(),
  encoding: Type.String({ description: 'GSM7 or UCS2' }),
  chars: Type.Integer(),
  segments: Type.Integer(),
  costMilliFen: Type.Integer({ description: 'cost in 1/1000 fen (0.035 CNY = 3500)' }),
};
const Signature = Type.Object({ id: Type.String(), orgId: Type.String(), text: Type.String(), createdAt: Type.String() });
const Template = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  signatureId: Type.String(),
  signature: Type.String(),
  body: Type.String(),
  category: Type.String(),
  status: Type.String(),
  placeholders: Type.Array(Type.String()),
  preview: Type.Object(Preview),
  createdById: Type.String(),
  createdByName: Nullable(Type.String()),
  submittedAt: Nullable(Type.String()),
  decidedById: Nullable(Type.String()),
  decidedByName: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  rejectReason: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const TemplateFields = {
  signatureId: Uuid,
  body: Type.String({ minLength: 1, maxLength: MAX_TEXT_CHARS }),
  category: Category,
};
const Recipients = Type.Union([
  Type.Object({ source: Type.Literal('CSV'), csv: Type.String({ minLength: 1, description: 'UTF-8 CSV: header `phone,<placeholder>,…`, one recipient per line' }) }, { additionalProperties: false }),
  Type.Object(
    { source: Type.Literal('CARD_QUERY'), outletOrgId: Uuid, minDays: Type.Integer({ minimum: 1, maximum: 365, description: 'cards waiting at the outlet for more than this many days' }) },
    { additionalProperties: false },
  ),
]);
const CampaignFields = { templateId: Uuid, channel: Category, recipients: Recipients };
const Campaign = Type.Object({
  id: Type.String(),
  name: Type.String(),
  templateId: Type.String(),
  templateName: Type.String(),
  templateVersion: Type.Integer(),
  source: Type.String(),
  sourceDetail: Type.Record(Type.String(), Type.Unknown()),
  recipients: Type.Integer(),
  queued: Type.Integer(),
  blocked: Type.Integer(),
  segments: Type.Integer(),
  costMilliFen: Type.Integer(),
  createdByName: Nullable(Type.String()),
  createdAt: Type.String(),
  progress: Type.Object(
    {
      queued: Type.Integer(),
      submitted: Type.Integer(),
      delivered: Type.Integer(),
      failed: Type.Integer(),
      expired: Type.Integer(),
      held: Type.Integer(),
      blocked: Type.Integer(),
      finished: Type.Boolean(),
    },
    { description: 'the messages by status now (live); `queued`/`blocked` above are the counts at creation' },
  ),
});

export const smsSendRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/sms/signatures',
    { schema: { tags: ['sms'], summary: 'Registered signatures (【…】) of the organisations I see', response: { 200: listOf(Signature), ...errorResponses } } },
    async (request) => listSignatures(ctx, request.principal!),
  );

  app.post(
    '/api/v1/sms/signatures',
    {
      schema: {
        tags: ['sms'],
        summary: 'Register a signature for my organisation (after the carrier accepted it)',
        body: Body({ text: Type.String({ minLength: 2, maxLength: 20 }) }),
        response: { 201: Signature, ...errorResponses },
      },
    },
    async (request, reply) => {
      const sig = await createSignature(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'sms_signature', id: sig.id };
      return reply.code(201).send(sig);
    },
  );

  app.get(
    '/api/v1/sms/templates',
    {
      schema: {
        tags: ['sms'],
        summary: 'Templates (every version) of the organisations I see',
        querystring: Type.Object(
          { status: Type.Optional(Type.Enum(TEMPLATE_STATUSES)), name: Type.Optional(Type.String({ maxLength: 64 })), category: Type.Optional(Category) },
          { additionalProperties: false },
        ),
        response: { 200: listOf(Template), ...errorResponses },
      },
    },
    async (request) => listTemplates(ctx, request.principal!, request.query),
  );

  app.get(
    '/api/v1/sms/templates/:id',
    { schema: { tags: ['sms'], summary: 'One template version with its preview', params: IdParams, response: { 200: Template, ...errorResponses } } },
    async (request) => getTemplate(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/api/v1/sms/templates/preview',
    {
      schema: {
        tags: ['sms'],
        summary: 'Live preview of a template being edited: rendered text, encoding, segments, cost; nothing is stored',
        description: 'Placeholders without a value show their own name.',
        body: Body({ ...TemplateFields, values: Type.Optional(Values) }),
        response: { 200: Type.Object({ ...Preview, placeholders: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => previewTemplate(ctx, request.principal!, request.body),
  );

  app.post(
    '/api/v1/sms/templates',
    {
      schema: {
        tags: ['sms'],
        summary: 'A new template (version 1, DRAFT) for my organisation',
        body: Body({ name: Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$', description: 'lower case; card-ready, application-rejected, bank-rejected and endorsement-due are the lifecycle notices' }), ...TemplateFields }),
        response: { 201: Template, ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = await createTemplate(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'sms_template', id };
      return reply.code(201).send(await getTemplate(ctx, request.principal!, id));
    },
  );

  app.put(
    '/api/v1/sms/templates/:id',
    {
      schema: {
        tags: ['sms'],
        summary: 'Edit a template: a draft or rejected version in place; an approved one becomes a new DRAFT version (the answer is that version)',
        params: IdParams,
        body: Body(TemplateFields),
        response: { 200: Template, ...errorResponses },
      },
    },
    async (request) => {
      const id = await updateTemplate(ctx, request.principal!, request.params.id, request.body);
      request.auditDetails = { versionId: id };
      return getTemplate(ctx, request.principal!, id);
    },
  );

  for (const action of ['submit', 'approve'] as const) {
    app.post(
      `/api/v1/sms/templates/:id/${action}`,
      {
        schema: {
          tags: ['sms'],
          summary: action === 'submit' ? 'Submit a draft for approval' : 'Approve a template someone else wrote; it replaces the version approved before',
          params: IdParams,
          response: { 200: Template, ...errorResponses },
        },
      },
      async (request) => {
        await decideTemplate(ctx, request.principal!, request.params.id, { action });
        return getTemplate(ctx, request.principal!, request.params.id);
      },
    );
  }

  app.post(
    '/api/v1/sms/templates/:id/reject',
    {
      schema: {
        tags: ['sms'],
        summary: 'Reject a template someone else wrote, with the reason; the author edits it and submits again',
        params: IdParams,
        body: Body({ reason: Type.String({ minLength: 2, maxLength: 200 }) }),
        response: { 200: Template, ...errorResponses },
      },
    },
    async (request) => {
      await decideTemplate(ctx, request.principal!, request.params.id, { action: 'reject', reason: request.body.reason });
      return getTemplate(ctx, request.principal!, request.params.id);
    },
  );

  app.post(
    '/api/v1/sms/send',
    {
      schema: {
        tags: ['sms'],
        summary: 'Send one message through an approved template (console and API keys)',
        description:
          'Queues the message; delivery follows through the outbox (`GET /api/v1/sms/messages/:id`). The same `idempotencyKey` from the same caller returns the message already queued (`created: false`) and sends nothing.',
        body: Body({
          templateId: Uuid,
          phone: Type.String({ minLength: 1, maxLength: 30 }),
          values: Type.Optional(Values),
          channel: Type.Optional(Category),
          idempotencyKey: ClientKey,
          quietHoursExempt: Type.Optional(Type.Boolean({ description: 'send even in the quiet hours (default false)' })),
        }),
        response: { 200: Type.Object({ id: Type.String(), status: Type.String(), created: Type.Boolean(), phoneMasked: Type.String(), ...Preview }), ...errorResponses },
      },
    },
    async (request) => {
      const { body } = request;
      const out = await sendOne(ctx, request.principal!, { ...body, values: body.values ?? {}, channel: body.channel ?? 'NOTIFICATION' });
      request.auditTarget = { type: 'sms_message', id: out.id };
      request.auditDetails = { templateId: body.templateId, created: out.created };
      return out;
    },
  );

  app.post(
    '/api/v1/sms/campaigns/preview',
    {
      bodyLimit: CAMPAIGN_BODY_LIMIT,
      schema: {
        tags: ['sms'],
        summary: 'What a campaign would send: recipients, segments, cost, a few sample texts; nothing is queued',
        description: 'A CSV with any bad row is refused as a whole (SMS_CSV_ROWS_INVALID, every bad row in details.errors).',
        body: Body(CampaignFields),
        response: {
          200: Type.Object({
            recipients: Type.Integer(),
            segments: Type.Integer(),
            costMilliFen: Type.Integer(),
            bySegments: Type.Record(Type.String(), Type.Integer(), { description: 'segments per message → messages' }),
            samples: Type.Array(Type.Object({ row: Type.Integer(), phoneMasked: Type.String(), ...Preview })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => previewCampaign(ctx, request.principal!, request.body),
  );

  app.post(
    '/api/v1/sms/campaigns',
    {
      bodyLimit: CAMPAIGN_BODY_LIMIT,
      schema: {
        tags: ['sms'],
        summary: 'Queue a campaign (all messages or none); the same requestKey again returns the campaign already made',
        body: Body({ ...CampaignFields, name: Type.String({ minLength: 1, maxLength: 100 }), requestKey: ClientKey, quietHoursExempt: Type.Optional(Type.Boolean()) }),
        response: { 201: Campaign, ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = await createCampaign(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'sms_campaign', id };
      return reply.code(201).send(await getCampaign(ctx, request.principal!, id));
    },
  );

  app.get(
    '/api/v1/sms/campaigns',
    {
      schema: {
        tags: ['sms'],
        summary: 'Campaigns of the organisations I see, newest first',
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })) },
          { additionalProperties: false },
        ),
        response: { 200: listOf(Campaign), ...errorResponses },
      },
    },
    async (request) => listCampaigns(ctx, request.principal!, request.query),
  );

  app.get(
    '/api/v1/sms/campaigns/:id',
    { schema: { tags: ['sms'], summary: 'One campaign', params: IdParams, response: { 200: Campaign, ...errorResponses } } },
    async (request) => getCampaign(ctx, request.principal!, request.params.id),
  );

  const Quota = Type.Object({
    apiKeyId: Type.String(),
    name: Type.String(),
    prefix: Type.String(),
    orgName: Type.String(),
    dailyLimit: Type.Integer(),
    custom: Type.Boolean({ description: 'false: the default cap applies' }),
    sentToday: Type.Integer({ description: 'messages queued today (Asia/Shanghai)' }),
  });

  app.get(
    '/api/v1/sms/quotas',
    { schema: { tags: ['sms'], summary: 'Daily sending caps of the API keys I manage, with today’s count', response: { 200: listOf(Quota), ...errorResponses } } },
    async (request) => listQuotas(ctx, request.principal!),
  );

  app.put(
    '/api/v1/sms/quotas/:id',
    {
      schema: {
        tags: ['sms'],
        summary: 'Set the daily cap of an API key (0 stops it sending); over the cap, POST /api/v1/sms/send answers 429 SMS_QUOTA_EXCEEDED',
        params: IdParams,
        body: Body({ dailyLimit: Type.Integer({ minimum: 0, maximum: 10_000_000 }) }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await setQuota(ctx, request.principal!, request.params.id, request.body.dailyLimit);
      request.auditTarget = { type: 'api_key', id: request.params.id };
      request.auditDetails = { dailyLimit: request.body.dailyLimit };
      return reply.code(204).send(null);
    },
  );
};
