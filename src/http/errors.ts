import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, localeFrom, renderMessage } from '../platform/errors/app-error.ts';
import type { ErrorCode } from '../platform/errors/messages.ts';
import { messages } from '../platform/errors/messages.ts';

interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown };
}

/** Maps anything thrown in a request to the one documented error shape. */
export function toErrorBody(err: unknown, request: FastifyRequest): { status: number; body: ErrorBody } {
  const locale = localeFrom(request.headers['accept-language']);
  const make = (code: ErrorCode, params: Record<string, string | number> = {}, details: unknown = null) => ({
    status: messages[code].status,
    body: { error: { code, message: renderMessage(code, locale, params), details } },
  });
  if (err instanceof AppError) {
    return { status: err.status, body: { error: { code: err.code, message: err.messageIn(locale), details: err.details ?? null } } };
  }
  const fe = err as FastifyError & { validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[]; validationContext?: string };
  if (fe.validation) {
    const problems = fe.validation.map((v) => ({
      field: `${fe.validationContext ?? 'body'}${v.instancePath ?? ''}`.replace(/\//g, '.'),
      problem: v.params?.additionalProperty ? `unknown field "${String(v.params.additionalProperty)}"` : (v.message ?? 'invalid'),
    }));
    const reason = problems.map((p) => `${p.field}: ${p.problem}`).join('; ');
    return make('VALIDATION_FAILED', { reason }, { problems });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return make('MALFORMED_JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return make('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return make('UNSUPPORTED_MEDIA_TYPE');
    default:
      break;
  }
  if (err instanceof SyntaxError && fe.statusCode === 400) return make('MALFORMED_JSON');
  const pgCode = (err as { code?: string }).code;
  if (pgCode === '23505') return make('CONFLICT', { reason: (err as { constraint?: string }).constraint ?? 'unique' });
  if (pgCode === '23514' || pgCode === '23502' || pgCode === '22P02' || pgCode === '22007' || pgCode === '22008') {
    return make('VALIDATION_FAILED', { reason: (err as { constraint?: string }).constraint ?? 'constraint' });
  }
  if (pgCode === '23503') return make('VALIDATION_FAILED', { reason: 'reference' });
  if (fe.statusCode === 429) return make('RATE_LIMITED');
  if (fe.statusCode === 413) return make('PAYLOAD_TOO_LARGE');
  if (fe.statusCode === 415) return make('UNSUPPORTED_MEDIA_TYPE');
  return make('INTERNAL_ERROR', { requestId: request.id });
}

export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toErrorBody(err, request);
  if (status >= 500) request.log.error({ err }, 'request failed');
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
