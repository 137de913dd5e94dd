/** Error messages of the production module (batches, packages, keys). */
export const PRODUCTION_MESSAGES = {} as const;
