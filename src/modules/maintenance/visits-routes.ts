import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { localeFrom } from '../../platform/errors/app-error.ts';
import { Body, errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { ANSWER_RESULTS, NOTE_MAX, SIGNATURE_MAX_BYTES, VISIT_KINDS, VISIT_STATUSES } from './visits-rules.ts';
import { visitFormPdf } from './visits-form.ts';
import { createPhotoVisit, getVisit, listVisits, monthSummary, planVisits, saveAnswers, signVisit, SIGNER_NAME_MAX } from './visits-service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Month = Type.String({ description: 'YYYY-MM (Asia/Shanghai)', maxLength: 7 });
/** A drawn signature is a few kilobytes; base64 and the data URL prefix add a third. */
const SIGN_BODY_LIMIT = Math.ceil((SIGNATURE_MAX_BYTES * 4) / 3) + 16 * 1024;

const VisitFields = {
  id: Type.String(),
  contractId: Type.String(),
  siteOrgId: Type.String(),
  siteName: Type.String(),
  month: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  engineerId: Nullable(Type.String()),
  engineerName: Nullable(Type.String()),
  itemCount: Type.Integer(),
  answeredCount: Type.Integer(),
  ok: Type.Integer(),
  problems: Type.Integer(),
  notApplicable: Type.Integer(),
  signerNameMasked: Nullable(Type.String()),
  signedAt: Nullable(Type.String()),
  signedAtLocal: Nullable(Type.String()),
  missed: Type.Boolean({ description: 'a MISSED_VISIT breach was registered for it' }),
};
const Visit = Type.Object(VisitFields);
const Answer = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40 }),
    result: Type.Enum(ANSWER_RESULTS),
    note: Type.Optional(Nullable(Type.String({ maxLength: NOTE_MAX * 2 }))),
    ticketId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);
const VisitDetail = Type.Object({
  ...VisitFields,
  contractName: Type.String(),
  items: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() })),
  answers: Type.Array(Type.Object({ code: Type.String(), result: Type.String(), note: Nullable(Type.String()), ticketId: Nullable(Type.String()) })),
  signedByName: Nullable(Type.String()),
  mayFill: Type.Boolean(),
});

export const maintenanceVisitRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/maintenance/visits',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Visits I may see (monthly preventive visits and photo visits), by month, status, engineer, outlet',
        querystring: Type.Object(
          {
            month: Type.Optional(Month),
            status: Type.Optional(Type.Enum(VISIT_STATUSES)),
            kind: Type.Optional(Type.Enum(VISIT_KINDS)),
            engineerId: Type.Optional(Uuid),
            siteOrgId: Type.Optional(Uuid),
            contractId: Type.Optional(Uuid),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Visit), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => listVisits(ctx, request.principal!, request.query),
  );

  app.get(
    '/api/v1/maintenance/visits/summary',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'The month per contract: outlets, visits planned, in progress, signed, and outlets still without a signed visit',
        querystring: Type.Object({ month: Month }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            month: Type.String(),
            contracts: Type.Array(
              Type.Object({ contractId: Type.String(), contractName: Type.String(), outlets: Type.Integer(), planned: Type.Integer(), inProgress: Type.Integer(), signed: Type.Integer(), missing: Type.Integer() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => monthSummary(ctx, request.principal!, request.query.month),
  );

  app.post(
    '/api/v1/maintenance/visits/plan',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Plan the month: one preventive visit per outlet of the contract, engineers dealt out in turn unless assigned',
        description: 'Idempotent: outlets already planned for the month keep their visit; only missing ones are added. The maintainer (an engineer) or an authority manager plans.',
        body: Body({
          contractId: Uuid,
          month: Month,
          assignments: Type.Optional(Type.Array(Type.Object({ siteOrgId: Uuid, engineerId: Uuid }, { additionalProperties: false }), { maxItems: 2000 })),
        }),
        response: { 200: Type.Object({ created: Type.Integer(), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const out = await planVisits(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_contract', id: request.body.contractId };
      request.auditDetails = { month: request.body.month, created: out.created };
      return out;
    },
  );

  app.post(
    '/api/v1/maintenance/visits',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'A photo visit (上门拍照) on behalf of an outlet',
        body: Body({ siteOrgId: Uuid, month: Month, engineerId: Type.Optional(Nullable(Uuid)) }),
        response: { 201: VisitDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = await createPhotoVisit(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_visit', id };
      return reply.code(201).send(await getVisit(ctx, request.principal!, id));
    },
  );

  app.get(
    '/api/v1/maintenance/visits/:id',
    { schema: { tags: ['maintenance'], summary: 'A visit with its checklist, answers and whether I may fill it in', params: IdParams, response: { 200: VisitDetail, ...errorResponses } } },
    async (request) => getVisit(ctx, request.principal!, request.params.id),
  );

  app.put(
    '/api/v1/maintenance/visits/:id/answers',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Save the checklist answers so far (the whole set): OK, PROBLEM (with a note, optionally a ticket of the outlet) or NA',
        params: IdParams,
        body: Body({ answers: Type.Array(Answer, { maxItems: 50 }) }),
        response: { 200: VisitDetail, ...errorResponses },
      },
    },
    async (request) => {
      await saveAnswers(ctx, request.principal!, request.params.id, request.body.answers);
      request.auditTarget = { type: 'maintenance_visit', id: request.params.id };
      request.auditDetails = { answered: request.body.answers.length };
      return getVisit(ctx, request.principal!, request.params.id);
    },
  );

  app.post(
    '/api/v1/maintenance/visits/:id/sign',
    {
      bodyLimit: SIGN_BODY_LIMIT,
      schema: {
        tags: ['maintenance'],
        summary: 'The outlet staff member signs the form: name and drawn signature (PNG data URL)',
        description: `Every item must be answered (409 VISIT_ITEMS_UNANSWERED, details.items). The signature: an 8-bit PNG up to ${SIGNATURE_MAX_BYTES / 1024} KiB with something drawn on it (400 VISIT_SIGNATURE_EMPTY for a blank canvas, VISIT_SIGNATURE_INVALID otherwise).`,
        params: IdParams,
        body: Body({ signerName: Type.String({ minLength: 1, maxLength: SIGNER_NAME_MAX }), signaturePng: Type.String({ minLength: 1, maxLength: SIGN_BODY_LIMIT }) }),
        response: { 200: VisitDetail, ...errorResponses },
      },
    },
    async (request) => {
      await signVisit(ctx, request.principal!, request.params.id, request.body);
      request.auditTarget = { type: 'maintenance_visit', id: request.params.id };
      return getVisit(ctx, request.principal!, request.params.id);
    },
  );

  app.get(
    '/api/v1/maintenance/visits/:id/form.pdf',
    {
      schema: {
        tags: ['maintenance'],
        summary: '《受理网点维护单》 to print (application/pdf)',
        description: "Outlet, engineer, date, every item with its answer and note, the outlet staff member's name and drawn signature (lines to sign by hand before sign-off), page numbers. Language from Accept-Language.",
        params: IdParams,
        response: { 200: Type.Unknown({ description: 'application/pdf' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, pdf } = await visitFormPdf(ctx, request.principal!, request.params.id, localeFrom(request.headers['accept-language']));
      request.auditTarget = { type: 'maintenance_visit', id: request.params.id };
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="maintenance-form-${name}.pdf"`).header('cache-control', 'no-store').send(pdf);
    },
  );
};
