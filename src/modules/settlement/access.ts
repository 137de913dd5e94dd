import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the settlement module and what they need (merged into the single table in src/http/access.ts). */
export const SETTLEMENT_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/settlement/contracts': { need: 'settlement.read' },
  'POST /api/v1/settlement/contracts': { need: 'settlement.manage', action: 'settlement.contract.create' },
  'GET /api/v1/settlement/contracts/:id': { need: 'settlement.read' },
  'PUT /api/v1/settlement/contracts/:id': { need: 'settlement.manage', action: 'settlement.contract.update' },
  'GET /api/v1/settlement/contracts/:id/periods': { need: 'settlement.read' },

  'POST /api/v1/settlement/statements': { need: 'settlement.manage', action: 'settlement.statement.draft' },
  'GET /api/v1/settlement/statements': { need: 'settlement.read' },
  'GET /api/v1/settlement/statements/:id': { need: 'settlement.read' },
  'GET /api/v1/settlement/statements/:id/evidence': { need: 'settlement.read' },
  'POST /api/v1/settlement/statements/:id/redraft': { need: 'settlement.manage', action: 'settlement.statement.redraft' },
  'POST /api/v1/settlement/statements/:id/submit': { need: 'settlement.manage', action: 'settlement.statement.submit' },
  'POST /api/v1/settlement/statements/:id/approve': { need: 'settlement.approve', action: 'settlement.statement.approve' },
  'POST /api/v1/settlement/statements/:id/return': { need: 'settlement.approve', action: 'settlement.statement.return' },
  'POST /api/v1/settlement/statements/:id/adjust': { need: 'settlement.manage', action: 'settlement.statement.adjust' },
  'POST /api/v1/settlement/statements/:id/invoices': { need: 'settlement.payments', action: 'settlement.invoice.record' },
  'POST /api/v1/settlement/statements/:id/payments': { need: 'settlement.payments', action: 'settlement.payment.record' },

  'GET /api/v1/settlement/dashboard': { need: 'settlement.read' },
};
