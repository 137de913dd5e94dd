import type { RouteAccess } from '../../http/access-types.ts';

/** The statement exports; merged into src/http/access.ts. Each download is audited: the files list card numbers. */
export const SETTLEMENT_EXPORT_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/settlement/statements/:id/export.pdf': { need: 'settlement.read', action: 'settlement.statement.export', auditRead: true },
  'GET /api/v1/settlement/statements/:id/export.xlsx': { need: 'settlement.read', action: 'settlement.statement.export', auditRead: true },
};
