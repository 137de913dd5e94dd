import { AppError } from '../../platform/errors/app-error.ts';

/**
 * The SMS message state machine. HELD and BLOCKED are set at enqueue (sensitive words, opt-out list);
 * a message leaves QUEUED only through the dispatcher, and SUBMITTED only through receipts or the
 * end of its validity period.
 */

export const SMS_STATUSES = ['QUEUED', 'SUBMITTED', 'DELIVERED', 'FAILED', 'EXPIRED', 'HELD', 'BLOCKED'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

export const SMS_CATEGORIES = ['NOTIFICATION', 'MARKETING'] as const;
export type SmsCategory = (typeof SMS_CATEGORIES)[number];

export const SMS_EVENTS = ['ACCEPT', 'REFUSE', 'BLOCK', 'VALIDITY_END', 'RECEIPT_DELIVERED', 'RECEIPT_FAILED', 'RECEIPT_EXPIRED', 'RELEASE', 'REJECT'] as const;
export type SmsEvent = (typeof SMS_EVENTS)[number];

/**
 * NOT_SENT and REFUSED: nothing went out, a resend is safe. UNKNOWN: written, never answered.
 * ABANDONED: an UNKNOWN or unfinished attempt whose reconcile window passed without any evidence that
 * the SMSC took it; only then may the message go out again.
 */
export const ATTEMPT_OUTCOMES = ['ACCEPTED', 'NOT_SENT', 'REFUSED', 'UNKNOWN', 'ABANDONED'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export type BlockSource = 'REPLY' | 'MANUAL';

export const SMS_TRANSITIONS: Record<SmsEvent, { from: readonly SmsStatus[]; to: SmsStatus }> = {
  ACCEPT: { from: ['QUEUED'], to: 'SUBMITTED' },
  // A permanent refusal, or temporary ones until the retries run out.
  REFUSE: { from: ['QUEUED'], to: 'FAILED' },
  // The number opted out after the message was queued.
  BLOCK: { from: ['QUEUED'], to: 'BLOCKED' },
  // Never handed over in time, or handed over and no receipt came within the validity period.
  VALIDITY_END: { from: ['QUEUED', 'SUBMITTED'], to: 'EXPIRED' },
  // The handset got it after we stopped waiting: the receipt is the truth.
  RECEIPT_DELIVERED: { from: ['SUBMITTED', 'EXPIRED'], to: 'DELIVERED' },
  RECEIPT_FAILED: { from: ['SUBMITTED', 'EXPIRED'], to: 'FAILED' },
  RECEIPT_EXPIRED: { from: ['SUBMITTED'], to: 'EXPIRED' },
  // Sensitive-word review: released to the queue or rejected.
  RELEASE: { from: ['HELD'], to: 'QUEUED' },
  REJECT: { from: ['HELD'], to: 'FAILED' },
};

export function isSmsStatus(value: string): value is SmsStatus {
  return (SMS_STATUSES as readonly string[]).includes(value);
}

/** The status after `event`, or SMS_STATE_INVALID when the message's status does not allow it. */
export function nextSmsStatus(current: SmsStatus, event: SmsEvent): SmsStatus {
  const rule = SMS_TRANSITIONS[event];
  if (!rule.from.includes(current)) throw new AppError('SMS_STATE_INVALID', { params: { from: current, event } });
  return rule.to;
}

/** Whether a message in `status` has its finished time set (the schema checks the same). */
export function isFinished(status: SmsStatus): boolean {
  return status === 'DELIVERED' || status === 'FAILED' || status === 'EXPIRED' || status === 'BLOCKED';
}
