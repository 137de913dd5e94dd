import type { FastifyPluginAsync } from 'fastify';
import type { HttpGateway } from './gateway.ts';

/** Default path of the provider's callbacks; `:gateway` is not needed, each gateway mounts its own. */
export const RECEIPT_PATH = '/api/v1/sms/http-callbacks';

/**
 * The route an HTTP provider posts receipts and replies to. Authenticated by the signature alone (no
 * session, no API key): register it in the access table as public. The body is read as raw text,
 * because the signature covers the exact bytes; the parser is scoped to this plugin.
 * 204 when handled; 401/400 for a bad signature, timestamp or body (the provider must not retry);
 * an error from storing a receipt goes to the error handler as 500, so the provider sends it again.
 */
export function httpReceiptRoutes(gateway: Pick<HttpGateway, 'name' | 'handleCallback'>, path = `${RECEIPT_PATH}/${gateway.name}`): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));
    app.post(path, { schema: { hide: true } }, async (request, reply) => {
      await gateway.handleCallback(request.headers, typeof request.body === 'string' ? request.body : '');
      return reply.code(204).send();
    });
  };
}
