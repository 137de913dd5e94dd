import { describe, expect, it } from 'vitest';
import { codeOf, itFollowsTransitionTable } from '../../../test/helpers/state-machine.ts';
import { isFinished, nextSmsStatus, SMS_EVENTS, SMS_STATUSES, type SmsEvent, type SmsStatus } from './states.ts';

const ALLOWED: [SmsStatus, SmsEvent, SmsStatus][] = [
  ['QUEUED', 'ACCEPT', 'SUBMITTED'],
  ['QUEUED', 'REFUSE', 'FAILED'],
  ['QUEUED', 'BLOCK', 'BLOCKED'],
  ['QUEUED', 'VALIDITY_END', 'EXPIRED'],
  ['SUBMITTED', 'VALIDITY_END', 'EXPIRED'],
  ['SUBMITTED', 'RECEIPT_DELIVERED', 'DELIVERED'],
  ['SUBMITTED', 'RECEIPT_FAILED', 'FAILED'],
  ['SUBMITTED', 'RECEIPT_EXPIRED', 'EXPIRED'],
  ['EXPIRED', 'RECEIPT_DELIVERED', 'DELIVERED'],
  ['EXPIRED', 'RECEIPT_FAILED', 'FAILED'],
  ['HELD', 'RELEASE', 'QUEUED'],
  ['HELD', 'REJECT', 'FAILED'],
];

describe('SMS message transitions', () => {
  itFollowsTransitionTable({ states: SMS_STATUSES, events: SMS_EVENTS, allowed: ALLOWED, next: nextSmsStatus, refusedCode: 'SMS_STATE_INVALID' });

  it('never leaves DELIVERED, FAILED or BLOCKED', () => {
    for (const from of ['DELIVERED', 'FAILED', 'BLOCKED'] as const) {
      for (const event of SMS_EVENTS) expect(codeOf(() => nextSmsStatus(from, event))).toBe('SMS_STATE_INVALID');
    }
  });

  it('marks the finished states the schema requires a finished time for', () => {
    expect(SMS_STATUSES.filter(isFinished)).toEqual(['DELIVERED', 'FAILED', 'EXPIRED', 'BLOCKED']);
  });
});
