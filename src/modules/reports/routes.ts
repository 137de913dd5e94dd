import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../platform/context.ts';

/** HTTP routes for write-back feed, daily export, SLA and reports. */
export const reportRoutes = (_ctx: AppContext): FastifyPluginAsyncTypebox => async () => {};
