import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
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

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('SMS message transitions', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(nextSmsStatus(from, event)).toBe(to);
  });

  it('refuses every other status and event pair', () => {
    const allowed = new Set(ALLOWED.map(([from, event]) => `${from} ${event}`));
    let refused = 0;
    for (const from of SMS_STATUSES) {
      for (const event of SMS_EVENTS) {
        if (allowed.has(`${from} ${event}`)) continue;
        expect(codeOf(() => nextSmsStatus(from, event)), `${from} ${event}`).toBe('SMS_STATE_INVALID');
        refused++;
      }
    }
    expect(refused).toBe(SMS_STATUSES.length * SMS_EVENTS.length - ALLOWED.length);
  });

  it('never leaves DELIVERED, FAILED or BLOCKED', () => {
    for (const from of ['DELIVERED', 'FAILED', 'BLOCKED'] as const) {
      for (const event of SMS_EVENTS) expect(codeOf(() => nextSmsStatus(from, event))).toBe('SMS_STATE_INVALID');
    }
  });

  it('marks the finished states the schema requires a finished time for', () => {
    expect(SMS_STATUSES.filter(isFinished)).toEqual(['DELIVERED', 'FAILED', 'EXPIRED', 'BLOCKED']);
  });
});
