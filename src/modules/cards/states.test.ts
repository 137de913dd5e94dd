import { describe, expect, it } from 'vitest';
import { CARD_STATUSES } from './schema.ts';
import { CARD_TRANSITIONS, ENDED_CARD_STATUSES, isLive, nextCardStatus } from './states.ts';

describe('card state machine', () => {
  it('follows the production → shipment → receipt → issuance path', () => {
    const path = ['PRODUCE', 'SHIP', 'RECEIVE', 'ISSUE'] as const;
    let s: (typeof CARD_STATUSES)[number] | null = 'ORDERED';
    for (const a of path) s = nextCardStatus(s!, a);
    expect(s).toBe('ISSUED');
  });

  it('refuses to skip a step or to leave an ended attempt', () => {
    expect(nextCardStatus('ORDERED', 'SHIP')).toBeNull();
    expect(nextCardStatus('PRODUCED', 'ISSUE')).toBeNull();
    expect(nextCardStatus('ISSUED', 'PRODUCE')).toBeNull();
    for (const ended of ENDED_CARD_STATUSES) expect(Object.keys(CARD_TRANSITIONS[ended])).toEqual([]);
  });

  it('lets a temporary loss be lifted but not a formal one', () => {
    expect(nextCardStatus('LOST_TEMP', 'LIFT_LOSS')).toBe('ISSUED');
    expect(nextCardStatus('LOST_FORMAL', 'LIFT_LOSS')).toBeNull();
  });

  it('has an entry for every status, and only ended attempts are not live', () => {
    expect(Object.keys(CARD_TRANSITIONS).sort()).toEqual([...CARD_STATUSES].sort());
    expect(CARD_STATUSES.filter((s) => !isLive(s)).sort()).toEqual([...ENDED_CARD_STATUSES].sort());
  });
});
