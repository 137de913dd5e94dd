import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { Body, ErrorResponse, errorResponses, IdParams, listOf, Uuid } from '../../http/schemas.ts';
import { BATCH_STATUSES } from './schema.ts';
import { createBatches } from './batches.ts';
import { batchCards, batchDetail, batchNames, batchSummary, listBatches, waitingCounts } from './views.ts';
import { createRule, deleteRule, listRules, updateRule } from './batch-rules.ts';
import { createPackageKey, listPackageKeys, retirePackageKey } from './keys.ts';
import { createPackageLink, LINK_MAX_DOWNLOADS, LINK_MAX_HOURS, listPackageLinks, openDownload } from './downloads.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Time = Nullable(Type.String());
const withGone = { ...errorResponses, 410: ErrorResponse };

const BatchSummary = Type.Object({
  id: Type.String(),
  batchNo: Type.String(),
  programmeId: Type.String(),
  programmeName: Type.String(),
  programmeKind: Type.String(),
  producerOrgId: Type.String(),
  producerName: Type.String(),
  status: Type.String(),
  cardCount: Type.Integer(),
  createdBy: Type.String(),
  ruleId: Nullable(Type.String()),
  createdAt: Type.String(),
  dataReleasedAt: Type.String(),
  firstDownloadedAt: Time,
  productionDueAt: Type.String(),
  deliveryDueAt: Time,
  completedAt: Time,
  destroyAfter: Time,
  destroyedAt: Time,
  sla: Type.String({ description: 'ON_TIME, AT_RISK (due within 24 h), OVERDUE, DONE_ON_TIME or DONE_LATE' }),
});
const BatchDetail = Type.Intersect([BatchSummary, Type.Object({ cardsByStatus: Type.Record(Type.String(), Type.Integer()) })]);
const BatchCard = Type.Object({
  id: Type.String(),
  packingSeq: Type.Integer(),
  applicationId: Type.String(),
  applicationNo: Type.String(),
  nameMasked: Type.String(),
  attemptNo: Type.Integer(),
  status: Type.String(),
  cardNo: Nullable(Type.String()),
  receiverOrgId: Type.String(),
  productionDueAt: Time,
  deliveryDueAt: Time,
  producedAt: Time,
  recordSm3: Nullable(Type.String()),
});
const Page = { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })), offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })) };
const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'time of day in Asia/Shanghai, HH:MM' });
const Rule = Type.Object({
  id: Type.String(),
  programmeId: Type.String(),
  programmeName: Type.String(),
  producerOrgId: Type.String(),
  producerName: Type.String(),
  dailyAt: Nullable(Type.String()),
  whenWaiting: Nullable(Type.Integer()),
  enabled: Type.Boolean(),
  lastRunAt: Time,
  createdBy: Type.String(),
  createdAt: Type.String(),
});
const Key = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  fingerprint: Type.String(),
  sm2PublicKey: Nullable(Type.String()),
  active: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  retiredAt: Time,
});
const Link = Type.Object({
  id: Type.String(),
  batchId: Type.String(),
  batchNo: Type.String(),
  token: Type.String(),
  url: Type.String(),
  expiresAt: Type.String(),
  maxDownloads: Type.Integer(),
});
const LinkInfo = Type.Object({ id: Type.String(), expiresAt: Type.String(), maxDownloads: Type.Integer(), downloads: Type.Integer(), createdBy: Type.String(), createdAt: Type.String() });

