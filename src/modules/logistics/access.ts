import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the logistics module and what they need (merged into the single table in src/http/access.ts). */
export const LOGISTICS_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/shipments/ready': { need: 'production.report' },
  'POST /api/v1/shipments': { need: 'production.report', action: 'shipment.create' },
  'GET /api/v1/shipments': { need: 'card.read' },
  'GET /api/v1/shipments/:id': { need: 'card.read' },
  'GET /api/v1/shipments/:id/manifest.csv': { need: 'card.read' },
  'GET /api/v1/shipments/:id/handover.pdf': { need: 'card.read' },
  'POST /api/v1/shipments/:id/scans': { need: 'card.receive', action: 'shipment.scan' },
  'POST /api/v1/shipments/:id/scans/bulk': { need: 'card.receive', action: 'shipment.scan.bulk' },
  'PATCH /api/v1/shipments/:id/scans/:scanId': { need: 'card.receive', action: 'shipment.scan.update' },
  'POST /api/v1/shipments/:id/confirm': { need: 'card.receive', action: 'shipment.confirm' },
  'GET /api/v1/discrepancies': { need: 'card.read' },
  'POST /api/v1/discrepancies/:id/answer': { need: 'production.report', action: 'discrepancy.answer' },
  // Finding a holder's card by ID number or application number links a person to a card: audited.
  'GET /api/v1/cards/waiting': { need: 'card.issue' },
  'GET /api/v1/cards/find': { need: 'card.issue', action: 'card.find', auditRead: true },
  'POST /api/v1/cards/find': { need: 'card.issue', action: 'card.find' },
  'GET /api/v1/cards/:id': { need: 'card.read' },
  'POST /api/v1/cards/:id/issue': { need: 'card.issue', action: 'card.issue' },
  'POST /api/v1/cards/:id/activate': { need: 'card.issue', action: 'card.activate' },
  'POST /api/v1/cards/:id/loss': { need: 'card.loss', action: 'card.loss.report' },
  'POST /api/v1/cards/:id/lift-loss': { need: 'card.loss', action: 'card.loss.lift' },
  'POST /api/v1/applications/:id/issue-prefabricated': { need: 'card.issue', action: 'card.issue.prefabricated' },
};
