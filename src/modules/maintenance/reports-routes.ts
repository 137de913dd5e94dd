import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { localeFrom } from '../../platform/errors/app-error.ts';
import { Body, errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { reportPdf, reportXlsx } from './reports-export.ts';
import { REPORT_KINDS, REPORT_STATUSES } from './reports-rules.ts';
import { generateReport, getReport, listReports, reportSettings, reviewReport, setReportSettings, submitReport } from './reports-service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateString = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

const ReportFields = {
  id: Type.String(),
  contractId: Type.String(),
  contractName: Type.String(),
  kind: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  dueDate: Type.String({ description: 'the last day to submit (Asia/Shanghai), rolled past rest days unless the contract says otherwise' }),
  status: Type.String(),
  overdue: Type.Boolean({ description: 'the due date has passed and the report was never submitted' }),
  late: Type.Boolean({ description: 'a LATE_REPORT breach was registered for it' }),
  lateBreachId: Nullable(Type.String()),
  generatedAt: Type.String(),
  submittedAt: Nullable(Type.String()),
  submittedAtLocal: Nullable(Type.String()),
  firstSubmittedAtLocal: Nullable(Type.String()),
  submittedByName: Nullable(Type.String()),
  reviewedAtLocal: Nullable(Type.String()),
  reviewedByName: Nullable(Type.String()),
  reviewNote: Nullable(Type.String()),
};
const Report = Type.Object(ReportFields);
const ReportDetail = Type.Object({
  ...ReportFields,
  termStart: Type.String(),
  termEnd: Type.String(),
  content: Type.Unknown({ description: 'the numbers: visits, tickets by category and equipment type, response and fix times against the SLA, breaches by kind, the equipment ledger by status, spare shortfalls, and staff attendance (staffAttendance: posts, shifts planned, attended, late, absent, uncoveredMinutes) when the contract has on-site posts' }),
  mayGenerate: Type.Boolean(),
  maySubmit: Type.Boolean(),
  mayReview: Type.Boolean(),
});
const Settings = Type.Object({ contractId: Type.String(), kinds: Type.Array(Type.String()), rollDueDates: Type.Boolean(), requiredFrom: Nullable(Type.String()) });
const ContractParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const maintenanceReportRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/maintenance/contracts/:id/report-settings',
    { schema: { tags: ['maintenance'], summary: 'Which reports the contract requires and whether due dates on rest days roll forward', params: ContractParams, response: { 200: Settings, ...errorResponses } } },
    async (request) => reportSettings(ctx, request.principal!, request.params.id),
  );

  app.put(
    '/api/v1/maintenance/contracts/:id/report-settings',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Set the reports the contract requires (the authority)',
        description: 'kinds: WEEKLY (due the Tuesday after the week), MONTHLY (due the 21st of the month after), ANNUAL (due 15 days after each contract year). rollDueDates: a due date on a rest day moves to the next working day (default). requiredFrom: periods starting earlier are not owed (default: the term start).',
        params: ContractParams,
        body: Body({ kinds: Type.Array(Type.Enum(REPORT_KINDS), { maxItems: 3 }), rollDueDates: Type.Boolean(), requiredFrom: Type.Optional(Nullable(DateString)) }),
        response: { 200: Settings, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'maintenance_contract', id: request.params.id };
      request.auditDetails = { kinds: request.body.kinds, rollDueDates: request.body.rollDueDates };
      return setReportSettings(ctx, request.principal!, request.params.id, request.body);
    },
  );

  app.get(
    '/api/v1/maintenance/reports',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Weekly, monthly and annual reports I may see, newest period first, with due date and whether overdue or late',
        querystring: Type.Object(
          {
            contractId: Type.Optional(Uuid),
            kind: Type.Optional(Type.Enum(REPORT_KINDS)),
            status: Type.Optional(Type.Enum(REPORT_STATUSES)),
            overdue: Type.Optional(Type.Boolean()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Report), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => listReports(ctx, request.principal!, request.query),
  );

  app.post(
    '/api/v1/maintenance/reports',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Generate the report of a period from the data (a draft; generating again recomputes it until it is submitted)',
        description: 'periodStart: the Monday of the week (or the term start), the first of the month, or the contract anniversary. 409 MAINTENANCE_REPORT_STATE_INVALID once submitted; 409 CALENDAR_YEAR_UNPUBLISHED when the due date needs a calendar year not yet published.',
        body: Body({ contractId: Uuid, kind: Type.Enum(REPORT_KINDS), periodStart: DateString }),
        response: { 200: ReportDetail, ...errorResponses },
      },
    },
    async (request) => {
      const id = await generateReport(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_report', id };
      request.auditDetails = { kind: request.body.kind, periodStart: request.body.periodStart };
      return getReport(ctx, request.principal!, id);
    },
  );

  app.get(
    '/api/v1/maintenance/reports/:id',
    { schema: { tags: ['maintenance'], summary: 'A report with its numbers and what I may do with it', params: IdParams, response: { 200: ReportDetail, ...errorResponses } } },
    async (request) => getReport(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/api/v1/maintenance/reports/:id/submit',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Submit the report (the maintainer): its numbers are frozen; a first submission after the due date registers a LATE_REPORT breach',
        params: IdParams,
        response: { 200: ReportDetail, ...errorResponses },
      },
    },
    async (request) => {
      const { late } = await submitReport(ctx, request.principal!, request.params.id);
      request.auditTarget = { type: 'maintenance_report', id: request.params.id };
      request.auditDetails = { late };
      return getReport(ctx, request.principal!, request.params.id);
    },
  );

  app.post(
    '/api/v1/maintenance/reports/:id/accept',
    { schema: { tags: ['maintenance'], summary: 'Accept a submitted report (the authority; not the person who submitted it)', params: IdParams, response: { 200: ReportDetail, ...errorResponses } } },
    async (request) => {
      await reviewReport(ctx, request.principal!, request.params.id, 'ACCEPT', null);
      request.auditTarget = { type: 'maintenance_report', id: request.params.id };
      return getReport(ctx, request.principal!, request.params.id);
    },
  );

  app.post(
    '/api/v1/maintenance/reports/:id/return',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Return a submitted report for correction, saying why (the authority)',
        params: IdParams,
        body: Body({ note: Type.String({ minLength: 1, maxLength: 500 }) }),
        response: { 200: ReportDetail, ...errorResponses },
      },
    },
    async (request) => {
      await reviewReport(ctx, request.principal!, request.params.id, 'RETURN', request.body.note);
      request.auditTarget = { type: 'maintenance_report', id: request.params.id };
      return getReport(ctx, request.principal!, request.params.id);
    },
  );

  app.get(
    '/api/v1/maintenance/reports/:id/report.pdf',
    { schema: { tags: ['maintenance'], summary: 'The report to print (application/pdf); language from Accept-Language', params: IdParams, response: { 200: Type.Unknown({ description: 'application/pdf' }), ...errorResponses } } },
    async (request, reply) => {
      const { name, pdf } = await reportPdf(ctx, request.principal!, request.params.id, localeFrom(request.headers['accept-language']));
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}.pdf"`).header('cache-control', 'no-store').send(pdf);
    },
  );

  app.get(
    '/api/v1/maintenance/reports/:id/report.xlsx',
    { schema: { tags: ['maintenance'], summary: 'The report as a workbook (XLSX); language from Accept-Language', params: IdParams, response: { 200: Type.Unknown({ description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), ...errorResponses } } },
    async (request, reply) => {
      const { name, xlsx } = await reportXlsx(ctx, request.principal!, request.params.id, localeFrom(request.headers['accept-language']));
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}.xlsx"`)
        .header('cache-control', 'no-store')
        .send(xlsx);
    },
  );
};
