import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../platform/context.ts';

/** HTTP routes for production batches, packages and package keys. */
export const productionRoutes = (_ctx: AppContext): FastifyPluginAsyncTypebox => async () => {};
