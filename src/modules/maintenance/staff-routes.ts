import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { registerUnmasker } from '../../platform/pii/unmask.ts';
import { Body, errorResponses, IdParams, listOf, Uuid } from '../../http/schemas.ts';
import { PHOTO_MAX_BYTES } from './photos-rules.ts';
import { KIND_MAX, minuteOfDay, NUMBER_MAX, POST_PATTERNS } from './staff-rules.ts';
import { addCertificate, addEngineer, addShift, contractRoster, contractStaff, createPost, myShifts, recordAttendance, revealEngineerField, setStaffingRequirement, updateEngineer } from './staff-service.ts';
import { addTicketPhoto, getTicketPhoto, listTicketPhotos } from './ticket-photos.ts';
import { AppError } from '../../platform/errors/app-error.ts';

registerUnmasker('maintenance_engineer', 'name', revealEngineerField('nameEnc'));
registerUnmasker('maintenance_engineer', 'phone', revealEngineerField('phoneEnc'));

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateString = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });
const ContractQuery = Type.Object({ contractId: Uuid }, { additionalProperties: false });
// base64 is 4/3 of the bytes; leave room for the data-URL prefix and the rest of the body.
const PHOTO_BODY_LIMIT = Math.ceil((PHOTO_MAX_BYTES * 4) / 3) + 64 * 1024;

const Requirement = Type.Object(
  {
    minEngineers: Type.Integer({ minimum: 0, maximum: 10_000 }),
    certified: Type.Array(Type.Object({ kind: Type.String({ minLength: 1, maxLength: KIND_MAX }), count: Type.Integer({ minimum: 1, maximum: 10_000 }) }, { additionalProperties: false }), { maxItems: 20 }),
  },
  { additionalProperties: false },
);
const Staff = Type.Object({
  contractId: Type.String(),
  contractName: Type.String(),
  requirement: Nullable(Requirement),
  check: Nullable(
    Type.Object({
      day: Type.String(),
      engineers: Type.Object({ required: Type.Integer(), actual: Type.Integer() }),
      certified: Type.Array(Type.Object({ kind: Type.String(), required: Type.Integer(), actual: Type.Integer() })),
      met: Type.Boolean({ description: 'false: the contract minimum is not met today (also raised as the MAINTENANCE_STAFFING alert)' }),
    }),
  ),
  mayManage: Type.Boolean(),
  mayRequire: Type.Boolean(),
  engineers: Type.Array(
    Type.Object({
      id: Type.String(),
      userId: Nullable(Type.String()),
      username: Nullable(Type.String()),
      nameMasked: Type.String(),
      phoneMasked: Nullable(Type.String()),
      active: Type.Boolean(),
      certificates: Type.Array(
        Type.Object({ id: Type.String(), kind: Type.String(), number: Type.String(), issuedOn: Type.String(), expiresOn: Nullable(Type.String()), valid: Type.Boolean({ description: 'valid today; an expired certificate does not count' }) }),
      ),
    }),
  ),
});
const Shift = Type.Object({
  id: Type.String(),
  postId: Type.String(),
  postName: Type.String(),
  engineerId: Type.String(),
  engineerNameMasked: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  startsAtLocal: Type.String(),
  endsAtLocal: Type.String(),
  checkInAt: Nullable(Type.String()),
  checkOutAt: Nullable(Type.String()),
  checkInAtLocal: Nullable(Type.String()),
  checkOutAtLocal: Nullable(Type.String()),
  state: Type.String({ description: 'UPCOMING, NOT_ARRIVED, ON_DUTY, DONE or ABSENT' }),
  late: Type.Boolean(),
  lateMinutes: Type.Integer(),
  mine: Type.Boolean(),
});
const PostOut = Type.Object({
  id: Type.String(),
  contractId: Type.String(),
  siteOrgId: Type.String(),
  siteName: Type.String(),
  name: Type.String(),
  pattern: Type.String(),
  dayStart: Type.String(),
  shiftHours: Type.Number(),
  active: Type.Boolean(),
});
const Roster = Type.Object({
  contractId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  mayRoster: Type.Boolean(),
  mayCreatePost: Type.Boolean(),
  posts: Type.Array(
    Type.Object({
      ...PostOut.properties,
      slots: Type.Array(Type.Object({ startsAt: Type.String(), endsAt: Type.String(), startsAtLocal: Type.String(), endsAtLocal: Type.String() })),
      uncoveredMinutes: Type.Integer({ description: 'staffed minutes in the range nobody is rostered to' }),
      uncovered: Type.Array(Type.Object({ startsAtLocal: Type.String(), endsAtLocal: Type.String() })),
    }),
  ),
  shifts: Type.Array(Shift),
  engineers: Type.Array(Type.Object({ id: Type.String(), nameMasked: Type.String() })),
});
const Photo = Type.Object({ id: Type.String(), contentType: Type.String(), bytes: Type.Integer(), uploadedByName: Nullable(Type.String()), createdAt: Type.String(), createdAtLocal: Type.String() });
const PhotoParams = Type.Object({ id: Uuid, photoId: Uuid }, { additionalProperties: false });

