import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors/app-error.ts';
import { Body, errorResponses, listOf } from '../../http/schemas.ts';
import { ROLE_DEFINITIONS, ROLES } from './roles.ts';
import { login, logout, meView, principalFor } from './service.ts';
import { findUserWithOrg, setPassword } from '../../modules/orgs/service.ts';
import { verifyPassword } from './passwords.ts';

const SESSION_COOKIE = 'cf_session';

const Me = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  orgId: Type.String(),
  orgName: Type.String(),
  orgKind: Type.String(),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
});
const MeResponse = Type.Object({ user: Me, csrfToken: Type.String() });

export const authRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie and returns the CSRF token',
        security: [],
        body: Body({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: MeResponse, ...errorResponses, 423: errorResponses[400], 429: errorResponses[400] },
      },
    },
    async (request, reply) => {
      request.auditDetails = { username: request.body.username };
      const result = await login(ctx, request.body.username, request.body.password, { ip: request.ip, userAgent: request.headers['user-agent'] });
      // Signing in over an existing session replaces it: the old token stops working server side.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await logout(ctx, previous);
      request.principal = principalFor(result.user, result.org);
      request.auditTarget = { type: 'user', id: result.user.id };
      reply.setCookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.cookieSecure,
        path: '/',
        expires: result.expiresAt,
      });
      return { user: meView(result.user, result.org), csrfToken: result.csrfToken };
    },
  );

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out (ends this session)', response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await logout(ctx, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: 'Who am I, with my permissions and CSRF token', response: { 200: MeResponse, ...errorResponses } } }, async (request) => {
    const principal = request.principal!;
    if (principal.type !== 'USER') throw new AppError('FORBIDDEN');
    const found = await findUserWithOrg(ctx, principal.id);
    if (!found) throw new AppError('AUTH_SESSION_EXPIRED');
    return { user: meView(found.user, found.org), csrfToken: request.sessionCsrf ?? '' };
  });

  app.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change my own password (ends all my sessions: sign in again)',
        body: Body({ currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      if (principal.type !== 'USER') throw new AppError('FORBIDDEN');
      const found = await findUserWithOrg(ctx, principal.id);
      if (!found || !(await verifyPassword(request.body.currentPassword, found.user.passwordHash))) throw new AppError('AUTH_INVALID_CREDENTIALS');
      await setPassword(ctx, principal.id, request.body.newPassword);
      request.auditTarget = { type: 'user', id: principal.id };
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/roles',
    {
      schema: {
        tags: ['auth'],
        summary: 'The role catalogue: which organisation kinds may hold each role and what it permits',
        response: { 200: listOf(Type.Object({ role: Type.String(), orgKinds: Type.Array(Type.String()), permissions: Type.Array(Type.String()), grantable: Type.Boolean() })), ...errorResponses },
      },
    },
    async (request) => {
      const grantable = new Set(ROLES.filter((r) => request.principal!.roles.some((mine) => ROLE_DEFINITIONS[mine].grants.includes(r))));
      return {
        items: ROLES.map((role) => ({
          role,
          orgKinds: [...ROLE_DEFINITIONS[role].orgKinds],
          permissions: [...ROLE_DEFINITIONS[role].permissions],
          grantable: grantable.has(role),
        })),
      };
    },
  );
};
