import type { RouteAccess } from '../../http/access-types.ts';

/**
 * Routes of the reports module and what they need (merged into the single table in src/http/access.ts).
 * All are reads without personal data (application numbers, card numbers, masked phones only), so none
 * is an audited read.
 */
export const REPORT_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/card-events': { need: 'cardevent.read' },
  'GET /api/v1/exports/daily': { need: 'cardevent.read' },
  'GET /api/v1/sla/overview': { need: 'report.read' },
  'GET /api/v1/sla/late-batches': { need: 'report.read' },
  'GET /api/v1/reports/summary': { need: 'report.read' },
  'GET /api/v1/reports/summary.xlsx': { need: 'report.read' },
  'GET /api/v1/notifications': { need: 'report.read' },
};
