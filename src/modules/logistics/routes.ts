import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../platform/context.ts';

/** HTTP routes for shipments, receipt, issuance and loss. */
export const logisticsRoutes = (_ctx: AppContext): FastifyPluginAsyncTypebox => async () => {};
