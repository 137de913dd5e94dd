import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Body, errorResponses } from '../../http/schemas.ts';
import { parseCitizenId } from './citizen-id.ts';
import { normaliseMobile } from './phone.ts';
import { checkCreditCode } from './credit-code.ts';
import { assertRegionCode } from './region.ts';
import { maskIdNumber, maskPhone } from '../crypto/masking.ts';

/**
 * The shared validators as a service, for outlet systems and the console to check a value before
 * submitting it. Personal values come back masked; errors carry the same codes as everywhere else.
 */
export const validatorRoutes = (): FastifyPluginAsyncTypebox => async (app) => {
  app.post(
    '/api/v1/validate',
    {
      schema: {
        tags: ['validators'],
        summary: 'Check a citizen ID number, mobile number, unified social credit code or region code',
        body: Body({
          kind: Type.Union([Type.Literal('citizen_id'), Type.Literal('mobile'), Type.Literal('credit_code'), Type.Literal('region_code')]),
          value: Type.String({ minLength: 1, maxLength: 40 }),
        }),
        response: { 200: Type.Object({ valid: Type.Boolean(), normalised: Type.String(), info: Type.Record(Type.String(), Type.Unknown()) }), ...errorResponses },
      },
    },
    async (request) => {
      const { kind, value } = request.body;
      switch (kind) {
        case 'citizen_id': {
          const id = parseCitizenId(value);
          return { valid: true, normalised: maskIdNumber(id.id), info: { birthDate: id.birthDate, sex: id.sex, regionCode: id.regionCode, convertedFromLegacy: value.trim().length === 15 } };
        }
        case 'mobile':
          return { valid: true, normalised: maskPhone(normaliseMobile(value)), info: {} };
        case 'credit_code': {
          const r = checkCreditCode(value, 'entry');
          return { valid: r.valid, normalised: r.code, info: {} };
        }
        case 'region_code': {
          const r = assertRegionCode(value);
          return { valid: true, normalised: r.code, info: { name: r.name, fullName: r.fullName, level: r.level } };
        }
      }
    },
  );
};
