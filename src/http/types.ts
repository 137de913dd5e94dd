import type { Principal } from '../platform/auth/principal.ts';
import type { RouteAccess } from './access.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** "METHOD /api/…" of every API route registered, for the access table checks. */
    apiRoutes: string[];
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Set for cookie sessions: the token CSRF headers are compared with. */
    sessionCsrf: string | null;
    access: RouteAccess | null;
    /** Handlers name what they touched; the audit hook writes it. */
    auditTarget: { type: string; id: string | null } | null;
    auditDetails: Record<string, unknown> | null;
    errorCode: string | null;
  }
}
