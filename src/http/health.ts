import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../platform/context.ts';

export const healthRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['ops'], summary: 'The database answers and every migration is applied' } }, async (_req, reply) => {
    try {
      await ctx.db.ping();
      if (!(await ctx.db.migrationsApplied())) return reply.code(503).send({ status: 'migrations pending', engine: ctx.db.engine });
      return { status: 'ready', engine: ctx.db.engine };
    } catch {
      return reply.code(503).send({ status: 'database unreachable', engine: ctx.db.engine });
    }
  });
};
