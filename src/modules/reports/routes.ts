import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import { readFeed } from './feed.ts';
import { checkDailyExport, dailyExportStream } from './export.ts';
import { lateBatches, slaOverview } from './sla.ts';
import { reportSummary, summaryXlsx } from './stats.ts';
import { listNotifications } from './notices.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });
const PeriodQuery = {
  programmeId: Type.Optional(Uuid),
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
};
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const FeedItem = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Type.String(),
  at: Type.String(),
  cardId: Type.String(),
  applicationNo: Type.String(),
  programmeKind: Type.String(),
  cardNo: Nullable(Type.String()),
  batchNo: Nullable(Type.String()),
  orgId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  idempotencyKey: Type.String(),
});
const Standing = Type.Object({ onTime: Type.Integer(), atRisk: Type.Integer(), overdue: Type.Integer(), doneOnTime: Type.Integer(), doneLate: Type.Integer() });
const SlaRow = Type.Object({ orgId: Type.String(), orgName: Type.String(), orgKind: Type.String(), production: Standing, delivery: Standing });
const Period = Type.Object({ from: Type.String(), to: Type.String() });
const LateBatch = Type.Object({
  batchId: Type.String(),
  batchNo: Type.String(),
  programmeId: Type.String(),
  producerOrgId: Type.String(),
  producerName: Type.String(),
  status: Type.String(),
  cardCount: Type.Integer(),
  dataReleasedAt: Type.String(),
  productionDueAt: Type.String(),
  lastProducedAt: Nullable(Type.String()),
  productionOpen: Type.Boolean(),
  productionDaysLate: Type.Integer(),
  deliveryDueAt: Nullable(Type.String()),
  lastReceivedAt: Nullable(Type.String()),
  deliveryOpen: Type.Boolean(),
  deliveryDaysLate: Type.Integer(),
});
const Count = Type.Object({ status: Type.String(), count: Type.Integer() });
const Rate = Nullable(Type.Number());
const Summary = Type.Object({
  period: Period,
  applicationsByStatus: Type.Array(Count),
  cardsByStatus: Type.Array(Count),
  perOutlet: Type.Array(
    Type.Object({ orgId: Type.String(), orgName: Type.String(), submitted: Type.Integer(), received: Type.Integer(), issued: Type.Integer(), awaitingPickup: Type.Integer() }),
  ),
  perProducer: Type.Array(
    Type.Object({ orgId: Type.String(), orgName: Type.String(), ordered: Type.Integer(), produced: Type.Integer(), wastedAuthority: Type.Integer(), wastedProducer: Type.Integer() }),
  ),
  perDay: Type.Array(Type.Object({ date: Type.String(), submitted: Type.Integer(), produced: Type.Integer(), received: Type.Integer(), issued: Type.Integer() })),
  waste: Type.Array(
    Type.Object({
      programmeId: Type.String(),
      programmeName: Type.String(),
      cardKind: Type.String(),
      produced: Type.Integer(),
      wastedAuthority: Type.Integer(),
      wastedProducer: Type.Integer(),
      producerRate: Type.Number(),
      limit: Rate,
      exceeded: Type.Boolean(),
    }),
  ),
  sla: Type.Object({
    producedTotal: Type.Integer(),
    producedOnTime: Type.Integer(),
    productionOnTimeRate: Rate,
    deliveredTotal: Type.Integer(),
    deliveredOnTime: Type.Integer(),
    deliveryOnTimeRate: Rate,
  }),
});
const Notice = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  applicationNo: Nullable(Type.String()),
  programmeName: Nullable(Type.String()),
  outletName: Nullable(Type.String()),
  recipientMasked: Nullable(Type.String()),
  payload: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
});

