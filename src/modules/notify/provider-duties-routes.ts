import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { Body, errorResponses, IdParams, listOf } from '../../http/schemas.ts';
import { addDaysToDate, isValidDate, shanghaiDate, shanghaiInstant } from '../calendar/zone.ts';
import { assessFault, dutyProviders, getFault, handOverView, listFaults, listUsageLists, recordFaultProgress, recordUsageList, replaceUsageList, reportFault } from './provider-duties-service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Month = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'YYYY-MM, Asia/Shanghai' });
const DateString = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'calendar date in Asia/Shanghai' });
const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 with offset, e.g. 2026-11-20T10:00:00+08:00' });
const Provider = Type.String({ minLength: 1, maxLength: 64, description: 'provider name as the outbox records it' });
const Totals = { messages: Type.Integer(), billedSegments: Type.Integer(), amountFen: Type.Integer({ description: 'statement cost in fen' }) };

const HandOver = Type.Object({
  id: Type.String(),
  provider: Type.String(),
  month: Type.String(),
  handedOverOn: Type.String(),
  submittedAt: Type.String(),
  submittedByName: Type.String(),
  submittedByOrgKind: Type.String({ description: 'SMS_PROVIDER, or AUTHORITY for a paper hand-over recorded by the authority' }),
  authorityCaused: Type.Boolean({ description: 'the authority marked the lateness as its own doing: no deduction' }),
  ...Totals,
  replacedAt: Nullable(Type.String()),
  replacedByName: Nullable(Type.String()),
});
const UsageListMonth = Type.Object({
  provider: Type.String(),
  month: Type.String(),
  dueOn: Type.String({ description: 'the 10th of the following month' }),
  daysLate: Type.Integer({ description: 'calendar days after dueOn; counts up to today while the list is missing' }),
  handOver: Nullable(Type.Object({ ...HandOver.properties, current: Type.Object(Totals, { description: "the month's statement totals now" }) })),
});
const Fault = Type.Object({
  id: Type.String(),
  faultNo: Type.String(),
  provider: Type.String(),
  reportedAt: Type.String(),
  reportedByName: Type.String(),
  summary: Type.String(),
  details: Nullable(Type.String()),
  arriveWithinMinutes: Type.Integer(),
  clearWithinMinutes: Type.Integer(),
  arrivedAt: Nullable(Type.String()),
  clearedAt: Nullable(Type.String()),
  progressByName: Nullable(Type.String()),
  assessedPercent: Nullable(Type.String({ description: 'the deduction rate the authority assessed, in percent' })),
  assessedByName: Nullable(Type.String()),
  createdAt: Type.String(),
  arrivalOverMinutes: Type.Integer(),
  clearOverMinutes: Type.Integer(),
  overMinutes: Type.Integer({ description: 'the larger of the two; an open step counts up to now' }),
  overTime: Type.Boolean(),
  done: Type.Boolean(),
});

function instant(text: string): Date {
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new AppError('VALIDATION_FAILED', { params: { reason: `"${text}" is not a date and time` } });
  return at;
}

function lastMonths(n: number): { from: string; to: string } {
  const today = shanghaiDate(new Date());
  return { from: addDaysToDate(`${today.slice(0, 7)}-01`, -28 * n).slice(0, 7), to: today.slice(0, 7) };
}

