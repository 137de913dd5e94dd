import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors/app-error.ts';
import { resolveApiKey, resolveSession } from '../platform/auth/service.ts';
import { limitRequest } from './rate-limit.ts';
import { crossSiteRequest } from './csrf.ts';
import { ACCESS, accessKey } from './access.ts';
import { fromRoot } from '../platform/paths.ts';
import { sendError } from './errors.ts';
import { auditOnSend } from './audit-hook.ts';
import './types.ts';
import { authRoutes } from '../platform/auth/routes.ts';
import { auditRoutes } from '../platform/audit/routes.ts';
import { orgRoutes } from '../modules/orgs/routes.ts';
import { calendarRoutes } from '../modules/calendar/routes.ts';
import { programmeRoutes } from '../modules/programmes/routes.ts';
import { applicationRoutes } from '../modules/applications/routes.ts';
import { cardRoutes } from '../modules/cards/routes.ts';
import { productionRoutes } from '../modules/production/routes.ts';
import { resultsRoutes } from '../modules/production/results-routes.ts';
import { logisticsRoutes } from '../modules/logistics/routes.ts';
import { reportRoutes } from '../modules/reports/routes.ts';
import { maintenanceRoutes } from '../modules/maintenance/routes.ts';
import { smsSendRoutes } from '../modules/notify/send-routes.ts';
import { smsRoutes } from '../modules/notify/routes.ts';
import { smsStatementRoutes } from '../modules/notify/statements-routes.ts';
import { smsDutyRoutes } from '../modules/notify/provider-duties-routes.ts';
import { smsWordRoutes } from '../modules/notify/words-routes.ts';
import { smsHttpCallbackRoutes } from '../modules/notify/http/receipt-routes.ts';
import { opsRoutes } from '../modules/ops/routes.ts';
import { settlementRoutes } from '../modules/settlement/routes.ts';
import { settlementExportRoutes } from '../modules/settlement/export-routes.ts';
import { piiRoutes } from '../platform/pii/routes.ts';
import { healthRoutes } from './health.ts';
import { registerMetrics } from './metrics.ts';
import { validatorRoutes } from '../platform/validators/routes.ts';

export const SESSION_COOKIE = 'cf_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WEB_DIST = fromRoot('web/dist');

export type App = FastifyInstance & { withTypeProvider: FastifyInstance['withTypeProvider'] };

function makeAjv(coerce: boolean) {
  // Bodies are strict (no coercion, unknown fields rejected by additionalProperties:false);
  // query strings and path params arrive as text and are coerced.
  const ajv = new Ajv({ allErrors: true, coerceTypes: coerce ? 'array' : false, removeAdditional: false, useDefaults: true, strict: false });
  addFormats.default(ajv);
  return ajv;
}

