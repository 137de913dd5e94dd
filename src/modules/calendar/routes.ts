import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { Body, errorResponses, listOf } from '../../http/schemas.ts';
import { deleteDay, importDays, listDays, listYears, loadWorkingCalendar, publishYear, setDay } from './service.ts';
import { addCalendarDays, addWorkingDays, addWorkingMinutes, parseSegments } from './rules.ts';
import { formatShanghai, shanghaiDate } from './zone.ts';

const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });
const Kind = Type.Union([Type.Literal('HOLIDAY'), Type.Literal('MAKEUP_WORKDAY')]);
const Day = Type.Object({ date: Type.String(), kind: Type.String(), name: Type.String(), source: Type.String() });
const Year = Type.Object({ year: Type.Number(), published: Type.Boolean(), holidays: Type.Number(), makeupWorkdays: Type.Number() });
const YearParam = Type.Object({ year: Type.Integer({ minimum: 1990, maximum: 2200 }) }, { additionalProperties: false });

export const calendarRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/calendar/years', { schema: { tags: ['calendar'], summary: 'Years with official days and whether each is published', response: { 200: listOf(Year), ...errorResponses } } }, async () => ({
    items: await listYears(ctx),
  }));

  app.get(
    '/api/v1/calendar/days',
    { schema: { tags: ['calendar'], summary: 'Holidays and make-up working days of a year', querystring: YearParam, response: { 200: listOf(Day), ...errorResponses } } },
    async (request) => ({ items: await listDays(ctx, request.query.year) }),
  );

  app.post(
    '/api/v1/calendar/years/:year/publish',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Mark a year published (deadlines may use it) or unpublished (they fail closed)',
        params: YearParam,
        body: Body({ published: Type.Boolean() }),
        response: { 200: Year, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'calendar_year', id: String(request.params.year) };
      request.auditDetails = { published: request.body.published };
      return publishYear(ctx, request.params.year, request.body.published);
    },
  );

  app.put(
    '/api/v1/calendar/days/:date',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Add or change one official day',
        params: Type.Object({ date: DateStr }, { additionalProperties: false }),
        body: Body({ kind: Kind, name: Type.String({ minLength: 1, maxLength: 50 }), source: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Day, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'calendar_day', id: request.params.date };
      request.auditDetails = { ...request.body };
      return setDay(ctx, { date: request.params.date, ...request.body });
    },
  );

  app.delete(
    '/api/v1/calendar/days/:date',
    { schema: { tags: ['calendar'], params: Type.Object({ date: DateStr }, { additionalProperties: false }), response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      request.auditTarget = { type: 'calendar_day', id: request.params.date };
      await deleteDay(ctx, request.params.date);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/calendar/import',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Import official days, all or nothing; errors list every bad row in details.rows',
        body: Body({ days: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 5000 }) }),
        response: { 200: Type.Object({ imported: Type.Number(), years: Type.Array(Type.Number()) }), ...errorResponses },
      },
    },
    async (request) => {
      const result = await importDays(ctx, request.body.days);
      request.auditDetails = result;
      return result;
    },
  );

  app.get(
    '/api/v1/calendar/compute',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Deadline calculator: from an instant add calendar days, working days, or working hours over daily segments',
        querystring: Type.Object(
          {
            from: Type.String({ format: 'date-time' }),
            calendarDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3660 })),
            workingDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
            workingHours: Type.Optional(Type.Number({ minimum: 0, maximum: 10000 })),
            segments: Type.String({ default: '09:00-12:00,13:00-17:00', maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ result: Type.String(), resultLocal: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const from = new Date(q.from);
      const given = [q.calendarDays, q.workingDays, q.workingHours].filter((v) => v !== undefined).length;
      if (given !== 1) throw new AppError('VALIDATION_FAILED', { params: { reason: 'give exactly one of calendarDays, workingDays, workingHours' } });
      if (q.calendarDays !== undefined) {
        const d = addCalendarDays(shanghaiDate(from), q.calendarDays);
        return { result: d, resultLocal: d };
      }
      const cal = await loadWorkingCalendar(ctx);
      if (q.workingDays !== undefined) {
        const d = addWorkingDays(cal, shanghaiDate(from), q.workingDays);
        return { result: d, resultLocal: d };
      }
      const end = addWorkingMinutes(cal, from, Math.round((q.workingHours ?? 0) * 60), parseSegments(q.segments));
      return { result: end.toISOString(), resultLocal: formatShanghai(end) };
    },
  );
};
