import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { checkEventInstant, nextStatus, TICKET_ACTIONS, TICKET_STATUSES, TRANSITIONS, type TicketAction, type TicketStatus } from './states.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'no error';
}

const ALLOWED: [TicketStatus, TicketAction, TicketStatus][] = [
  ['NEW', 'ACKNOWLEDGE', 'ACKNOWLEDGED'],
  ['ACKNOWLEDGED', 'ARRIVE', 'ON_SITE'],
  ['ACKNOWLEDGED', 'WAIT', 'WAITING'],
  ['ACKNOWLEDGED', 'RESOLVE', 'RESOLVED'],
  ['ON_SITE', 'WAIT', 'WAITING'],
  ['ON_SITE', 'RESOLVE', 'RESOLVED'],
  ['WAITING', 'RESUME', 'ON_SITE'],
  ['RESOLVED', 'CLOSE', 'CLOSED'],
  ['RESOLVED', 'REOPEN', 'ON_SITE'],
];

describe('ticket transitions', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it('refuses every other status and action pair', () => {
    const allowed = new Set(ALLOWED.map(([from, action]) => `${from} ${action}`));
    let refused = 0;
    for (const from of TICKET_STATUSES) {
      for (const action of TICKET_ACTIONS) {
        if (allowed.has(`${from} ${action}`)) continue;
        expect(codeOf(() => nextStatus(from, action)), `${from} ${action}`).toBe('TICKET_STATE_INVALID');
        refused++;
      }
    }
    expect(refused).toBe(TICKET_STATUSES.length * TICKET_ACTIONS.length - ALLOWED.length);
  });

  it('a closed ticket accepts nothing, and NEW can only be acknowledged', () => {
    for (const action of TICKET_ACTIONS) expect(codeOf(() => nextStatus('CLOSED', action))).toBe('TICKET_STATE_INVALID');
    expect(TICKET_ACTIONS.filter((a) => TRANSITIONS[a].from.includes('NEW'))).toEqual(['ACKNOWLEDGE']);
  });

  it('only the reporting side closes or reopens; the engineer does the rest', () => {
    expect(TICKET_ACTIONS.filter((a) => TRANSITIONS[a].side === 'REPORTER')).toEqual(['CLOSE', 'REOPEN']);
  });
});

describe('event instants', () => {
  const opened = new Date('2025-09-29T01:00:00Z');
  const now = new Date('2025-09-29T03:00:00Z');

  it('accepts an instant at or after the last event and not after now', () => {
    expect(() => checkEventInstant(opened, opened, now)).not.toThrow();
    expect(() => checkEventInstant(now, opened, now)).not.toThrow();
  });

  it('refuses an acknowledgement before the ticket was opened', () => {
    expect(codeOf(() => checkEventInstant(new Date('2025-09-29T00:59:59Z'), opened, now))).toBe('TICKET_EVENT_OUT_OF_ORDER');
  });

  it('refuses an instant in the future and an invalid one', () => {
    expect(codeOf(() => checkEventInstant(new Date('2025-09-29T03:00:01Z'), opened, now))).toBe('TICKET_EVENT_IN_FUTURE');
    expect(codeOf(() => checkEventInstant(new Date('nonsense'), opened, now))).toBe('VALIDATION_FAILED');
  });
});
