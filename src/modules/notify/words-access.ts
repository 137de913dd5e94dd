import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the sensitive-word lists and held-message review (merged into src/http/access.ts). */
export const SMS_WORDS_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/sms/holds': { need: 'sms.read' },
  'GET /api/v1/sms/holds/stats': { need: 'sms.read' },
  'POST /api/v1/sms/messages/:id/release': { need: 'sms.manage', action: 'sms.hold.release' },
  'POST /api/v1/sms/messages/:id/reject': { need: 'sms.manage', action: 'sms.hold.reject' },
  'GET /api/v1/sms/word-lists': { need: 'sms.read' },
  'POST /api/v1/sms/word-lists': { need: 'sms.manage', action: 'sms.wordlist.create' },
  'GET /api/v1/sms/word-lists/:version': { need: 'sms.read' },
};
