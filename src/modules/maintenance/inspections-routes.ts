import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { localeFrom } from '../../platform/errors/app-error.ts';
import { Body, errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { inspectionRecordPdf } from './inspections-record.ts';
import { INSPECTION_ITEMS_MAX } from './inspections-rules.ts';
import { getRound, inspectionCalendar, inspectionTemplate, openRound, saveInspectionTemplate, saveRoundAnswers, signRound } from './inspections-service.ts';
import { ANSWER_RESULTS, NOTE_MAX } from './visits-rules.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateString = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });

const Item = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40 }),
    category: Type.String({ minLength: 1, maxLength: 20 }),
    zh: Type.String({ minLength: 1, maxLength: 200 }),
    en: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
const Template = Type.Object({ contractId: Type.String(), id: Nullable(Type.String({ description: "null: seed 002's list (the contract has none of its own)" })), version: Type.Integer(), name: Type.String(), items: Type.Array(Item) });
const Round = Type.Object({
  id: Type.String(),
  contractId: Type.String(),
  contractName: Type.String(),
  siteOrgId: Type.String(),
  siteName: Type.String(),
  day: Type.String(),
  status: Type.String({ description: 'OPEN or SIGNED' }),
  items: Type.Array(Item),
  answers: Type.Array(Type.Object({ code: Type.String(), result: Type.String(), note: Nullable(Type.String()), ticketId: Nullable(Type.String()), ticketNo: Nullable(Type.String()) })),
  itemCount: Type.Integer(),
  answeredCount: Type.Integer(),
  ok: Type.Integer(),
  problems: Type.Integer(),
  notApplicable: Type.Integer(),
  openedByName: Nullable(Type.String()),
  signedByName: Nullable(Type.String()),
  signedAt: Nullable(Type.String()),
  signedAtLocal: Nullable(Type.String()),
  mayFill: Type.Boolean(),
});

export const maintenanceInspectionRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/maintenance/inspections/template',
    {
      schema: {
        tags: ['maintenance'],
        summary: "The inspection list a contract's new rounds use: its newest own version, or seed 002's",
        querystring: Type.Object({ contractId: Uuid }, { additionalProperties: false }),
        response: { 200: Template, ...errorResponses },
      },
    },
    async (request) => inspectionTemplate(ctx, request.principal!, request.query.contractId),
  );

  app.post(
    '/api/v1/maintenance/inspections/template',
    {
      schema: {
        tags: ['maintenance'],
        summary: "A new version of a contract's inspection list (the maintainer's engineers or the client's manager)",
        body: Body({ contractId: Uuid, name: Type.String({ minLength: 1, maxLength: 100 }), items: Type.Array(Item, { minItems: 1, maxItems: INSPECTION_ITEMS_MAX }) }),
        response: { 201: Template, ...errorResponses },
      },
    },
    async (request, reply) => {
      const out = await saveInspectionTemplate(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_contract', id: out.contractId };
      request.auditDetails = { version: out.version, items: out.items.length };
      return reply.code(201).send(out);
    },
  );

  app.get(
    '/api/v1/maintenance/inspections/days',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Core-system sites with each day of the period and its round: SIGNED, OPEN, DUE (today, no round yet) or MISSING (a past day without any round)',
        description: 'Default period: the 31 days up to today. Days before the contract term or after today are not owed and not listed. At most 92 days (400 INSPECTION_RANGE_INVALID).',
        querystring: Type.Object({ from: Type.Optional(DateString), to: Type.Optional(DateString), siteOrgId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            sites: Type.Array(
              Type.Object({
                siteOrgId: Type.String(),
                siteName: Type.String(),
                contractId: Type.String(),
                contractName: Type.String(),
                mayInspect: Type.Boolean(),
                missing: Type.Integer(),
                days: Type.Array(Type.Object({ day: Type.String(), state: Type.String(), roundId: Nullable(Type.String()) })),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => inspectionCalendar(ctx, request.principal!, request.query),
  );

  app.post(
    '/api/v1/maintenance/inspections/rounds',
    {
      schema: {
        tags: ['maintenance'],
        summary: "Open the day's inspection round of a core-system site (default today); the round already opened that day answers 200",
        body: Body({ siteOrgId: Uuid, day: Type.Optional(DateString) }),
        response: { 200: Round, 201: Round, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id, created } = await openRound(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_inspection', id };
      return reply.code(created ? 201 : 200).send(await getRound(ctx, request.principal!, id));
    },
  );

  app.get(
    '/api/v1/maintenance/inspections/rounds/:id',
    { schema: { tags: ['maintenance'], summary: 'An inspection round with its items, answers, tickets raised, and whether I may fill it in', params: IdParams, response: { 200: Round, ...errorResponses } } },
    async (request) => getRound(ctx, request.principal!, request.params.id),
  );

  app.put(
    '/api/v1/maintenance/inspections/rounds/:id/answers',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Save the answers so far (the whole set): OK, PROBLEM (with a note; raiseTicket opens a fault ticket) or NA',
        description: 'After signing, sending the same answers again changes nothing; different answers: 409 INSPECTION_SIGNED.',
        params: IdParams,
        body: Body({
          answers: Type.Array(
            Type.Object(
              {
                code: Type.String({ minLength: 1, maxLength: 40 }),
                result: Type.Enum(ANSWER_RESULTS),
                note: Type.Optional(Nullable(Type.String({ maxLength: NOTE_MAX * 2 }))),
                raiseTicket: Type.Optional(Type.Boolean()),
              },
              { additionalProperties: false },
            ),
            { maxItems: INSPECTION_ITEMS_MAX },
          ),
        }),
        response: { 200: Round, ...errorResponses },
      },
    },
    async (request) => {
      await saveRoundAnswers(ctx, request.principal!, request.params.id, request.body.answers);
      request.auditTarget = { type: 'maintenance_inspection', id: request.params.id };
      request.auditDetails = { answered: request.body.answers.length };
      return getRound(ctx, request.principal!, request.params.id);
    },
  );

  app.post(
    '/api/v1/maintenance/inspections/rounds/:id/sign',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'The engineer signs the round (every item answered, else 409 INSPECTION_ITEMS_UNANSWERED with details.items)',
        params: IdParams,
        response: { 200: Round, ...errorResponses },
      },
    },
    async (request) => {
      await signRound(ctx, request.principal!, request.params.id);
      request.auditTarget = { type: 'maintenance_inspection', id: request.params.id };
      return getRound(ctx, request.principal!, request.params.id);
    },
  );

  app.get(
    '/api/v1/maintenance/inspections/rounds/:id/record.pdf',
    {
      schema: {
        tags: ['maintenance'],
        summary: '巡检记录 to print (application/pdf); language from Accept-Language',
        params: IdParams,
        response: { 200: Type.Unknown({ description: 'application/pdf' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, pdf } = await inspectionRecordPdf(ctx, request.principal!, request.params.id, localeFrom(request.headers['accept-language']));
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="inspection-record-${name}.pdf"`).header('cache-control', 'no-store').send(pdf);
    },
  );
};
