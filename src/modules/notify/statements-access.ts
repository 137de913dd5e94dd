import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the SMS monthly statement and quarterly failure report; merged into src/http/access.ts. */
export const SMS_STATEMENT_ACCESS: Record<string, RouteAccess> = {
  'GET /api/v1/sms/statements/monthly': { need: 'sms.read' },
  'GET /api/v1/sms/reports/failures': { need: 'sms.read' },
};
