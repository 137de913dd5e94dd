import { Type, type TSchema } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable error code, e.g. VALIDATION_FAILED' }),
      message: Type.String({ description: 'message in the language of Accept-Language' }),
      details: Type.Unknown(),
    }),
  },
  { $id: 'ErrorResponse' },
);

/** Strict object: unknown fields are an error, not silently dropped. */
export function Body<T extends Record<string, TSchema>>(props: T) {
  return Type.Object(props, { additionalProperties: false });
}

export function listOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item) });
}

/** The error answers every route can give, for the OpenAPI description. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
};
