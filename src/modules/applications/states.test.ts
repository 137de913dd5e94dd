import { describe, expect, it } from 'vitest';
import { APPLICATION_STATUSES } from './schema.ts';
import { initialStatus, isOpen, nextStatus, TRANSITIONS } from './states.ts';

describe('application states', () => {
  it('every status has a row in the table', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...APPLICATION_STATUSES].sort());
  });
  it('SUBMITTED is approved or rejected', () => {
    expect(nextStatus('SUBMITTED', 'APPROVE')).toBe('APPROVED');
    expect(nextStatus('SUBMITTED', 'REJECT')).toBe('REJECTED');
  });
  it.each(['APPROVED', 'REJECTED', 'ENDORSED'] as const)('%s is final in this slice', (s) => {
    expect(nextStatus(s, 'APPROVE')).toBeNull();
    expect(nextStatus(s, 'REJECT')).toBeNull();
  });
  it('an endorsement is completed at the counter', () => {
    expect(initialStatus('ENDORSEMENT')).toBe('ENDORSED');
    expect(initialStatus('NEW')).toBe('SUBMITTED');
  });
  it('open means SUBMITTED or APPROVED', () => {
    expect(APPLICATION_STATUSES.filter(isOpen)).toEqual(['SUBMITTED', 'APPROVED']);
  });
});
