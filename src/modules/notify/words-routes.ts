import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { Body, errorResponses, IdParams, listOf } from '../../http/schemas.ts';
import { decideHold, holdStats, listHolds, type HoldDecision } from './words-holds.ts';
import { createWordList, getWordList, listWordLists, MAX_WORD_LENGTH, MAX_WORDS, wordArrayEntries, wordFileEntries } from './words-service.ts';

const UPLOAD_LIMIT = 4 * 1024 * 1024;
const DateString = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'calendar date in Asia/Shanghai' });
const Hit = Type.Object({
  word: Type.String({ description: 'the word as the list has it' }),
  start: Type.Integer({ description: 'UTF-16 offset of the span in the text' }),
  end: Type.Integer({ description: 'exclusive end of the span' }),
});
const Hold = Type.Object({
  id: Type.String(),
  phoneMasked: Type.String(),
  text: Type.String(),
  senderOrgId: Type.String(),
  senderOrgName: Type.String(),
  category: Type.String(),
  hits: Type.Array(Hit),
  listVersion: Type.Integer(),
  createdAt: Type.String(),
  ageSeconds: Type.Integer(),
});
const Decision = Type.Object({ id: Type.String(), status: Type.String(), failureCode: Type.Union([Type.String(), Type.Null()]), decidedBy: Type.Union([Type.String(), Type.Null()]), decidedAt: Type.String() });
const Count = (key: Record<string, ReturnType<typeof Type.String>>) => Type.Array(Type.Object({ ...key, messages: Type.Integer() }));
const Stats = Type.Object({
  from: Type.String(),
  to: Type.String(),
  held: Type.Integer({ description: 'messages held in the range, whatever became of them' }),
  pending: Type.Integer(),
  released: Type.Integer(),
  rejected: Type.Integer(),
  byWord: Count({ word: Type.String() }),
  bySender: Count({ orgId: Type.String(), orgName: Type.String() }),
  byDay: Count({ date: Type.String() }),
});
const ListVersion = Type.Object({
  version: Type.Integer(),
  note: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  words: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Type.String(),
});
const ListDetail = Type.Object({
  version: Type.Integer(),
  note: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  words: Type.Array(Type.String()),
  diff: Type.Object({ previousVersion: Type.Union([Type.Integer(), Type.Null()]), added: Type.Array(Type.String()), removed: Type.Array(Type.String()) }),
});

/** Sensitive-word lists and the review of the messages they hold. */
export const smsWordRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/sms/holds',
    {
      schema: {
        tags: ['sms'],
        summary: 'Messages held for sensitive words, oldest first, with the spans of the words and the total held (for the console badge)',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Hold) }), ...errorResponses },
      },
    },
    async (request) => listHolds(ctx, request.principal!, request.query.limit ?? 100),
  );

  app.get(
    '/api/v1/sms/holds/stats',
    {
      schema: {
        tags: ['sms'],
        summary: 'Messages held in a date range per word, per sending organisation and per day',
        querystring: Type.Object({ from: DateString, to: DateString }, { additionalProperties: false }),
        response: { 200: Stats, ...errorResponses },
      },
    },
    async (request) => holdStats(ctx, request.principal!, request.query),
  );

  const decide = (decision: HoldDecision, summary: string) =>
    app.post(
      `/api/v1/sms/messages/:id/${decision}`,
      { schema: { tags: ['sms'], summary, params: IdParams, response: { 200: Decision, ...errorResponses } } },
      async (request) => {
        request.auditTarget = { type: 'sms_message', id: request.params.id };
        return decideHold(ctx, request.principal!, request.params.id, decision);
      },
    );
  decide('release', 'Release a held message to the queue (the dispatcher sends it)');
  decide('reject', 'Reject a held message: it fails with SENSITIVE_WORD and is never sent');

  app.get(
    '/api/v1/sms/word-lists',
    { schema: { tags: ['sms'], summary: 'Versions of the sensitive-word list, newest first', response: { 200: listOf(ListVersion), ...errorResponses } } },
    async () => ({ items: await listWordLists(ctx.db.orm) }),
  );

  app.post(
    '/api/v1/sms/word-lists',
    {
      bodyLimit: UPLOAD_LIMIT,
      schema: {
        tags: ['sms'],
        summary: `Save a new version of the word list and make it active: JSON {words, note} or a text/plain file (UTF-8, one word per line, at most ${MAX_WORDS})`,
        description:
          `All or nothing: lines longer than ${MAX_WORD_LENGTH} characters, with control characters, or with no letter or digit answer 400 SMS_WORD_LIST_INVALID ` +
          'with details.lines [{line, text, reason}]; blank lines are skipped. A file upload may carry its note in the query (?note=).',
        querystring: Type.Object({ note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
        body: Type.Union([
          Body({ words: Type.Array(Type.String({ maxLength: 1000 }), { maxItems: MAX_WORDS }), note: Type.Optional(Type.String({ maxLength: 200 })) }),
          Type.String({ maxLength: UPLOAD_LIMIT }),
        ]),
        response: { 201: ListVersion, ...errorResponses },
      },
    },
    async (request, reply) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      let input;
      if (type === 'text/plain' && typeof request.body === 'string') input = { entries: wordFileEntries(request.body), note: request.query.note ?? null };
      else if (type === 'application/json' && typeof request.body === 'object') input = { entries: wordArrayEntries(request.body.words), note: request.body.note ?? null };
      else throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const list = await ctx.db.orm.transaction((tx) => createWordList(tx, { ...input, createdBy: request.principal!.name }));
      request.auditTarget = { type: 'sms_word_list', id: String(list.version) };
      request.auditDetails = { format: type, words: list.words };
      return reply.code(201).send(list);
    },
  );

  app.get(
    '/api/v1/sms/word-lists/:version',
    {
      schema: {
        tags: ['sms'],
        summary: 'One version of the word list with its words and the words added and removed against the version before',
        params: Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 200: ListDetail, ...errorResponses },
      },
    },
    async (request) => getWordList(ctx.db.orm, request.params.version),
  );
};
