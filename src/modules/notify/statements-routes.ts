import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { localeFrom } from '../../platform/errors/app-error.ts';
import { errorResponses } from '../../http/schemas.ts';
import { failureReportFile, monthlyStatementFile, type ExportFormat } from './statements-export.ts';
import { getFailureReport, getMonthlyStatement } from './statements-service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Format = Type.Optional(Type.Union([Type.Literal('pdf'), Type.Literal('xlsx')], { description: 'a file instead of JSON' }));
const Percent = Nullable(Type.String({ description: 'percent with two decimals, e.g. "98.75"; null when nothing was counted' }));
const Rate = { delivered: Type.Integer(), basis: Type.Integer({ description: 'billed messages less number/handset faults' }), percent: Percent };
const Amounts = {
  messages: Type.Integer(),
  billedMessages: Type.Integer(),
  billedSegments: Type.Integer(),
  duplicates: Type.Integer({ description: 'same number and text within 10 minutes: counted, not billed' }),
  notSent: Type.Integer({ description: 'never accepted by the SMSC: queued, held, blocked, expired unsent, refused' }),
  costMilliFen: Type.Integer(),
  costFen: Type.Integer({ description: 'costMilliFen rounded half up to the fen, once per line' }),
};
const MonthlyStatement = Type.Object({
  month: Type.String(),
  from: Type.String(),
  to: Type.String(),
  readyOn: Type.String(),
  dueBy: Type.String({ description: 'the 10th of the following month' }),
  lines: Type.Array(
    Type.Object({ senderOrgId: Type.String(), senderOrgName: Type.String(), templateId: Nullable(Type.String()), templateName: Nullable(Type.String()), ...Amounts }),
  ),
  totals: Type.Object(Amounts, { description: 'sum of the lines' }),
  deliveryRate: Type.Object(Rate),
  latencyMs: Type.Object({ p50: Nullable(Type.Integer()), p95: Nullable(Type.Integer()), p99: Nullable(Type.Integer()) }, { description: 'submit → final receipt' }),
});
const FailureReport = Type.Object({
  quarter: Type.String(),
  from: Type.String(),
  to: Type.String(),
  months: Type.Array(Type.String()),
  failures: Type.Integer(),
  reasons: Type.Array(
    Type.Object({ reason: Type.String(), handsetFault: Type.Boolean(), count: Type.Integer(), share: Type.String(), byMonth: Type.Array(Type.Integer()) }),
  ),
  days: Type.Array(Type.Object({ date: Type.String(), ...Rate })),
});

const CONTENT_TYPES: Record<ExportFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function sendFile(reply: FastifyReply, format: ExportFormat, file: { name: string; body: Buffer }) {
  return reply.type(CONTENT_TYPES[format]).header('content-disposition', `attachment; filename="${file.name}"`).header('cache-control', 'no-store').send(file.body);
}

/** The monthly usage statement and the quarterly failure report, as JSON, PDF or XLSX. */
export const smsStatementRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/sms/statements/monthly',
    {
      schema: {
        tags: ['sms'],
        summary: 'Monthly usage statement: billed messages, segments, duplicates and cost per organisation and template',
        querystring: Type.Object({ month: Type.String({ description: 'YYYY-MM, Asia/Shanghai' }), format: Format }, { additionalProperties: false }),
        response: { 200: Type.Union([MonthlyStatement, Type.Unknown({ description: 'application/pdf or xlsx' })]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const statement = await getMonthlyStatement(ctx, request.principal!, request.query.month);
      const format = request.query.format;
      if (!format) return statement;
      return sendFile(reply, format, await monthlyStatementFile(statement, format, localeFrom(request.headers['accept-language'])));
    },
  );

  app.get(
    '/api/v1/sms/reports/failures',
    {
      schema: {
        tags: ['sms'],
        summary: 'Quarterly failure report: failures per reason and month, delivery rate per day',
        querystring: Type.Object({ quarter: Type.String({ description: 'YYYY-Qn' }), format: Format }, { additionalProperties: false }),
        response: { 200: Type.Union([FailureReport, Type.Unknown({ description: 'application/pdf or xlsx' })]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await getFailureReport(ctx, request.principal!, request.query.quarter);
      const format = request.query.format;
      if (!format) return report;
      return sendFile(reply, format, await failureReportFile(report, format, localeFrom(request.headers['accept-language'])));
    },
  );
};
