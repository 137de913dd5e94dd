import type { RouteAccess } from '../../http/access-types.ts';

/** Routes for SMS templates and sending (merged into the single table in src/http/access.ts). */
export const SMS_SEND_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/sms/signatures': { need: 'sms.read' },
  'POST /api/v1/sms/signatures': { need: 'sms.template.manage', action: 'sms.signature.create' },

  'GET /api/v1/sms/templates': { need: 'sms.read' },
  'GET /api/v1/sms/templates/:id': { need: 'sms.read' },
  // A preview stores nothing, so it writes no audit entry.
  'POST /api/v1/sms/templates/preview': { need: 'sms.template.manage' },
  'POST /api/v1/sms/templates': { need: 'sms.template.manage', action: 'sms.template.create' },
  'PUT /api/v1/sms/templates/:id': { need: 'sms.template.manage', action: 'sms.template.update' },
  'POST /api/v1/sms/templates/:id/submit': { need: 'sms.template.manage', action: 'sms.template.submit' },
  'POST /api/v1/sms/templates/:id/approve': { need: 'sms.template.approve', action: 'sms.template.approve' },
  'POST /api/v1/sms/templates/:id/reject': { need: 'sms.template.approve', action: 'sms.template.reject' },

  'POST /api/v1/sms/send': { need: 'sms.send', action: 'sms.send' },
  'POST /api/v1/sms/campaigns/preview': { need: 'sms.send' },
  'POST /api/v1/sms/campaigns': { need: 'sms.send', action: 'sms.campaign.create' },
  'GET /api/v1/sms/campaigns': { need: 'sms.read' },
  'GET /api/v1/sms/campaigns/:id': { need: 'sms.read' },

  'GET /api/v1/sms/quotas': { need: 'sms.manage' },
  'PUT /api/v1/sms/quotas/:id': { need: 'sms.manage', action: 'sms.quota.set' },
};
