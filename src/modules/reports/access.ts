import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the reports module and what they need (merged into the single table in src/http/access.ts). */
export const REPORT_ACCESS: Record<string, RouteAccess> = {};
