import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the maintenance module and what they need (merged into the single table in src/http/access.ts). */
export const MAINTENANCE_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/maintenance/zone-tables': { need: 'maintenance.read' },
  'POST /api/v1/maintenance/zone-tables': { need: 'maintenance.manage', action: 'maintenance.zone-table.create' },
  'GET /api/v1/maintenance/contracts': { need: 'maintenance.read' },
  'POST /api/v1/maintenance/contracts': { need: 'maintenance.manage', action: 'maintenance.contract.create' },
  'GET /api/v1/maintenance/sites': { need: 'maintenance.read' },
  'PUT /api/v1/maintenance/sites/:id': { need: 'maintenance.manage', action: 'maintenance.site.set' },
  'GET /api/v1/maintenance/sites/:id/software': { need: 'maintenance.read' },
  'PUT /api/v1/maintenance/sites/:id/software': { need: 'asset.manage', action: 'maintenance.software.set' },

  'GET /api/v1/maintenance/assets': { need: 'maintenance.read' },
  'GET /api/v1/maintenance/assets/ledger': { need: 'maintenance.read' },
  'GET /api/v1/maintenance/assets/:id/history': { need: 'maintenance.read' },
  'POST /api/v1/maintenance/assets': { need: 'asset.manage', action: 'asset.create' },
  'PATCH /api/v1/maintenance/assets/:id': { need: 'asset.manage', action: 'asset.update' },
  'POST /api/v1/maintenance/assets/import': { need: 'asset.manage', action: 'asset.import' },

  'GET /api/v1/maintenance/tickets': { need: 'maintenance.read' },
  'GET /api/v1/maintenance/tickets/:id': { need: 'maintenance.read' },
  'POST /api/v1/maintenance/tickets': { need: 'ticket.open', action: 'ticket.open' },
  'POST /api/v1/maintenance/tickets/:id/acknowledge': { need: 'ticket.work', action: 'ticket.acknowledge' },
  'POST /api/v1/maintenance/tickets/:id/arrive': { need: 'ticket.work', action: 'ticket.arrive' },
  'POST /api/v1/maintenance/tickets/:id/wait': { need: 'ticket.work', action: 'ticket.wait' },
  'POST /api/v1/maintenance/tickets/:id/resume': { need: 'ticket.work', action: 'ticket.resume' },
  'POST /api/v1/maintenance/tickets/:id/resolve': { need: 'ticket.work', action: 'ticket.resolve' },
  'POST /api/v1/maintenance/tickets/:id/close': { need: 'ticket.open', action: 'ticket.close' },
  'POST /api/v1/maintenance/tickets/:id/reopen': { need: 'ticket.open', action: 'ticket.reopen' },

  'GET /api/v1/maintenance/breaches': { need: 'maintenance.read' },

  'GET /api/v1/maintenance/visits': { need: 'maintenance.read' },
  'GET /api/v1/maintenance/visits/summary': { need: 'maintenance.read' },
  'POST /api/v1/maintenance/visits/plan': { need: 'maintenance.read', action: 'maintenance.visit.plan' },
  'POST /api/v1/maintenance/visits': { need: 'maintenance.read', action: 'maintenance.visit.create' },
  'GET /api/v1/maintenance/visits/:id': { need: 'maintenance.read' },
  'PUT /api/v1/maintenance/visits/:id/answers': { need: 'ticket.work', action: 'maintenance.visit.answer' },
  'POST /api/v1/maintenance/visits/:id/sign': { need: 'ticket.work', action: 'maintenance.visit.sign' },
  'GET /api/v1/maintenance/visits/:id/form.pdf': { need: 'maintenance.read', action: 'maintenance.visit.form', auditRead: true },
};
