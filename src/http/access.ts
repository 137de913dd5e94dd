import type { RouteAccess } from './access-types.ts';
import { CARD_ACCESS } from '../modules/cards/access.ts';
import { PRODUCTION_ACCESS } from '../modules/production/access.ts';
import { LOGISTICS_ACCESS } from '../modules/logistics/access.ts';
import { REPORT_ACCESS } from '../modules/reports/access.ts';
import { MAINTENANCE_ACCESS } from '../modules/maintenance/access.ts';
import { SMS_SEND_ACCESS } from '../modules/notify/send-access.ts';
import { SMS_ACCESS } from '../modules/notify/access.ts';
import { SMS_STATEMENT_ACCESS } from '../modules/notify/statements-access.ts';
import { SMS_WORDS_ACCESS } from '../modules/notify/words-access.ts';
import { SMS_DUTIES_ACCESS } from '../modules/notify/provider-duties-access.ts';
import { OPS_ACCESS } from '../modules/ops/access.ts';
import { SETTLEMENT_ACCESS } from '../modules/settlement/access.ts';
import { SETTLEMENT_EXPORT_ACCESS } from '../modules/settlement/export-access.ts';

export type { Requirement, RouteAccess } from './access-types.ts';

/**
 * Every API route and what it needs: the single place to read who may do what. The server refuses
 * to start if a route under /api is missing here, and the role × route test walks this table.
 */
export const ACCESS: Record<string, RouteAccess> = {
  'POST /api/v1/auth/login': { need: 'public', action: 'auth.login' },
  'POST /api/v1/auth/logout': { need: 'authenticated', action: 'auth.logout' },
  'GET /api/v1/auth/me': { need: 'authenticated' },
  'POST /api/v1/auth/password': { need: 'authenticated', action: 'auth.password.change' },
  'GET /api/v1/roles': { need: 'authenticated' },

  'GET /api/v1/orgs': { need: 'org.read' },
  'GET /api/v1/orgs/:id': { need: 'org.read' },
  'POST /api/v1/orgs': { need: 'org.manage', action: 'org.create' },
  'PATCH /api/v1/orgs/:id': { need: 'org.manage', action: 'org.update' },

  'GET /api/v1/users': { need: 'user.read' },
  'GET /api/v1/users/:id': { need: 'user.read' },
  'POST /api/v1/users': { need: 'user.manage', action: 'user.create' },
  'PATCH /api/v1/users/:id': { need: 'user.manage', action: 'user.update' },
  'POST /api/v1/users/:id/reset-password': { need: 'user.manage', action: 'user.password.reset' },

  'POST /api/v1/validate': { need: 'authenticated' },

  'POST /api/v1/pii/unmask': { need: 'pii.unmask', action: 'pii.unmask' },

  'GET /api/v1/api-keys': { need: 'apikey.manage' },
  'POST /api/v1/api-keys': { need: 'apikey.manage', action: 'apikey.create' },
  'POST /api/v1/api-keys/:id/revoke': { need: 'apikey.manage', action: 'apikey.revoke' },

  'GET /api/v1/audit': { need: 'audit.read' },
  'POST /api/v1/audit/verify': { need: 'audit.read', action: 'audit.verify' },

  'GET /api/v1/programmes': { need: 'programme.read' },
  'GET /api/v1/programmes/:id': { need: 'programme.read' },
  'POST /api/v1/programmes': { need: 'programme.manage', action: 'programme.create' },
  'PATCH /api/v1/programmes/:id': { need: 'programme.manage', action: 'programme.update' },

  // Holders look up their own progress; no change, so no audit entry (rate limited per address instead).
  // Limited per address by its own, stricter window (CARDFLOW_TRACK_IP_LIMIT), not by the general one as well.
  'POST /api/v1/public/track': { need: 'public', unmetered: true },
  'GET /api/v1/applications': { need: 'application.read' },
  'GET /api/v1/applications/:id': { need: 'application.read' },
  'GET /api/v1/applications/:id/photo': { need: 'application.read', action: 'application.photo.view', auditRead: true },
  'POST /api/v1/applications': { need: 'application.create', action: 'application.create' },
  'POST /api/v1/applications/import': { need: 'application.create', action: 'application.import' },
  'GET /api/v1/import-reports/:id': { need: 'application.create' },
  'GET /api/v1/review-queue': { need: 'application.review' },
  'POST /api/v1/applications/:id/approve': { need: 'application.review', action: 'application.approve' },
  'POST /api/v1/applications/approve': { need: 'application.review', action: 'application.approve.bulk' },
  'POST /api/v1/applications/:id/reject': { need: 'application.review', action: 'application.reject' },
  'GET /api/v1/rejection-reasons': { need: 'application.read' },
  'POST /api/v1/rejection-reasons': { need: 'reason.manage', action: 'reason.create' },
  'PATCH /api/v1/rejection-reasons/:code': { need: 'reason.manage', action: 'reason.update' },

  'GET /api/v1/calendar/years': { need: 'calendar.read' },
  'GET /api/v1/calendar/days': { need: 'calendar.read' },
  'GET /api/v1/calendar/compute': { need: 'calendar.read' },
  'POST /api/v1/calendar/years/:year/publish': { need: 'calendar.manage', action: 'calendar.year.publish' },
  'PUT /api/v1/calendar/days/:date': { need: 'calendar.manage', action: 'calendar.day.set' },
  'DELETE /api/v1/calendar/days/:date': { need: 'calendar.manage', action: 'calendar.day.delete' },
  'POST /api/v1/calendar/import': { need: 'calendar.manage', action: 'calendar.import' },

  ...CARD_ACCESS,
  ...PRODUCTION_ACCESS,
  ...LOGISTICS_ACCESS,
  ...REPORT_ACCESS,
  ...MAINTENANCE_ACCESS,
  ...SMS_SEND_ACCESS,
  ...SMS_ACCESS,
  ...SMS_STATEMENT_ACCESS,
  ...SMS_WORDS_ACCESS,
  ...SMS_DUTIES_ACCESS,
  ...OPS_ACCESS,
  ...SETTLEMENT_ACCESS,
  ...SETTLEMENT_EXPORT_ACCESS,
};

export function accessKey(method: string, url: string): string {
  return `${method.toUpperCase()} ${url}`;
}
