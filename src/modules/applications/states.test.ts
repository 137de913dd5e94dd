import { describe, expect, it } from 'vitest';
import { APPLICATION_STATUSES } from './schema.ts';
import { initialStatus, isOpen, nextStatus, readyForProduction, TRANSITIONS } from './states.ts';

describe('application states', () => {
  it('every status has a row in the table', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...APPLICATION_STATUSES].sort());
  });
  it('SUBMITTED is approved or rejected', () => {
    expect(nextStatus('SUBMITTED', 'APPROVE')).toBe('APPROVED');
    expect(nextStatus('SUBMITTED', 'REJECT')).toBe('REJECTED');
  });
  it.each(['REJECTED', 'BANK_REJECTED', 'ENDORSED', 'ISSUED', 'CANCELLED'] as const)('%s is final', (s) => {
    expect(Object.keys(TRANSITIONS[s])).toEqual([]);
  });
  it('a decided application cannot be decided again', () => {
    expect(nextStatus('APPROVED', 'APPROVE')).toBeNull();
    expect(nextStatus('APPROVED', 'REJECT')).toBeNull();
  });
  it('bank matching comes after approval and before production', () => {
    expect(nextStatus('APPROVED', 'BANK_MATCH')).toBe('MATCHED');
    expect(nextStatus('SUBMITTED', 'BANK_MATCH')).toBeNull();
    expect(nextStatus('MATCHED', 'START_PRODUCTION')).toBe('IN_PRODUCTION');
  });
  it('only approved permits and matched social security cards wait for a batch', () => {
    expect(readyForProduction('RESIDENCE_PERMIT', 'NEW', 'APPROVED')).toBe(true);
    expect(readyForProduction('SOCIAL_SECURITY_CARD', 'NEW', 'APPROVED')).toBe(false);
    expect(readyForProduction('SOCIAL_SECURITY_CARD', 'NEW', 'MATCHED')).toBe(true);
    expect(readyForProduction('SOCIAL_SECURITY_CARD', 'PREFABRICATED', 'MATCHED')).toBe(false);
    expect(readyForProduction('RESIDENCE_PERMIT', 'ENDORSEMENT', 'ENDORSED')).toBe(false);
  });
  it('an authority-caused waste sends the application back to review', () => {
    expect(nextStatus('IN_PRODUCTION', 'RETURN_TO_REVIEW')).toBe('SUBMITTED');
  });
  it('an endorsement is completed at the counter', () => {
    expect(initialStatus('ENDORSEMENT')).toBe('ENDORSED');
    expect(initialStatus('NEW')).toBe('SUBMITTED');
  });
  it('open means not yet finished one way or the other', () => {
    expect(APPLICATION_STATUSES.filter(isOpen)).toEqual(['SUBMITTED', 'APPROVED', 'MATCHED', 'IN_PRODUCTION', 'READY']);
  });
});
