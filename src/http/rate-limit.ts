import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors/app-error.ts';
import { countRequest, requestBucket } from '../platform/auth/rate-limit.ts';

/**
 * The general API rate limit (after authentication, so a key or user is charged rather than a shared
 * address): one counter upsert per request; over the budget answers 429 RATE_LIMITED with Retry-After.
 */
export async function limitRequest(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { rateLimitPerApiKey: perApiKey, rateLimitPerUser: perUser, rateLimitPerIp: perIp } = ctx.config;
  const bucket = requestBucket(request.principal, request.ip, { perApiKey, perUser, perIp });
  if (!bucket) return;
  try {
    await countRequest(ctx, bucket);
  } catch (err) {
    if (err instanceof AppError && err.code === 'RATE_LIMITED') {
      reply.header('retry-after', String((err.details as { retryAfterSeconds: number }).retryAfterSeconds));
    }
    throw err;
  }
}
