import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors/app-error.ts';
import { errorResponses } from '../../../http/schemas.ts';
import { providerIdentity } from '../providers.ts';
import { recordInbound, storeReceipts } from '../receipts-store.ts';
import type { HttpGateway } from './gateway.ts';
import { RECEIPT_PATH, verifyCallback } from './callback.ts';
import { REPLAY_WINDOW_MS, SIGNATURE_HEADER } from './signature.ts';

export { RECEIPT_PATH };

/** The callback body is read as raw text: the signature covers the exact bytes. */
const CALLBACK_BODY_LIMIT = 1024 * 1024;

/**
 * The route of one gateway object, for a provider talking to a gateway in the same process (tests of
 * the gateway itself); the application mounts smsHttpCallbackRoutes instead.
 * 204 when handled; 401/400 for a bad signature, timestamp or body (the provider must not retry);
 * an error from storing a receipt goes to the error handler as 500, so the provider sends it again.
 */
export function httpReceiptRoutes(gateway: Pick<HttpGateway, 'name' | 'handleCallback'>, path = `${RECEIPT_PATH}/${gateway.name}`): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: CALLBACK_BODY_LIMIT }, (_request, body, done) => done(null, body));
    app.post(path, { schema: { hide: true } }, async (request, reply) => {
      await gateway.handleCallback(request.headers, typeof request.body === 'string' ? request.body : '');
      return reply.code(204).send();
    });
  };
}

/**
 * The configured HTTP provider's signed callbacks (CARDFLOW_SMS_PROTOCOL=http), public: the
 * signature is the authentication. Receipts and replies are stored here, in whichever process takes
 * the request, exactly as the worker stores those of SMPP and CMPP; the dispatcher finds them by the
 * provider's name. A callback already handled (same signature) within the replay window is not
 * stored twice. Register inside its own plugin scope: the raw-body parser must not reach other routes.
 */
export const smsHttpCallbackRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const handled = new Map<string, number>();
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: CALLBACK_BODY_LIMIT }, (_request, body, done) => done(null, body));
    app.post(
      RECEIPT_PATH,
      {
        schema: {
          tags: ['sms'],
          summary: 'Delivery receipts and replies from the HTTP SMS provider (signed callback)',
          description:
            'Public; authenticated by `X-Sms-Signature` = hex HMAC-SM3(secret, `X-Sms-Timestamp` + "." + body) with the shared secret ' +
            '(CARDFLOW_SMS_PASSWORD), timestamp in Unix ms within ±5 minutes. Body: `{"receipts":[{"messageId","stat","err"?,"doneAt"?}],' +
            '"inbound":[{"from","to","text","receivedAt"?}]}`. 404 unless CARDFLOW_SMS_PROTOCOL is http.',
          security: [],
          body: Type.String({ description: 'the JSON callback, verified against its signature before it is read' }),
          response: { 204: Type.Null({ description: 'stored' }), ...errorResponses },
        },
      },
      async (request, reply) => {
        if (ctx.config.smsProtocol !== 'http') throw new AppError('NOT_FOUND');
        const { name, callbackSecret } = providerIdentity(ctx.config);
        if (callbackSecret === null) throw new AppError('SMS_GATEWAY_CONFIG_INVALID', { params: { reason: 'CARDFLOW_SMS_PASSWORD is not set' } });
        const now = Date.now();
        const content = verifyCallback(request.headers, request.body, callbackSecret, now);
        const signature = String(request.headers[SIGNATURE_HEADER]);
        for (const [seen, expires] of handled) if (expires < now) handled.delete(seen);
        if (!handled.has(signature)) {
          await storeReceipts(ctx, name, content.receipts);
          for (const m of content.inbound) await recordInbound(ctx, { provider: name, from: m.from, text: m.text, receivedAt: m.receivedAt });
          // Remembered for twice the window: the timestamp may be up to one window old or ahead.
          handled.set(signature, now + 2 * REPLAY_WINDOW_MS);
        }
        return reply.code(204).send(null);
      },
    );
  };
