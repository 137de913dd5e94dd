import { AppError } from '../../platform/errors/app-error.ts';

/**
 * The fault ticket state machine (issue item 4). WAITING pauses the SLA clocks; the pause is read back
 * from the event history (sla.ts), so every status change is an appended event and never an edit.
 */

export const TICKET_STATUSES = ['NEW', 'ACKNOWLEDGED', 'ON_SITE', 'WAITING', 'RESOLVED', 'CLOSED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_ACTIONS = ['ACKNOWLEDGE', 'ARRIVE', 'WAIT', 'RESUME', 'RESOLVE', 'CLOSE', 'REOPEN'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** Who may take an action: the maintainer's engineers work a ticket, the outlet that reported it closes or reopens it. */
export type TicketSide = 'ENGINEER' | 'REPORTER';

interface TransitionRule {
  from: readonly TicketStatus[];
  to: TicketStatus;
  side: TicketSide;
}

export const TRANSITIONS: Record<TicketAction, TransitionRule> = {
  ACKNOWLEDGE: { from: ['NEW'], to: 'ACKNOWLEDGED', side: 'ENGINEER' },
  ARRIVE: { from: ['ACKNOWLEDGED'], to: 'ON_SITE', side: 'ENGINEER' },
  // Waiting for parts or for the outlet can start before anyone travels (a part is known to be missing).
  WAIT: { from: ['ACKNOWLEDGED', 'ON_SITE'], to: 'WAITING', side: 'ENGINEER' },
  RESUME: { from: ['WAITING'], to: 'ON_SITE', side: 'ENGINEER' },
  // A fault fixed by telephone is resolved without a visit.
  RESOLVE: { from: ['ACKNOWLEDGED', 'ON_SITE'], to: 'RESOLVED', side: 'ENGINEER' },
  CLOSE: { from: ['RESOLVED'], to: 'CLOSED', side: 'REPORTER' },
  // The outlet finds the fault still there: back to work, and the fix clock keeps running from opening.
  REOPEN: { from: ['RESOLVED'], to: 'ON_SITE', side: 'REPORTER' },
};

export const WAITING_REASONS = ['PARTS', 'CUSTOMER'] as const;
export type WaitingReason = (typeof WAITING_REASONS)[number];

export function isTicketAction(value: string): value is TicketAction {
  return (TICKET_ACTIONS as readonly string[]).includes(value);
}

/** The status after `action`, or TICKET_STATE_INVALID when the ticket's status does not allow it. */
export function nextStatus(current: TicketStatus, action: TicketAction): TicketStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(current)) throw new AppError('TICKET_STATE_INVALID', { params: { from: current, action } });
  return rule.to;
}

/**
 * An event's instant must not precede the ticket's last event (an acknowledgement before the fault was
 * reported would give the maintainer negative response time), nor lie in the future: clocks are derived
 * from these instants, so an out-of-order one would silently rewrite the SLA.
 */
export function checkEventInstant(at: Date, lastEventAt: Date, now: Date): void {
  if (Number.isNaN(at.getTime())) throw new AppError('VALIDATION_FAILED', { params: { reason: 'the event time is not a valid instant' } });
  if (at.getTime() < lastEventAt.getTime()) {
    throw new AppError('TICKET_EVENT_OUT_OF_ORDER', { params: { at: at.toISOString(), last: lastEventAt.toISOString() } });
  }
  if (at.getTime() > now.getTime()) throw new AppError('TICKET_EVENT_IN_FUTURE', { params: { at: at.toISOString() } });
}
