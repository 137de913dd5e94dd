import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { Body, errorResponses, IdParams, listOf, Uuid } from '../../http/schemas.ts';
import { registerUnmasker } from '../../platform/pii/unmask.ts';
import { APPLICATION_KINDS, APPLICATION_STATUSES, BASES } from './schema.ts';
import { trackApplication } from './track.ts';
import {
  applicationView,
  approveApplication,
  approveApplications,
  createApplication,
  createReason,
  getApplicationDetail,
  getApplicationRow,
  getImportReport,
  getPhoto,
  importApplications,
  listApplications,
  listReasons,
  rejectApplication,
  revealApplicationField,
  updateReason,
} from './service.ts';

registerUnmasker('application', 'name', revealApplicationField('nameEnc'));
registerUnmasker('application', 'citizenId', revealApplicationField('citizenIdEnc'));
registerUnmasker('application', 'phone', revealApplicationField('phoneEnc'));

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Kind = Type.Union(APPLICATION_KINDS.map((k) => Type.Literal(k)));
const Status = Type.Union(APPLICATION_STATUSES.map((k) => Type.Literal(k)));
const Basis = Type.Union(BASES.map((k) => Type.Literal(k)));
const IMPORT_BODY_LIMIT = 512 * 1024 * 1024;
// A 100 KB photo is about 137 KB in base64; leave room for the rest whatever the global limit.
const INTAKE_BODY_LIMIT = 512 * 1024;

export const Application = Type.Object({
  id: Type.String(),
  applicationNo: Type.String(),
  programmeId: Type.String(),
  programmeName: Type.String(),
  cardKind: Type.String(),
  outletOrgId: Type.String(),
  outletName: Type.String(),
  bankOrgId: Nullable(Type.String()),
  kind: Type.String(),
  basis: Nullable(Type.String()),
  status: Type.String(),
  nameMasked: Type.String(),
  citizenIdMasked: Type.String(),
  phoneMasked: Type.String(),
  sex: Type.String(),
  ethnicity: Type.String(),
  hasPhoto: Type.Boolean(),
  source: Type.String(),
  createdAt: Type.String(),
  decidedAt: Nullable(Type.String()),
});
const ApplicationDetail = Type.Intersect([
  Application,
  Type.Object({
    hukouAddressMasked: Nullable(Type.String()),
    residenceAddressMasked: Nullable(Type.String()),
    events: Type.Array(Type.Object({ type: Type.String(), at: Type.String(), actorName: Nullable(Type.String()), details: Type.Unknown() })),
    cards: Type.Array(
      Type.Object({
        id: Type.String(),
        attemptNo: Type.Integer(),
        mode: Type.String(),
        status: Type.String(),
        cardNo: Nullable(Type.String()),
        wasteCause: Nullable(Type.String()),
        batchNo: Nullable(Type.String()),
        shipmentNo: Nullable(Type.String()),
        productionDueAt: Nullable(Type.String()),
        issuedAt: Nullable(Type.String()),
        updatedAt: Type.String(),
      }),
    ),
  }),
]);
const Page = Type.Object({ items: Type.Array(Application), total: Type.Integer() });
const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};
const TrackResult = Type.Object({
  applicationNo: Type.String(),
  programmeName: Type.String(),
  cardKind: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  nameMasked: Type.String(),
  timeline: Type.Array(
    Type.Object({
      type: Type.String(),
      at: Type.String(),
      reasons: Type.Optional(Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() }))),
    }),
  ),
});
const Reason = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), active: Type.Boolean() });
const ReasonText = Type.String({ minLength: 1, maxLength: 200 });

/** The request body as it arrives, refused once it grows past `limit` bytes. */
async function* limitedBytes(source: AsyncIterable<Buffer>, limit: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > limit) throw new AppError('PAYLOAD_TOO_LARGE');
    yield chunk;
  }
}

