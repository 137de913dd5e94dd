import { ensureRootOrg } from '../../src/modules/orgs/service.ts';
import type { EnqueueItem } from '../../src/modules/notify/outbox.ts';
import type { TestContext } from '../helpers/context.ts';

/** The root organisation as sender: every message needs one, and these tests are not about scope. */
export async function senderOrg(ctx: TestContext): Promise<string> {
  return (await ensureRootOrg(ctx)).id;
}

let counter = 0;

/** A card-ready notice to `phone` with a unique idempotency key unless one is given. */
export function notice(senderOrgId: string, phone: string, extra: Partial<EnqueueItem> = {}): EnqueueItem {
  counter++;
  return {
    phone,
    text: '【常州公安】您的居住证已制作完成，请到受理点领取。',
    templateId: null,
    senderOrgId,
    category: 'NOTIFICATION',
    idempotencyKey: `test:${process.pid}:${counter}`,
    quietHoursExempt: true,
    ...extra,
  };
}

/** Distinct valid mobile numbers: 139 followed by eight digits of `n`. */
export function mobile(n: number): string {
  return `139${String(n).padStart(8, '0')}`;
}
