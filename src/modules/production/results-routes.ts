import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../platform/context.ts';

/** HTTP routes for production results reported by the producer. */
export const resultsRoutes = (_ctx: AppContext): FastifyPluginAsyncTypebox => async () => {};