export async function buildApp(ctx: AppContext, opts: { serveConsole?: boolean } = {}) {
  const app = Fastify({
    loggerInstance: ctx.logger,
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy,
    genReqId: () => randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const strictAjv = makeAjv(false);
  const coercingAjv = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema));

  app.decorateRequest('principal', null);
  app.decorateRequest('sessionCsrf', null);
  app.decorateRequest('access', null);
  app.decorateRequest('auditTarget', null);
  app.decorateRequest('auditDetails', null);
  app.decorateRequest('errorCode', null);

  const apiRoutes: string[] = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      if (m === 'HEAD') continue;
      const key = accessKey(m, route.url);
      if (!ACCESS[key]) throw new Error(`Route ${key} is missing from src/http/access.ts`);
      apiRoutes.push(key);
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its CSS-in-JS into <style> elements at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: ctx.config.cookieSecure ? undefined : false,
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cardflow API',
        version: '0.1.0',
        description:
          'Residence permits and social security cards, from application to issue. Console clients sign in with ' +
          '`POST /api/v1/auth/login` (session cookie plus the `x-csrf-token` header on changes); machine clients send ' +
          '`Authorization: Bearer cfk_…`. Errors are always `{"error":{"code","message","details"}}`; messages follow Accept-Language (zh-CN default, en-US).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiKey: { type: 'http', scheme: 'bearer', description: 'cfk_<prefix>_<secret>' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
  });
  // The console's CSP applies to /docs too; no validator badge, which would call an outside host.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: false, uiConfig: { docExpansion: 'list', validatorUrl: null } });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const url = request.routeOptions.url;
    if (!url || !url.startsWith('/api/')) return;
    const access = ACCESS[accessKey(request.method, url)] ?? null;
    request.access = access;
    await authenticate(ctx, request);
    if (!access?.unmetered) await limitRequest(ctx, request, reply);
    // A change with this browser's session, or a sign-in (login CSRF), must come from the console's own origin.
    if (UNSAFE.has(request.method) && (request.sessionCsrf || url === '/api/v1/auth/login') && crossSiteRequest(request.headers, request.host)) {
      throw new AppError('AUTH_CSRF_INVALID');
    }
    if (!access || access.need === 'public') return;
    if (!request.principal) throw new AppError('AUTH_REQUIRED');
    if (request.sessionCsrf && UNSAFE.has(request.method) && request.headers['x-csrf-token'] !== request.sessionCsrf) {
      throw new AppError('AUTH_CSRF_INVALID');
    }
    if (access.need !== 'authenticated' && !request.principal.permissions.has(access.need)) throw new AppError('FORBIDDEN');
  });

  // PostgreSQL text and jsonb cannot hold U+0000: refuse it here as bad input, before it can fail an
  // insert (a 500) or, worse, the audit write for the request.
  app.addHook('preValidation', async (request) => {
    const field = nulField('body', request.body) ?? nulField('querystring', request.query) ?? nulField('params', request.params);
    if (field === null) return;
    const problem = 'must not contain the NUL character (U+0000)';
    throw new AppError('VALIDATION_FAILED', { params: { reason: `${field}: ${problem}` }, details: { problems: [{ field, problem }] } });
  });

  app.addHook('onSend', auditOnSend(ctx));
  registerMetrics(app, ctx);

  app.setErrorHandler((err, request, reply) => {
    request.errorCode = err instanceof AppError ? err.code : ((err as { code?: string }).code ?? null);
    return sendError(err, request, reply);
  });

  const serveConsole = (opts.serveConsole ?? true) && existsSync(path.join(WEB_DIST, 'index.html'));
  if (serveConsole) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    if (serveConsole && wantsPage) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    request.errorCode = 'ROUTE_NOT_FOUND';
    return sendError(new AppError('ROUTE_NOT_FOUND', { params: { method: request.method, url: request.url.split('?')[0] ?? '' } }), request, reply);
  });

  await app.register(healthRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(orgRoutes(ctx));
  await app.register(auditRoutes(ctx));
  await app.register(calendarRoutes(ctx));
  await app.register(programmeRoutes(ctx));
  await app.register(applicationRoutes(ctx));
  await app.register(cardRoutes(ctx));
  await app.register(productionRoutes(ctx));
  await app.register(resultsRoutes(ctx));
  await app.register(logisticsRoutes(ctx));
  await app.register(reportRoutes(ctx));
  await app.register(maintenanceRoutes(ctx));
  await app.register(smsSendRoutes(ctx));
  await app.register(smsRoutes(ctx));
  await app.register(smsStatementRoutes(ctx));
  await app.register(smsDutyRoutes(ctx));
  await app.register(smsWordRoutes(ctx));
  await app.register(smsHttpCallbackRoutes(ctx));
  await app.register(opsRoutes(ctx));
  await app.register(settlementRoutes(ctx));
  await app.register(settlementExportRoutes(ctx));
  await app.register(piiRoutes(ctx));
  await app.register(validatorRoutes());
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.ready();
  return app;
}

/** The path ("body.name") of a string, or of an object with a key, that contains U+0000; null if none. */
function nulField(at: string, value: unknown): string | null {
  // Iterative: a deeply nested body must not overflow the stack.
  const pending: [string, unknown][] = [[at, value]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [path, v] = item;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (typeof v === 'object' && v !== null) {
      for (const [key, inner] of Object.entries(v)) {
        if (key.includes('\u0000')) return path;
        pending.push([`${path}.${key}`, inner]);
      }
    }
  }
  return null;
}

async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<void> {
  const auth = request.headers.authorization;
  const headerKey = request.headers['x-api-key'];
  const apiKey = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : typeof headerKey === 'string' ? headerKey : null;
  if (apiKey) {
    request.principal = await resolveApiKey(ctx, apiKey);
    return;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return;
  try {
    const session = await resolveSession(ctx, token);
    request.principal = session.principal;
    request.sessionCsrf = session.csrfToken;
  } catch (err) {
    // An expired cookie on a public route (the login form) is not an error.
    if (request.access?.need !== 'public') throw err;
  }
}

export type AppInstance = Awaited<ReturnType<typeof buildApp>>;
