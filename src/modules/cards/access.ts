import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the cards module (production results, bank matching) and what they need. */
export const CARD_ACCESS: Record<string, RouteAccess> = {
  // Masked queue only: no personal data beyond masked copies, so no audited read.
  'GET /api/v1/bank-matching': { need: 'bank.match' },
  'POST /api/v1/applications/:id/bank-match': { need: 'bank.match', action: 'application.bank.match' },
  'POST /api/v1/bank-matching': { need: 'bank.match', action: 'application.bank.match.bulk' },

  'POST /api/v1/batches/:id/results': { need: 'production.report', action: 'batch.results.report' },
  'GET /api/v1/batches/:id/results-template.csv': { need: 'production.report' },
};
