import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { appendAudit } from '../platform/audit/service.ts';
import { AppError } from '../platform/errors/app-error.ts';
import { toErrorBody } from './errors.ts';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The one place audit entries for requests are written: every state-changing route that names an
 * action in the access table, and every refused access. It runs before the answer leaves, so a
 * client that got a 2xx knows its change is in the trail.
 */
export function auditOnSend(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const access = request.access;
    if (!access) return payload;
    const status = reply.statusCode;
    const denied = status === 403 || request.errorCode === 'OUT_OF_SCOPE';
    if (!((UNSAFE.has(request.method) || access.auditRead) && access.action) && !denied) return payload;
    if (status === 401 && !access.action) return payload;
    const p = request.principal;
    try {
      await appendAudit(ctx, {
        actorType: p ? (p.type === 'API_KEY' ? 'API_KEY' : 'USER') : 'ANONYMOUS',
        actorId: p?.id ?? null,
        actorName: p?.name ?? (typeof request.auditDetails?.username === 'string' ? request.auditDetails.username : null),
        orgId: p?.orgId ?? null,
        orgName: p?.orgName ?? null,
        ip: request.ip,
        action: access.action ?? `${request.method} ${request.routeOptions.url ?? request.url}`,
        targetType: request.auditTarget?.type ?? null,
        targetId: request.auditTarget?.id ?? (request.params as Record<string, string> | undefined)?.id ?? null,
        outcome: status < 400 ? 'SUCCESS' : denied || status === 401 ? 'DENIED' : 'FAILED',
        requestId: request.id,
        details: { ...(request.auditDetails ?? {}), status, ...(request.errorCode ? { error: request.errorCode } : {}) },
      });
    } catch (err) {
      // The change may be committed but its trail entry is not: say so loudly to the operator, and
      // never show the client a result (or a value) that was not audited.
      request.log.error({ err, requestId: request.id, action: access.action }, 'AUDIT WRITE FAILED');
      const { status: code, body } = toErrorBody(new AppError('INTERNAL_ERROR', { params: { requestId: request.id } }), request);
      reply.code(code).type('application/json; charset=utf-8');
      return JSON.stringify(body);
    }
    return payload;
  };
}