/** The provider's usage-list hand-overs and the fault register (seed 003 §5.6, §5.7, §9(2)). */
export const smsDutyRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/sms/duties/providers',
    { schema: { tags: ['sms'], summary: 'Provider names of the SMS settlement contracts I may see', response: { 200: listOf(Type.Object({ provider: Type.String() })), ...errorResponses } } },
    async (request) => ({ items: (await dutyProviders(ctx, request.principal!)).map((p) => ({ provider: p.provider })) }),
  );

  app.get(
    '/api/v1/sms/duties/usage-lists',
    {
      schema: {
        tags: ['sms'],
        summary: 'Usage lists per provider and ended month, newest first: due date, hand-over and days late',
        querystring: Type.Object({ provider: Type.Optional(Provider), from: Type.Optional(Month), to: Type.Optional(Month) }, { additionalProperties: false }),
        response: { 200: listOf(UsageListMonth), ...errorResponses },
      },
    },
    async (request) => {
      const range = { ...lastMonths(12), ...request.query };
      return { items: await listUsageLists(ctx, request.principal!, range) };
    },
  );

  app.post(
    '/api/v1/sms/duties/usage-lists',
    {
      schema: {
        tags: ['sms'],
        summary: "Hand over a month's usage list (provider), or record a paper hand-over with the day it arrived (authority)",
        body: Body({
          provider: Provider,
          month: Month,
          handedOverOn: Type.Optional(DateString),
          authorityCaused: Type.Optional(Type.Boolean({ description: 'authority only: a lateness was the authority’s doing' })),
        }),
        response: { 201: HandOver, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await recordUsageList(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'sms_usage_list', id: row.id };
      request.auditDetails = { provider: row.provider, month: row.month, handedOverOn: row.handedOverOn };
      return reply.code(201).send(handOverView(row));
    },
  );

  app.put(
    '/api/v1/sms/duties/usage-lists/:id',
    {
      schema: {
        tags: ['sms'],
        summary: 'Replace a hand-over (authority correction): date, lateness mark, totals taken again',
        params: IdParams,
        body: Body({ handedOverOn: DateString, authorityCaused: Type.Boolean() }),
        response: { 200: HandOver, ...errorResponses },
      },
    },
    async (request) => {
      if (!isValidDate(request.body.handedOverOn)) throw new AppError('VALIDATION_FAILED', { params: { reason: `handedOverOn "${request.body.handedOverOn}" is not a date` } });
      const row = await replaceUsageList(ctx, request.principal!, request.params.id, request.body);
      request.auditTarget = { type: 'sms_usage_list', id: row.id };
      request.auditDetails = { provider: row.provider, month: row.month, handedOverOn: row.handedOverOn, authorityCaused: row.authorityCaused };
      return handOverView(row);
    },
  );

  app.get(
    '/api/v1/sms/duties/faults',
    {
      schema: {
        tags: ['sms'],
        summary: 'Fault reports of the providers I may see, newest first (reported in the Shanghai days from..to; default the last 180 days)',
        querystring: Type.Object({ provider: Type.Optional(Provider), from: Type.Optional(DateString), to: Type.Optional(DateString) }, { additionalProperties: false }),
        response: { 200: listOf(Fault), ...errorResponses },
      },
    },
    async (request) => {
      const today = shanghaiDate(new Date());
      const { from = addDaysToDate(today, -180), to = today, provider } = request.query;
      if (!isValidDate(from) || !isValidDate(to) || from > to) throw new AppError('VALIDATION_FAILED', { params: { reason: 'from and to must be dates with from ≤ to' } });
      return { items: await listFaults(ctx, request.principal!, { provider, from: shanghaiInstant(from, 0), to: shanghaiInstant(to, 1440) }) };
    },
  );

  app.get(
    '/api/v1/sms/duties/faults/:id',
    { schema: { tags: ['sms'], summary: 'One fault report with its over-time minutes', params: IdParams, response: { 200: Fault, ...errorResponses } } },
    async (request) => getFault(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/api/v1/sms/duties/faults',
    {
      schema: {
        tags: ['sms'],
        summary: 'Report a fault of the SMS platform (authority); the provider must be on site in 60 and clear it in 120 minutes',
        body: Body({ provider: Provider, reportedAt: Instant, summary: Type.String({ minLength: 1, maxLength: 200 }), details: Type.Optional(Type.String({ maxLength: 2000 })) }),
        response: { 201: Fault, ...errorResponses },
      },
    },
    async (request, reply) => {
      const fault = await reportFault(ctx, request.principal!, { ...request.body, reportedAt: instant(request.body.reportedAt) });
      request.auditTarget = { type: 'sms_fault', id: fault.id };
      request.auditDetails = { faultNo: fault.faultNo, provider: fault.provider };
      return reply.code(201).send(fault);
    },
  );

  app.post(
    '/api/v1/sms/duties/faults/:id/progress',
    {
      schema: {
        tags: ['sms'],
        summary: 'Record when the provider arrived (on site or engaged) and cleared the fault',
        params: IdParams,
        body: Body({ arrivedAt: Type.Optional(Instant), clearedAt: Type.Optional(Instant) }),
        response: { 200: Fault, ...errorResponses },
      },
    },
    async (request) => {
      const { arrivedAt, clearedAt } = request.body;
      const fault = await recordFaultProgress(ctx, request.principal!, request.params.id, {
        ...(arrivedAt === undefined ? {} : { arrivedAt: instant(arrivedAt) }),
        ...(clearedAt === undefined ? {} : { clearedAt: instant(clearedAt) }),
      });
      request.auditDetails = { faultNo: fault.faultNo, arrivedAt: arrivedAt ?? null, clearedAt: clearedAt ?? null };
      return fault;
    },
  );

  app.post(
    '/api/v1/sms/duties/faults/:id/assess',
    {
      schema: {
        tags: ['sms'],
        summary: 'Assess the deduction rate of a fault handled over time (authority), within the contract range 0.5 %–2 %',
        params: IdParams,
        body: Body({ ratePercent: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$', description: 'percent, e.g. "1.5"' }) }),
        response: { 200: Fault, ...errorResponses },
      },
    },
    async (request) => {
      const fault = await assessFault(ctx, request.principal!, request.params.id, request.body.ratePercent);
      request.auditDetails = { faultNo: fault.faultNo, ratePercent: request.body.ratePercent };
      return fault;
    },
  );
};
