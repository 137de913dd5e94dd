import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the SMS outbox (messages, statistics, block list); merged into src/http/access.ts. */
export const SMS_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/sms/messages': { need: 'sms.read' },
  'GET /api/v1/sms/messages/:id': { need: 'sms.read' },
  'POST /api/v1/sms/messages/:id/in-doubt': { need: 'sms.manage', action: 'sms.in_doubt.decide' },
  'GET /api/v1/sms/stats': { need: 'sms.read' },
  'GET /api/v1/sms/blocklist': { need: 'sms.read' },
  'POST /api/v1/sms/blocklist': { need: 'sms.manage', action: 'sms.blocklist.add' },
  'DELETE /api/v1/sms/blocklist/:id': { need: 'sms.manage', action: 'sms.blocklist.remove' },
  // The HTTP provider's callbacks carry no session or key: the signature is checked by the route.
  'POST /api/v1/sms/http-callbacks': { need: 'public', unmetered: true },
};
