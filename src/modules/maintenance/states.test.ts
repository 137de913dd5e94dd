import { describe, expect, it } from 'vitest';
import { codeOf, itFollowsTransitionTable } from '../../../test/helpers/state-machine.ts';
import { checkEventInstant, nextStatus, TICKET_ACTIONS, TICKET_STATUSES, TRANSITIONS, type TicketAction, type TicketStatus } from './states.ts';

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
  itFollowsTransitionTable({ states: TICKET_STATUSES, events: TICKET_ACTIONS, allowed: ALLOWED, next: nextStatus, refusedCode: 'TICKET_STATE_INVALID' });

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
