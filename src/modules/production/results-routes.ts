import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { errorResponses, IdParams } from '../../http/schemas.ts';
import { csvRecords, RESULT_COLUMNS } from '../cards/rules.ts';
import { reportResults, resultsTemplate } from './results.ts';

const RESULTS_BODY_LIMIT = 20 * 1024 * 1024;
const CSV_COLUMNS = [...RESULT_COLUMNS, 'packingSeq', 'applicationNo'];
const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }));

const ResultItem = Type.Object(
  {
    cardId: Text(40),
    packingSeq: Type.Optional(Type.Integer({ minimum: 1 })),
    outcome: Type.String({ maxLength: 20 }),
    cardNo: Text(40),
    chipUid: Text(64),
    chipDataSm3: Text(80),
    wasteReason: Text(400),
    wasteCause: Text(40),
    applicationNo: Text(40),
  },
  { additionalProperties: false },
);
const Outcome = Type.Object({
  batchId: Type.String(),
  batchNo: Type.String(),
  applied: Type.Integer({ description: 'cards whose result was recorded now' }),
  unchanged: Type.Integer({ description: 'rows repeating a result already recorded' }),
  produced: Type.Integer(),
  wasted: Type.Integer(),
  returnedToReview: Type.Integer({ description: 'applications sent back to review (waste caused by the authority data)' }),
  remaining: Type.Integer({ description: 'cards of the batch still ORDERED' }),
  batchStatus: Type.String(),
});

/** HTTP routes for production results reported by the producer. */
export const resultsRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  // Producers' systems send results as CSV; only this plugin's routes accept it.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: RESULTS_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.post(
    '/api/v1/batches/:id/results',
    {
      bodyLimit: RESULTS_BODY_LIMIT,
      schema: {
        tags: ['production'],
        summary: 'Report produced and wasted cards of my batch, all or nothing: JSON {items:[…]} or text/csv',
        description:
          'CSV header: cardId,outcome,cardNo,chipUid,chipDataSm3,wasteReason,wasteCause (packingSeq may name the card instead of cardId; applicationNo is ignored). ' +
          'PRODUCED needs cardNo, chipUid and chipDataSm3 = SM3 of the card\'s exact records.jsonl line; WASTED needs wasteReason and wasteCause AUTHORITY_DATA|PRODUCER. ' +
          'On errors: 400 RESULTS_INVALID with details.rows [{row, field, code}] and nothing applied. The same report twice answers 200 with unchanged counts.',
        params: IdParams,
        body: Type.Union([Type.Object({ items: Type.Array(ResultItem, { maxItems: 100_000 }) }, { additionalProperties: false }), Type.String()]),
        response: { 200: Outcome, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'batch', id: request.params.id };
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      let input: ReturnType<typeof csvRecords>;
      if (type === 'text/csv' && typeof request.body === 'string') {
        input = csvRecords(request.body, CSV_COLUMNS, ['outcome'], ['cardId', 'packingSeq']);
      } else if (type === 'application/json' && typeof request.body === 'object') {
        input = { rows: request.body.items.map((record, i) => ({ row: i + 1, record })), problems: [] };
      } else throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const result = await reportResults(ctx, request.principal!, request.params.id, input.rows, input.problems);
      request.auditDetails = {
        format: type,
        batchNo: result.batchNo,
        applied: result.applied,
        unchanged: result.unchanged,
        produced: result.produced,
        wasted: result.wasted,
        batchStatus: result.batchStatus,
      };
      return result;
    },
  );

  app.get(
    '/api/v1/batches/:id/results-template.csv',
    {
      schema: {
        tags: ['production'],
        summary: 'The results CSV to fill in (text/csv): the header plus one row per card still ORDERED, with packingSeq and applicationNo',
        params: IdParams,
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { batchNo, csv } = await resultsTemplate(ctx, request.principal!, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${batchNo}-results.csv"`)
        .send(csv);
    },
  );
};
