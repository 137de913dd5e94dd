import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { Body, errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { registerUnmasker } from '../../platform/pii/unmask.ts';
import { bankMatchBulk, bankMatchOne, listBankQueue, revealBankAccount } from '../applications/bank-matching.ts';
import { BANK_MATCH_COLUMNS, csvRecords } from './rules.ts';

registerUnmasker('application', 'bankAccount', revealBankAccount);

const BULK_BODY_LIMIT = 20 * 1024 * 1024;

const QueueItem = Type.Object({
  id: Type.String(),
  applicationNo: Type.String(),
  programmeId: Type.String(),
  programmeName: Type.String(),
  outletOrgId: Type.String(),
  outletName: Type.String(),
  bankOrgId: Type.String(),
  kind: Type.String(),
  nameMasked: Type.String(),
  citizenIdMasked: Type.String(),
  waitingSince: Type.String({ description: 'when the application was approved (ISO 8601)' }),
});
const Decision = Type.Union([Type.Literal('MATCHED'), Type.Literal('REJECTED')]);
const MatchResult = Type.Object({
  id: Type.String(),
  applicationNo: Type.String(),
  status: Type.String(),
  bankAccountMasked: Type.Union([Type.String(), Type.Null()]),
  bankMatchedAt: Type.Union([Type.String(), Type.Null()]),
  changed: Type.Boolean({ description: 'false when the same decision was already recorded (a retry)' }),
});
const BulkItem = Type.Object(
  {
    applicationNo: Type.String({ maxLength: 40 }),
    decision: Type.String({ maxLength: 20 }),
    bankAccount: Type.Optional(Type.String({ maxLength: 40 })),
    reason: Type.Optional(Type.String({ maxLength: 400 })),
  },
  { additionalProperties: false },
);

/** HTTP routes for bank matching and card lookups. */
export const cardRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  // Bank systems send their daily file as CSV; only this plugin's routes accept it.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: BULK_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.get(
    '/api/v1/bank-matching',
    {
      schema: {
        tags: ['bank matching'],
        summary: "APPROVED social security card applications waiting for my bank's account matching, longest waiting first (masked)",
        querystring: Type.Object(
          {
            programmeId: Type.Optional(Uuid),
            outletId: Type.Optional(Uuid),
            applicationNo: Type.Optional(Type.String({ maxLength: 40 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(QueueItem), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => listBankQueue(ctx, request.principal!, request.query),
  );

  app.post(
    '/api/v1/applications/:id/bank-match',
    {
      schema: {
        tags: ['bank matching'],
        summary: "Record my bank's decision for one application: MATCHED with the account number, or REJECTED with a reason",
        description:
          'The account must have 16–19 digits and pass the Luhn check (BANK_ACCOUNT_INVALID). The match time starts the producer\'s 6-working-day clock. ' +
          'Repeating the decision already recorded answers 200 with changed=false; only the application\'s own bank may decide (others: 404).',
        params: IdParams,
        body: Body({ decision: Decision, bankAccount: Type.Optional(Type.String({ maxLength: 40 })), reason: Type.Optional(Type.String({ maxLength: 400 })) }),
        response: { 200: MatchResult, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'application', id: request.params.id };
      const result = await bankMatchOne(ctx, request.principal!, request.params.id, request.body);
      request.auditDetails = { decision: request.body.decision, applicationNo: result.applicationNo, changed: result.changed, bankAccountMasked: result.bankAccountMasked };
      return result;
    },
  );

  app.post(
    '/api/v1/bank-matching',
    {
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        tags: ['bank matching'],
        summary: 'Many decisions at once, all or nothing: JSON {items:[…]} or text/csv with the header applicationNo,decision,bankAccount,reason',
        description:
          'Every row is checked before anything is written. On errors: 400 BANK_MATCH_IMPORT_INVALID with details.rows [{row, field, code}] (row = CSV line, or the 1-based item index). ' +
          'Rows repeating a decision already recorded count as unchanged.',
        body: Type.Union([Type.Object({ items: Type.Array(BulkItem, { maxItems: 100_000 }) }, { additionalProperties: false }), Type.String()]),
        response: {
          200: Type.Object({ applied: Type.Integer(), unchanged: Type.Integer(), matched: Type.Integer(), rejected: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      let input: ReturnType<typeof csvRecords>;
      if (type === 'text/csv' && typeof request.body === 'string') {
        input = csvRecords(request.body, BANK_MATCH_COLUMNS, ['applicationNo', 'decision']);
      } else if (type === 'application/json' && typeof request.body === 'object') {
        input = { rows: request.body.items.map((record, i) => ({ row: i + 1, record })), problems: [] };
      } else throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const result = await bankMatchBulk(ctx, request.principal!, input.rows, input.problems);
      request.auditDetails = { format: type, ...result };
      return result;
    },
  );
};