export const maintenanceStaffRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/api/v1/maintenance/staff',
    {
      schema: {
        tags: ['maintenance'],
        summary: "A contract's engineers (masked) with their certificates, its minimum staffing and whether it is met today",
        querystring: ContractQuery,
        response: { 200: Staff, ...errorResponses },
      },
    },
    async (request) => contractStaff(ctx, request.principal!, request.query.contractId),
  );

  app.put(
    '/api/v1/maintenance/contracts/:id/staffing',
    {
      schema: {
        tags: ['maintenance'],
        summary: "The contract's minimum staffing (the client's manager): engineers in all and per certificate kind (seed 001: 20, of which 2 KYLIN_OS)",
        params: IdParams,
        body: Requirement,
        response: { 200: Staff, ...errorResponses },
      },
    },
    async (request) => {
      await setStaffingRequirement(ctx, request.principal!, request.params.id, request.body);
      request.auditTarget = { type: 'maintenance_contract', id: request.params.id };
      request.auditDetails = { ...request.body };
      return contractStaff(ctx, request.principal!, request.params.id);
    },
  );

  app.post(
    '/api/v1/maintenance/engineers',
    {
      schema: {
        tags: ['maintenance'],
        summary: "Add an engineer to a contract's team (the maintainer); name and phone are stored encrypted",
        body: Body({
          contractId: Uuid,
          name: Type.String({ minLength: 1, maxLength: 40 }),
          phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
          username: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'console account of the maintainer to link (needed to check in to shifts)' }))),
        }),
        response: { 201: Staff, ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = await addEngineer(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_engineer', id };
      request.auditDetails = { contractId: request.body.contractId, linkedUser: request.body.username ?? null };
      return reply.code(201).send(await contractStaff(ctx, request.principal!, request.body.contractId));
    },
  );

  app.patch(
    '/api/v1/maintenance/engineers/:id',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Change an engineer: active (an inactive engineer counts for nothing), phone, linked account',
        params: IdParams,
        body: Body({ active: Type.Optional(Type.Boolean()), phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))), username: Type.Optional(Nullable(Type.String({ maxLength: 64 }))) }),
        response: { 200: Staff, ...errorResponses },
      },
    },
    async (request) => {
      const { contractId } = await updateEngineer(ctx, request.principal!, request.params.id, request.body);
      request.auditTarget = { type: 'maintenance_engineer', id: request.params.id };
      request.auditDetails = { fields: Object.keys(request.body) };
      return contractStaff(ctx, request.principal!, contractId);
    },
  );

  app.post(
    '/api/v1/maintenance/engineers/:id/certificates',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'Record a certificate of an engineer (kind KYLIN_OS or free text); it counts from its issue day through its expiry day',
        params: IdParams,
        body: Body({
          kind: Type.String({ minLength: 1, maxLength: KIND_MAX }),
          number: Type.String({ minLength: 1, maxLength: NUMBER_MAX }),
          issuedOn: DateString,
          expiresOn: Type.Optional(Nullable(DateString)),
        }),
        response: { 201: Type.Object({ id: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = await addCertificate(ctx, request.principal!, request.params.id, { ...request.body, expiresOn: request.body.expiresOn ?? null });
      request.auditTarget = { type: 'maintenance_engineer', id: request.params.id };
      request.auditDetails = { certificateId: id, kind: request.body.kind };
      return reply.code(201).send({ id });
    },
  );

  app.get(
    '/api/v1/maintenance/roster',
    {
      schema: {
        tags: ['maintenance'],
        summary: "A contract's posts with their staffed hours, the shifts of the range with attendance, and the hours nobody is rostered to",
        description: 'Default range: today and the 7 days after, plus yesterday’s night shift while it is still running; at most 62 days. A 5×8 post in a year without a published calendar fails closed (409 CALENDAR_YEAR_UNPUBLISHED).',
        querystring: Type.Object({ contractId: Uuid, from: Type.Optional(DateString), to: Type.Optional(DateString) }, { additionalProperties: false }),
        response: { 200: Roster, ...errorResponses },
      },
    },
    async (request) => contractRoster(ctx, request.principal!, request.query),
  );

  app.post(
    '/api/v1/maintenance/posts',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'A post to be staffed at a site of the contract: 5x8 (working days), 7x8 (every day) or 7x24 (shifts of 8 or 12 hours)',
        body: Body({
          contractId: Uuid,
          siteOrgId: Uuid,
          name: Type.String({ minLength: 1, maxLength: 100 }),
          pattern: Type.Enum(POST_PATTERNS),
          dayStart: Type.String({ pattern: '^[0-9]{2}:[0-9]{2}$', description: 'HH:MM: when the day (or the first 7×24 shift) starts' }),
          shiftHours: Type.Optional(Type.Integer({ description: '8 for 5x8 and 7x8; 8 or 12 for 7x24' })),
        }),
        response: { 201: PostOut, ...errorResponses },
      },
    },
    async (request, reply) => {
      const dayStartMinute = minuteOfDay(request.body.dayStart);
      if (dayStartMinute === null) throw new AppError('STAFF_POST_INVALID', { params: { reason: `${request.body.dayStart} is not a time of day` } });
      const post = await createPost(ctx, request.principal!, { ...request.body, dayStartMinute });
      request.auditTarget = { type: 'maintenance_post', id: post.id };
      request.auditDetails = { pattern: post.pattern, contractId: post.contractId };
      return reply.code(201).send(post);
    },
  );

  app.post(
    '/api/v1/maintenance/shifts',
    {
      schema: {
        tags: ['maintenance'],
        summary: "Roster an engineer to one of a post's staffed shifts, named by its start",
        body: Body({ postId: Uuid, engineerId: Uuid, startsAt: Type.String({ format: 'date-time' }) }),
        response: { 201: Type.Object({ id: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = await addShift(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'maintenance_shift', id };
      request.auditDetails = { postId: request.body.postId, engineerId: request.body.engineerId };
      return reply.code(201).send({ id });
    },
  );

  app.get(
    '/api/v1/maintenance/shifts/mine',
    { schema: { tags: ['maintenance'], summary: 'My shifts from yesterday to a week ahead (the engineers linked to my account), for checking in', response: { 200: listOf(Type.Object({ ...Shift.properties, siteName: Type.String() })), ...errorResponses } } },
    async (request) => myShifts(ctx, request.principal!),
  );

  for (const [path, action, summary] of [
    ['check-in', 'IN', 'Check in to my shift (from an hour before it starts until it ends); the server clock is the time'],
    ['check-out', 'OUT', 'Check out of my shift'],
  ] as const) {
    app.post(
      `/api/v1/maintenance/shifts/:id/${path}`,
      { schema: { tags: ['maintenance'], summary, params: IdParams, response: { 200: Shift, ...errorResponses } } },
      async (request) => {
        const out = await recordAttendance(ctx, request.principal!, request.params.id, action);
        request.auditTarget = { type: 'maintenance_shift', id: request.params.id };
        request.auditDetails = { late: out.late, lateMinutes: out.lateMinutes };
        return out;
      },
    );
  }

  // ---- ticket photos ----
  app.get(
    '/api/v1/maintenance/tickets/:id/photos',
    { schema: { tags: ['maintenance'], summary: 'The photos of a ticket (without their bytes)', params: IdParams, response: { 200: listOf(Photo), ...errorResponses } } },
    async (request) => listTicketPhotos(ctx, request.principal!, request.params.id),
  );

  app.post(
    '/api/v1/maintenance/tickets/:id/photos',
    {
      bodyLimit: PHOTO_BODY_LIMIT,
      schema: {
        tags: ['maintenance'],
        summary: `Attach a photo to a ticket that is not closed: JPEG or PNG (checked by its bytes), at most ${PHOTO_MAX_BYTES / 1024 / 1024} MiB, base64`,
        params: IdParams,
        body: Body({ photoBase64: Type.String({ minLength: 1, maxLength: PHOTO_BODY_LIMIT }) }),
        response: { 201: Type.Object({ id: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id, sm3 } = await addTicketPhoto(ctx, request.principal!, request.params.id, request.body.photoBase64);
      request.auditTarget = { type: 'maintenance_ticket', id: request.params.id };
      request.auditDetails = { photoId: id, sm3 };
      return reply.code(201).send({ id });
    },
  );

  app.get(
    '/api/v1/maintenance/tickets/:id/photos/:photoId',
    { schema: { tags: ['maintenance'], summary: 'One photo (image/jpeg or image/png); every view is audited', params: PhotoParams, response: { 200: Type.Unknown(), ...errorResponses } } },
    async (request, reply) => {
      const photo = await getTicketPhoto(ctx, request.principal!, request.params.id, request.params.photoId);
      request.auditTarget = { type: 'maintenance_ticket', id: request.params.id };
      request.auditDetails = { field: 'photo', photoId: request.params.photoId, sm3: photo.sm3 };
      return reply.type(photo.contentType).header('cache-control', 'no-store').send(photo.bytes);
    },
  );
};
