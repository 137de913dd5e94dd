import type { RouteAccess } from '../../http/access-types.ts';

/**
 * Routes of the SMS provider's duties; merged into src/http/access.ts. The provider's users hold
 * sms.read only, so the routes they write through need sms.read and the service checks that they act
 * for their own provider (and that anyone else is an SMS manager).
 */
export const SMS_DUTIES_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/sms/duties/providers': { need: 'sms.read' },
  'GET /api/v1/sms/duties/usage-lists': { need: 'sms.read' },
  'POST /api/v1/sms/duties/usage-lists': { need: 'sms.read', action: 'sms.usage-list.hand-over' },
  'PUT /api/v1/sms/duties/usage-lists/:id': { need: 'sms.manage', action: 'sms.usage-list.replace' },
  'GET /api/v1/sms/duties/faults': { need: 'sms.read' },
  'GET /api/v1/sms/duties/faults/:id': { need: 'sms.read' },
  'POST /api/v1/sms/duties/faults': { need: 'sms.manage', action: 'sms.fault.report' },
  'POST /api/v1/sms/duties/faults/:id/progress': { need: 'sms.read', action: 'sms.fault.progress' },
  'POST /api/v1/sms/duties/faults/:id/assess': { need: 'sms.manage', action: 'sms.fault.assess' },
};
