import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the operations module and what they need (merged into the single table in src/http/access.ts). */
export const OPS_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/ops/status': { need: 'ops.read' },
};
