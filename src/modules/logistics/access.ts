import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the logistics module and what they need (merged into the single table in src/http/access.ts). */
export const LOGISTICS_ACCESS: Record<string, RouteAccess> = {};