/** HTTP routes for write-back feed, daily export, SLA and reports. */
export const reportRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/card-events',
    {
      schema: {
        tags: ['write-back'],
        summary: 'Write-back feed: card events after a cursor, commit-safe, for the population system',
        description:
          'Pass the last nextCursor as `after` (0 to start). Events of transactions that may still commit are held back, so no event is ever skipped; hasMore=false means poll again later. No personal data.',
        querystring: Type.Object(
          {
            after: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
            latest: Type.Optional(Type.Boolean({ description: 'the newest `limit` events (in order) instead of those after `after`; hasMore is then false' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(FeedItem), nextCursor: Type.Integer(), hasMore: Type.Boolean() }), ...errorResponses },
      },
    },
    async (request) => readFeed(ctx, request.principal!, request.query.after ?? 0, request.query.limit ?? 500, request.query.latest ?? false),
  );

  app.get(
    '/api/v1/exports/daily',
    {
      schema: {
        tags: ['write-back'],
        summary: 'Daily export of production and issuance events of one Shanghai calendar day (CSV with BOM, or XLSX)',
        description: 'One row per card event (PRODUCE, WASTE, SHIP, RECEIVE, REPORT_DAMAGED, REPORT_MISSING, ISSUE, REPORT_LOSS_*, LIFT_LOSS, CANCEL); matched by application number, no personal data.',
        querystring: Type.Object(
          { date: DateString, programmeId: Type.Optional(Uuid), format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'csv' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { date, programmeId } = request.query;
      const format = request.query.format ?? 'csv';
      await checkDailyExport(ctx, request.principal!, { date, programmeId });
      const stream = dailyExportStream(ctx, request.principal!, { date, programmeId }, format);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
        .header('content-disposition', `attachment; filename="cardflow-${date}.${format}"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.get(
    '/api/v1/sla/overview',
    {
      schema: {
        tags: ['sla'],
        summary: 'Production and delivery clocks per producer and per receiving outlet or bank branch: on time, at risk (due within 24 h), overdue, done on time / late in the period',
        querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
        response: { 200: Type.Object({ now: Type.String(), period: Period, byProducer: Type.Array(SlaRow), byReceiver: Type.Array(SlaRow) }), ...errorResponses },
      },
    },
    async (request) => slaOverview(ctx, request.principal!, request.query),
  );

  app.get(
    '/api/v1/sla/late-batches',
    {
      schema: {
        tags: ['sla'],
        summary: 'Batches released in the period that were or are late, with whole days late for production and delivery (for settlement)',
        querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
        response: { 200: Type.Object({ period: Period, items: Type.Array(LateBatch) }), ...errorResponses },
      },
    },
    async (request) => lateBatches(ctx, request.principal!, request.query),
  );

  app.get(
    '/api/v1/reports/summary',
    {
      schema: {
        tags: ['reports'],
        summary: 'Counts per stage, outlet, producer and day; waste rate by cause (social security cards ≤ 0.1%); SLA compliance',
        querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
        response: { 200: Summary, ...errorResponses },
      },
    },
    async (request) => reportSummary(ctx, request.principal!, request.query),
  );

  app.get(
    '/api/v1/reports/summary.xlsx',
    {
      schema: {
        tags: ['reports'],
        summary: 'The summary report as an XLSX workbook, one sheet per table',
        querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
        response: { 200: Type.Unknown(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const summary = await reportSummary(ctx, request.principal!, request.query);
      const file = await summaryXlsx(summary);
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="cardflow-report-${summary.period.from}-${summary.period.to}.xlsx"`)
        .header('cache-control', 'no-store')
        .send(file);
    },
  );

  app.get(
    '/api/v1/notifications',
    {
      schema: {
        tags: ['reports'],
        summary: 'The notification outbox (what the SMS module will send), newest first; recipients as masked mobile numbers only',
        querystring: Type.Object(
          {
            kind: Type.Optional(Type.Union(['APPLICATION_REJECTED', 'BANK_REJECTED', 'CARD_READY', 'ENDORSEMENT_DUE'].map((k) => Type.Literal(k)))),
            status: Type.Optional(Type.Union(['PENDING', 'SENT', 'FAILED'].map((k) => Type.Literal(k)))),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Notice), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => listNotifications(ctx, request.principal!, request.query),
  );
};
