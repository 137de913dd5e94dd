import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../platform/context.ts';

/** HTTP routes for bank matching and card lookups. */
export const cardRoutes = (_ctx: AppContext): FastifyPluginAsyncTypebox => async () => {};