export const applicationRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  // Bulk import bodies are not read up front: the import consumes them as a stream, row by row.
  app.addContentTypeParser(['text/csv', 'application/x-ndjson'], (_request, payload, done) => done(null, payload));

  app.post(
    '/api/v1/applications',
    {
      bodyLimit: INTAKE_BODY_LIMIT,
      schema: {
        tags: ['applications'],
        summary: 'Take an application at my outlet (photo as base64 JPEG, 358×441 px, 15–100 KB)',
        body: Body({
          programmeId: Uuid,
          kind: Kind,
          name: Type.String({ minLength: 1, maxLength: 50 }),
          citizenId: Type.String({ minLength: 1, maxLength: 20 }),
          phone: Type.String({ minLength: 1, maxLength: 20 }),
          sex: Type.Union([Type.Literal('M'), Type.Literal('F')]),
          ethnicity: Type.String({ pattern: '^[0-9]{2}$', description: 'GB/T 3304: 01–56, 97, 98' }),
          birthDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
          hukouAddress: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
          residenceAddress: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
          basis: Type.Optional(Nullable(Basis)),
          bankOrgId: Type.Optional(Nullable(Uuid)),
          photoJpegBase64: Type.Optional(Nullable(Type.String({ maxLength: 200_000 }))),
        }),
        response: { 201: Application, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await createApplication(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'application', id: row.id };
      request.auditDetails = { applicationNo: row.applicationNo, programmeId: row.programmeId, kind: row.kind };
      const { application, ...names } = await getApplicationRow(ctx, request.principal!, row.id);
      return reply.code(201).send(applicationView(application, names));
    },
  );

  app.post(
    '/api/v1/public/track',
    {
      schema: {
        tags: ['public'],
        summary: 'Holder progress lookup: application number and the last 6 characters of the ID number (no sign-in)',
        description: 'Masked name and status timeline only. An unknown number and wrong digits both answer 404 TRACK_NOT_FOUND; limited per client address (429 RATE_LIMITED).',
        security: [],
        body: Body({
          applicationNo: Type.String({ minLength: 1, maxLength: 40 }),
          idLast6: Type.String({ pattern: '^[0-9]{5}[0-9Xx]$', description: 'the last 6 characters of the ID number; the last may be X' }),
        }),
        response: { 200: TrackResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return trackApplication(ctx, request.ip, request.body);
    },
  );

  app.get(
    '/api/v1/applications',
    {
      schema: {
        tags: ['applications'],
        summary: 'Applications in my scope, newest first; personal data masked',
        querystring: Type.Object({ programmeId: Type.Optional(Uuid), status: Type.Optional(Status), outletId: Type.Optional(Uuid), kind: Type.Optional(Kind), ...Paging }, { additionalProperties: false }),
        response: { 200: Page, ...errorResponses },
      },
    },
    async (request) => listApplications(ctx, request.principal!, request.query),
  );

  app.get('/api/v1/applications/:id', { schema: { tags: ['applications'], params: IdParams, response: { 200: ApplicationDetail, ...errorResponses } } }, async (request) =>
    getApplicationDetail(ctx, request.principal!, request.params.id),
  );

  app.get(
    '/api/v1/applications/:id/photo',
    { schema: { tags: ['applications'], summary: 'The applicant photo (image/jpeg); every view is audited', params: IdParams, response: { 200: Type.Unknown(), ...errorResponses } } },
    async (request, reply) => {
      request.auditTarget = { type: 'application', id: request.params.id };
      const photo = await getPhoto(ctx, request.principal!, request.params.id);
      request.auditDetails = { field: 'photo', sm3: photo.sm3 };
      return reply.type('image/jpeg').header('cache-control', 'no-store').send(photo.jpeg);
    },
  );

  app.post(
    '/api/v1/applications/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['applications'],
        summary: 'Bulk import for my outlet (text/csv with a header row, or application/x-ndjson); all or nothing',
        description: `CSV columns: kind,name,citizenId,phone,sex,ethnicity,birthDate[,hukouAddress,residenceAddress,basis,bankOrgId]. On errors: 400 APPLICATION_IMPORT_INVALID with details.rows [{row,field,error}] and details.reportId (GET /api/v1/import-reports/{id}).`,
        querystring: Type.Object({ programmeId: Uuid }, { additionalProperties: false }),
        response: { 200: Type.Object({ imported: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'text/csv' && type !== 'application/x-ndjson') throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const principal = request.principal!;
      if (principal.orgKind !== 'OUTLET') throw new AppError('FORBIDDEN', { details: { reason: 'applications are taken at an outlet' } });
      request.auditTarget = { type: 'programme', id: request.query.programmeId };
      const result = await importApplications(ctx, principal, {
        programmeId: request.query.programmeId,
        outletOrgId: principal.orgId,
        format: type === 'text/csv' ? 'csv' : 'ndjson',
        source: limitedBytes(request.body as AsyncIterable<Buffer>, IMPORT_BODY_LIMIT),
      });
      request.auditDetails = { imported: result.imported };
      return result;
    },
  );

  app.get(
    '/api/v1/import-reports/:id',
    { schema: { tags: ['applications'], summary: 'The error report of a refused import (text/csv: row,field,error)', params: IdParams, response: { 200: Type.String(), ...errorResponses } } },
    async (request, reply) => {
      const csv = await getImportReport(ctx, request.principal!, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-errors-${request.params.id}.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/api/v1/review-queue',
    {
      schema: {
        tags: ['review'],
        summary: 'SUBMITTED applications in my scope, oldest first',
        querystring: Type.Object(
          { programmeId: Type.Optional(Uuid), outletId: Type.Optional(Uuid), kind: Type.Optional(Kind), olderThanDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })), ...Paging },
          { additionalProperties: false },
        ),
        response: { 200: Page, ...errorResponses },
      },
    },
    async (request) => listApplications(ctx, request.principal!, { ...request.query, status: 'SUBMITTED' }, 'oldest'),
  );

  app.post(
    '/api/v1/applications/:id/approve',
    { schema: { tags: ['review'], summary: 'Approve a SUBMITTED application (no body)', params: IdParams, response: { 200: Application, ...errorResponses } } },
    async (request) => {
      request.auditTarget = { type: 'application', id: request.params.id };
      return approveApplication(ctx, request.principal!, request.params.id);
    },
  );

  app.post(
    '/api/v1/applications/approve',
    {
      schema: {
        tags: ['review'],
        summary: 'Approve many SUBMITTED applications at once, all or nothing',
        body: Body({ ids: Type.Array(Uuid, { minItems: 1, maxItems: 5000 }) }),
        response: { 200: Type.Object({ approved: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      request.auditDetails = { count: request.body.ids.length };
      return approveApplications(ctx, request.principal!, request.body.ids);
    },
  );

  app.post(
    '/api/v1/applications/:id/reject',
    {
      schema: {
        tags: ['review'],
        summary: 'Reject with every reason at once (一次性告知); the applicant is notified by SMS',
        params: IdParams,
        body: Body({ reasonCodes: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 20 }), note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) }),
        response: { 200: Application, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'application', id: request.params.id };
      request.auditDetails = { reasonCodes: request.body.reasonCodes };
      return rejectApplication(ctx, request.principal!, request.params.id, request.body);
    },
  );

  app.get(
    '/api/v1/rejection-reasons',
    {
      schema: {
        tags: ['review'],
        summary: 'The rejection reason catalogue (active ones unless includeInactive)',
        querystring: Type.Object({ includeInactive: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: listOf(Reason), ...errorResponses },
      },
    },
    async (request) => ({ items: await listReasons(ctx, request.query) }),
  );

  app.post(
    '/api/v1/rejection-reasons',
    {
      schema: {
        tags: ['review'],
        body: Body({ code: Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,39}$' }), zh: ReasonText, en: ReasonText }),
        response: { 201: Reason, ...errorResponses },
      },
    },
    async (request, reply) => {
      request.auditTarget = { type: 'rejection_reason', id: request.body.code };
      request.auditDetails = { ...request.body };
      return reply.code(201).send(await createReason(ctx, request.body));
    },
  );

  app.patch(
    '/api/v1/rejection-reasons/:code',
    {
      schema: {
        tags: ['review'],
        params: Type.Object({ code: Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,39}$' }) }, { additionalProperties: false }),
        body: Body({ zh: Type.Optional(ReasonText), en: Type.Optional(ReasonText), active: Type.Optional(Type.Boolean()) }),
        response: { 200: Reason, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'rejection_reason', id: request.params.code };
      request.auditDetails = { ...request.body };
      return updateReason(ctx, request.params.code, request.body);
    },
  );
};