/** HTTP routes for production batches, batch rules, package keys, package links and downloads. */
export const productionRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/batches',
    {
      schema: {
        tags: ['production'],
        summary: 'Production batches: authorities see their programmes’ batches, a producer its own',
        querystring: Type.Object(
          { programmeId: Type.Optional(Uuid), producerOrgId: Type.Optional(Uuid), status: Type.Optional(Type.Union(BATCH_STATUSES.map((s) => Type.Literal(s)))), ...Page },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(BatchSummary), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => listBatches(ctx, request.principal!, request.query),
  );

  app.post(
    '/api/v1/batches',
    {
      schema: {
        tags: ['production'],
        summary: 'Order production of everything waiting in a programme (and remakes owed) for one producer; big orders become several batches',
        body: Body({ programmeId: Uuid, producerOrgId: Uuid, maxCards: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) }),
        response: { 201: listOf(BatchSummary), ...errorResponses },
      },
    },
    async (request, reply) => {
      const made = await createBatches(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'programme', id: request.body.programmeId };
      request.auditDetails = { producerOrgId: request.body.producerOrgId, batches: made.map((b) => b.batchNo), cards: made.reduce((n, b) => n + b.cardCount, 0) };
      const n = await batchNames(ctx, ctx.db.orm, made);
      return reply.code(201).send({ items: made.map((b) => batchSummary(b, n, new Date())) });
    },
  );

  app.get('/api/v1/batches/:id', { schema: { tags: ['production'], params: IdParams, response: { 200: BatchDetail, ...errorResponses } } }, async (request) =>
    batchDetail(ctx, request.principal!, request.params.id),
  );

  app.get(
    '/api/v1/batches/:id/cards',
    {
      schema: {
        tags: ['production'],
        summary: 'Cards of a batch in packing order (masked names only)',
        params: IdParams,
        querystring: Type.Object(Page, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(BatchCard), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => batchCards(ctx, request.principal!, request.params.id, request.query),
  );

  app.get(
    '/api/v1/production/waiting',
    {
      schema: {
        tags: ['production'],
        summary: 'Applications waiting for production per programme, and remakes owed per producer',
        querystring: Type.Object({ programmeId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          200: listOf(
            Type.Object({
              programmeId: Type.String(),
              programmeName: Type.String(),
              programmeKind: Type.String(),
              waiting: Type.Integer(),
              producers: Type.Array(Type.Object({ producerOrgId: Type.String(), producerName: Type.String(), remakes: Type.Integer() })),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ items: await waitingCounts(ctx, request.principal!, request.query.programmeId) }),
  );

  app.get('/api/v1/batch-rules', { schema: { tags: ['production'], response: { 200: listOf(Rule), ...errorResponses } } }, async (request) => ({
    items: await listRules(ctx, request.principal!),
  }));

  app.post(
    '/api/v1/batch-rules',
    {
      schema: {
        tags: ['production'],
        summary: 'A standing batch order: every day at HH:MM (Asia/Shanghai) and/or as soon as N applications wait',
        body: Body({
          programmeId: Uuid,
          producerOrgId: Uuid,
          dailyAt: Type.Optional(Nullable(HHMM)),
          whenWaiting: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100_000 }))),
          enabled: Type.Optional(Type.Boolean()),
        }),
        response: { 201: Rule, ...errorResponses },
      },
    },
    async (request, reply) => {
      const rule = await createRule(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'batch_rule', id: rule.id };
      request.auditDetails = { programmeId: rule.programmeId, producerOrgId: rule.producerOrgId, dailyAt: rule.dailyAt, whenWaiting: rule.whenWaiting };
      return reply.code(201).send(rule);
    },
  );

  app.patch(
    '/api/v1/batch-rules/:id',
    {
      schema: {
        tags: ['production'],
        params: IdParams,
        body: Body({ dailyAt: Type.Optional(Nullable(HHMM)), whenWaiting: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100_000 }))), enabled: Type.Optional(Type.Boolean()) }),
        response: { 200: Rule, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'batch_rule', id: request.params.id };
      request.auditDetails = { ...request.body };
      return updateRule(ctx, request.principal!, request.params.id, request.body);
    },
  );

  app.delete('/api/v1/batch-rules/:id', { schema: { tags: ['production'], params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    request.auditTarget = { type: 'batch_rule', id: request.params.id };
    await deleteRule(ctx, request.principal!, request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/api/v1/package-keys', { schema: { tags: ['production'], summary: 'My package keys (fingerprints only, never the secret)', response: { 200: listOf(Key), ...errorResponses } } }, async (request) => ({
    items: await listPackageKeys(ctx, request.principal!),
  }));

  app.post(
    '/api/v1/package-keys',
    {
      schema: {
        tags: ['production'],
        summary: 'Create an SM4 package key (the 32-byte secret is answered once, in hex) or register an SM2 public key; the previous key is retired',
        body: Type.Union([
          Body({ kind: Type.Literal('SM4') }),
          Body({ kind: Type.Literal('SM2'), publicKey: Type.String({ minLength: 1, maxLength: 200, description: 'uncompressed SM2 public key, hex 04‖x‖y' }) }),
        ]),
        response: { 201: Type.Object({ key: Key, secretHex: Nullable(Type.String()) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await createPackageKey(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'package_key', id: created.key.id };
      request.auditDetails = { kind: created.key.kind, fingerprint: created.key.fingerprint };
      return reply.code(201).send(created);
    },
  );

  app.post('/api/v1/package-keys/:id/retire', { schema: { tags: ['production'], params: IdParams, response: { 200: Key, ...errorResponses } } }, async (request) => {
    request.auditTarget = { type: 'package_key', id: request.params.id };
    return retirePackageKey(ctx, request.principal!, request.params.id);
  });

  app.get('/api/v1/batches/:id/package-links', { schema: { tags: ['production'], params: IdParams, response: { 200: listOf(LinkInfo), ...errorResponses } } }, async (request) => ({
    items: await listPackageLinks(ctx, request.principal!, request.params.id),
  }));

  app.post(
    '/api/v1/batches/:id/package-links',
    {
      schema: {
        tags: ['production'],
        summary: 'A download link for the batch package (the batch’s producer, or the authority); the token is answered once',
        params: IdParams,
        body: Body({
          expiresInHours: Type.Optional(Type.Integer({ minimum: 1, maximum: LINK_MAX_HOURS, default: 24 })),
          maxDownloads: Type.Optional(Type.Integer({ minimum: 1, maximum: LINK_MAX_DOWNLOADS, default: 3 })),
        }),
        response: { 201: Link, ...withGone },
      },
    },
    async (request, reply) => {
      const link = await createPackageLink(ctx, request.principal!, request.params.id, request.body);
      request.auditTarget = { type: 'batch', id: request.params.id };
      request.auditDetails = { batchNo: link.batchNo, linkId: link.id, expiresAt: link.expiresAt, maxDownloads: link.maxDownloads };
      return reply.code(201).send(link);
    },
  );

  app.get(
    '/api/v1/packages/:token',
    {
      schema: {
        tags: ['production'],
        summary: 'Download the encrypted batch package (the batch’s producer only); each download counts and is audited',
        description: 'Streams application/octet-stream `<batchNo>.cfpkg` (format: docs/production-package.md). 410 PACKAGE_LINK_EXPIRED, PACKAGE_LINK_EXHAUSTED or PACKAGE_DESTROYED.',
        params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 200: Type.Unknown({ description: 'the encrypted package bytes' }), ...withGone },
      },
    },
    async (request, reply) => {
      const dl = await openDownload(ctx, request.principal!, request.params.token);
      request.auditTarget = { type: 'batch', id: dl.batch.id };
      request.auditDetails = { batchNo: dl.batch.batchNo, download: dl.downloads, maxDownloads: dl.maxDownloads, keyFingerprint: dl.key.fingerprint };
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${dl.batch.batchNo}.cfpkg"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(dl.body));
    },
  );
};
