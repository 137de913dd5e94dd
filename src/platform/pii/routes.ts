import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { Body, errorResponses } from '../../http/schemas.ts';
import { unmask, UNMASK_REASON_MIN, registerUnmasker } from './unmask.ts';
import { revealUserPhone } from '../../modules/orgs/service.ts';

registerUnmasker('user', 'phone', revealUserPhone);

export const piiRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/api/v1/pii/unmask',
    {
      schema: {
        tags: ['personal data'],
        summary: 'Reveal one protected field; needs pii.unmask and a reason, and is written to the audit trail',
        body: Body({
          targetType: Type.String({ minLength: 1, maxLength: 50 }),
          targetId: Type.String({ minLength: 1, maxLength: 100 }),
          field: Type.String({ minLength: 1, maxLength: 50 }),
          // Optional here so that a missing or short reason gets its own answer, UNMASK_REASON_REQUIRED.
          reason: Type.Optional(Type.String({ maxLength: 500, description: `why you need the full value (at least ${UNMASK_REASON_MIN} characters)` })),
        }),
        response: { 200: Type.Object({ value: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const { targetType, targetId, field, reason = '' } = request.body;
      request.auditTarget = { type: targetType, id: targetId };
      request.auditDetails = { field, reason };
      return { value: await unmask(ctx, request.principal!, { targetType, targetId, field, reason }) };
    },
  );
};
