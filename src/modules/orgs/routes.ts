import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import { Body, errorResponses, IdParams, listOf, Uuid } from '../../http/schemas.ts';
import { ORG_KINDS } from './schema.ts';
import { ROLES } from '../../platform/auth/roles.ts';
import {
  createOrg,
  createUser,
  getOrgInScope,
  getUserInScope,
  listOrgs,
  listUsers,
  orgView,
  resetPassword,
  updateOrg,
  updateUser,
  userView,
} from './service.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../platform/auth/service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const OrgKind = Type.Union(ORG_KINDS.map((k) => Type.Literal(k)));
const RoleName = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Name = Type.String({ minLength: 1, maxLength: 100 });
const RegionCode = Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 region code' });

const Org = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  parentId: Nullable(Type.String()),
  regionCode: Nullable(Type.String()),
  regionName: Nullable(Type.String()),
  creditCode: Nullable(Type.String()),
  createdAt: Type.String(),
});
const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  orgId: Type.String(),
  orgName: Type.String(),
  roles: Type.Array(Type.String()),
  status: Type.String(),
  lockedUntil: Nullable(Type.String()),
  lastLoginAt: Nullable(Type.String()),
  phoneMasked: Nullable(Type.String()),
  createdAt: Type.String(),
});
const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  orgId: Type.String(),
  orgName: Type.String(),
  roles: Type.Array(Type.String()),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});
const Password = Type.String({ minLength: 1, maxLength: 200 });
const Phone = Type.String({ minLength: 5, maxLength: 20, description: 'mainland mobile number; +86, spaces and dashes allowed' });

export const orgRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/orgs', { schema: { tags: ['organisations'], summary: 'Organisations I may see (my subtree for authorities)', response: { 200: listOf(Org), ...errorResponses } } }, async (request) => ({
    items: (await listOrgs(ctx, request.principal!)).map(orgView),
  }));

  app.get('/api/v1/orgs/:id', { schema: { tags: ['organisations'], params: IdParams, response: { 200: Org, ...errorResponses } } }, async (request) =>
    orgView(await getOrgInScope(ctx, request.principal!, request.params.id)),
  );

  app.post(
    '/api/v1/orgs',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Create an organisation under one I manage',
        body: Body({ name: Name, kind: OrgKind, parentId: Uuid, regionCode: Type.Optional(Nullable(RegionCode)), creditCode: Type.Optional(Nullable(Type.String({ maxLength: 18 }))) }),
        response: { 201: Org, ...errorResponses },
      },
    },
    async (request, reply) => {
      const org = await createOrg(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'organisation', id: org.id };
      request.auditDetails = { name: org.name, kind: org.kind, parentId: org.parentId };
      return reply.code(201).send(orgView(org));
    },
  );

  app.patch(
    '/api/v1/orgs/:id',
    {
      schema: {
        tags: ['organisations'],
        params: IdParams,
        body: Body({ name: Type.Optional(Name), regionCode: Type.Optional(Nullable(RegionCode)) }),
        response: { 200: Org, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'organisation', id: request.params.id };
      request.auditDetails = { changed: Object.keys(request.body) };
      return orgView(await updateOrg(ctx, request.principal!, request.params.id, request.body));
    },
  );

  app.get(
    '/api/v1/users',
    { schema: { tags: ['users'], querystring: Type.Object({ orgId: Type.Optional(Uuid) }, { additionalProperties: false }), response: { 200: listOf(User), ...errorResponses } } },
    async (request) => ({ items: await listUsers(ctx, request.principal!, request.query) }),
  );

  app.get('/api/v1/users/:id', { schema: { tags: ['users'], params: IdParams, response: { 200: User, ...errorResponses } } }, async (request) => {
    const { user, org } = await getUserInScope(ctx, request.principal!, request.params.id);
    return userView(user, org.name);
  });

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user in an organisation I manage, with roles I may grant',
        body: Body({
          username: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,40}$' }),
          displayName: Type.String({ minLength: 1, maxLength: 50 }),
          orgId: Uuid,
          roles: Type.Array(RoleName, { minItems: 1, maxItems: ROLES.length }),
          password: Password,
          phone: Type.Optional(Nullable(Phone)),
        }),
        response: { 201: User, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = await createUser(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'user', id: user.id };
      request.auditDetails = { username: user.username, orgId: user.orgId, roles: user.roles };
      return reply.code(201).send(user);
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        params: IdParams,
        body: Body({
          displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
          roles: Type.Optional(Type.Array(RoleName, { minItems: 1, maxItems: ROLES.length })),
          status: Type.Optional(Type.Union([Type.Literal('ACTIVE'), Type.Literal('DISABLED')])),
          phone: Type.Optional(Nullable(Phone)),
        }),
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => {
      request.auditTarget = { type: 'user', id: request.params.id };
      const { phone, ...rest } = request.body;
      request.auditDetails = { ...rest, ...(phone !== undefined ? { phone: phone === null ? 'cleared' : 'changed' } : {}) };
      return updateUser(ctx, request.principal!, request.params.id, request.body);
    },
  );

  app.post(
    '/api/v1/users/:id/reset-password',
    { schema: { tags: ['users'], summary: 'Set a new password and unlock the account', params: IdParams, body: Body({ password: Password }), response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      request.auditTarget = { type: 'user', id: request.params.id };
      await resetPassword(ctx, request.principal!, request.params.id, request.body.password);
      return reply.code(204).send(null);
    },
  );

  app.get('/api/v1/api-keys', { schema: { tags: ['api keys'], summary: 'API keys of organisations I manage (prefix only, never the secret)', response: { 200: listOf(ApiKey), ...errorResponses } } }, async (request) => ({
    items: await listApiKeys(ctx, request.principal!),
  }));

  app.post(
    '/api/v1/api-keys',
    {
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key for a machine client; the secret is shown in this answer only',
        body: Body({ name: Name, orgId: Uuid, roles: Type.Array(RoleName, { minItems: 1, maxItems: ROLES.length }) }),
        response: { 201: Type.Object({ apiKey: ApiKey, secret: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await createApiKey(ctx, request.principal!, request.body);
      request.auditTarget = { type: 'api_key', id: created.apiKey.id };
      request.auditDetails = { name: created.apiKey.name, prefix: created.apiKey.prefix, roles: created.apiKey.roles };
      return reply.code(201).send(created);
    },
  );

  app.post('/api/v1/api-keys/:id/revoke', { schema: { tags: ['api keys'], params: IdParams, response: { 200: ApiKey, ...errorResponses } } }, async (request) => {
    request.auditTarget = { type: 'api_key', id: request.params.id };
    return revokeApiKey(ctx, request.principal!, request.params.id);
  });
};
