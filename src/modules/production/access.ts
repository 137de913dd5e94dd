import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the production module and what they need (merged into the single table in src/http/access.ts). */
export const PRODUCTION_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/batches': { need: 'batch.read' },
  'POST /api/v1/batches': { need: 'batch.manage', action: 'batch.create' },
  'GET /api/v1/batches/:id': { need: 'batch.read' },
  // Masked names only: no personal data beyond what the batch list shows.
  'GET /api/v1/batches/:id/cards': { need: 'batch.read' },
  'GET /api/v1/production/waiting': { need: 'batch.read' },
  'GET /api/v1/batch-rules': { need: 'batch.manage' },
  'POST /api/v1/batch-rules': { need: 'batch.manage', action: 'batch.rule.create' },
  'PATCH /api/v1/batch-rules/:id': { need: 'batch.manage', action: 'batch.rule.update' },
  'DELETE /api/v1/batch-rules/:id': { need: 'batch.manage', action: 'batch.rule.delete' },
  'GET /api/v1/package-keys': { need: 'package.key.manage' },
  'POST /api/v1/package-keys': { need: 'package.key.manage', action: 'package.key.create' },
  'POST /api/v1/package-keys/:id/retire': { need: 'package.key.manage', action: 'package.key.retire' },
  'GET /api/v1/batches/:id/package-links': { need: 'batch.read' },
  // The batch's producer (production.report) or the authority (batch.manage): checked per batch in the service.
  'POST /api/v1/batches/:id/package-links': { need: 'batch.read', action: 'package.link.create' },
  // The package holds every card's full personal data: each download is audited.
  'GET /api/v1/packages/:token': { need: 'production.report', action: 'package.download', auditRead: true },
};
