import { AppError } from '../../platform/errors/app-error.ts';
import { addWorkingMinutes, workingMinutesBetween, type Segment, type WorkingCalendar } from '../calendar/rules.ts';
import type { TicketStatus } from './states.ts';
import type { Zone } from './zones.ts';

/**
 * SLA clocks of a fault ticket (issue item 4, reference sla-calendar-maintenance.md). Pure: the caller
 * hands in the working calendar, the ticket's policy snapshot and its status history.
 *
 * Time used is always re-derived from the status history (Zammad's way): WAITING intervals are read
 * back from the events, never accumulated in a counter that a policy change could lose (GLPI #15605).
 * A breach compares elapsed working time with the allowance, so the convention for a deadline that
 * lands exactly on closing time does not matter.
 */

/** WORKING: outlet opening hours on the working calendar (seed 001). ROUND_THE_CLOCK: 7×24 clock hours (seed 002). */
export const SLA_CLOCKS = ['WORKING', 'ROUND_THE_CLOCK'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];

/** What stops the response clock: acknowledging the fault (seed 001 响应) or arriving on site (seed 002 到达现场). */
export const RESPONSE_TARGETS = ['ACKNOWLEDGED', 'ON_SITE'] as const;
export type ResponseTarget = (typeof RESPONSE_TARGETS)[number];

/** The allowances of a contract, per zone; fix allowances are optional (seed 001 sets none). */
export interface SlaPolicy {
  clock: SlaClock;
  responseTarget: ResponseTarget;
  responseMinutes: Record<Zone, number>;
  fixMinutes: Record<Zone, number> | null;
  warnPercent: number;
}

/** What a ticket keeps from its contract when it is opened, so later contract edits do not move old deadlines. */
export interface TicketSla {
  clock: SlaClock;
  responseTarget: ResponseTarget;
  responseMinutes: number;
  fixMinutes: number | null;
  warnPercent: number;
  /** The outlet's opening hours; unused by a round-the-clock policy. */
  segments: Segment[];
}

export interface StatusEvent {
  status: TicketStatus;
  at: Date;
}

export type ClockKind = 'RESPONSE' | 'FIX';
export type ClockState = 'RUNNING' | 'WARNING' | 'PAUSED' | 'MET' | 'BREACHED';

export interface ClockView {
  kind: ClockKind;
  allowedMinutes: number;
  /** Fractional: instants carry seconds, and the breach test must be exact. */
  usedMinutes: number;
  leftMinutes: number;
  percent: number;
  /** When the allowance runs out; null while paused (it moves) or when the calendar cannot tell. */
  deadline: Date | null;
  /** When the clock's goal was reached (acknowledged / on site, resolved), or null while it runs. */
  stoppedAt: Date | null;
  paused: boolean;
  breached: boolean;
  state: ClockState;
  /** CALENDAR_YEAR_UNPUBLISHED and similar: the deadline could not be computed (fail closed). */
  deadlineError: { code: string; params: Record<string, string | number> } | null;
}

interface Interval {
  from: number;
  to: number;
}

const MS_PER_MINUTE = 60_000;

/** The allowance of a zone under a policy, as the ticket snapshot stores it. */
export function ticketSlaFor(policy: SlaPolicy, zone: Zone, segments: Segment[]): TicketSla {
  return {
    clock: policy.clock,
    responseTarget: policy.responseTarget,
    responseMinutes: policy.responseMinutes[zone],
    fixMinutes: policy.fixMinutes ? policy.fixMinutes[zone] : null,
    warnPercent: policy.warnPercent,
    segments,
  };
}

/** Checks a policy's numbers; answers every problem found. */
export function policyProblems(policy: SlaPolicy): string[] {
  const problems: string[] = [];
  const minutes = (label: string, value: number) => {
    if (!Number.isInteger(value) || value < 1 || value > 60 * 24 * 90) problems.push(`${label} must be a whole number of minutes from 1 to 129600`);
  };
  minutes('urban response', policy.responseMinutes.URBAN);
  minutes('suburban response', policy.responseMinutes.SUBURBAN);
  if (policy.fixMinutes) {
    minutes('urban fix', policy.fixMinutes.URBAN);
    minutes('suburban fix', policy.fixMinutes.SUBURBAN);
    if (policy.fixMinutes.URBAN < policy.responseMinutes.URBAN || policy.fixMinutes.SUBURBAN < policy.responseMinutes.SUBURBAN) {
      problems.push('a fix allowance cannot be shorter than the response allowance');
    }
  }
  if (!Number.isInteger(policy.warnPercent) || policy.warnPercent < 1 || policy.warnPercent > 99) problems.push('the warning threshold must be a percentage from 1 to 99');
  return problems;
}

/** Measures and extends time the way the policy counts it. */
interface Meter {
  between(from: number, to: number): number;
  add(from: number, minutes: number): number;
}

function meterFor(cal: WorkingCalendar, sla: TicketSla): Meter {
  if (sla.clock === 'ROUND_THE_CLOCK') {
    return { between: (from, to) => Math.max(0, to - from) / MS_PER_MINUTE, add: (from, minutes) => from + Math.round(minutes * MS_PER_MINUTE) };
  }
  return {
    between: (from, to) => workingMinutesBetween(cal, new Date(from), new Date(to), sla.segments),
    add: (from, minutes) => addWorkingMinutes(cal, new Date(from), minutes, sla.segments).getTime(),
  };
}

/** The deadline of a clock that has been running without pause since `openedAt`: what a ticket shows when it is opened. */
export function deadlineFrom(cal: WorkingCalendar, sla: TicketSla, openedAt: Date, minutes: number): Date {
  return new Date(meterFor(cal, sla).add(openedAt.getTime(), minutes));
}

const RESPONSE_REACHED: Record<ResponseTarget, readonly TicketStatus[]> = {
  ACKNOWLEDGED: ['ACKNOWLEDGED', 'ON_SITE', 'WAITING', 'RESOLVED', 'CLOSED'],
  ON_SITE: ['ON_SITE', 'RESOLVED', 'CLOSED'],
};

/**
 * The status history must start with NEW and run forward in time; the event store guarantees it, and a
 * history that does not would produce nonsense clocks, so it is refused here too.
 */
function checkHistory(events: readonly StatusEvent[]): void {
  if (events[0]?.status !== 'NEW') throw new AppError('VALIDATION_FAILED', { params: { reason: 'a ticket history starts with NEW' } });
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.at.getTime() < events[i - 1]!.at.getTime()) {
      throw new AppError('TICKET_EVENT_OUT_OF_ORDER', { params: { at: events[i]!.at.toISOString(), last: events[i - 1]!.at.toISOString() } });
    }
  }
}

/** When the clock's goal was reached, or null. */
function stopInstant(kind: ClockKind, target: ResponseTarget, events: readonly StatusEvent[]): number | null {
  if (kind === 'RESPONSE') {
    const reached = events.find((e) => RESPONSE_REACHED[target].includes(e.status));
    return reached ? reached.at.getTime() : null;
  }
  // A reopened ticket was never fixed: only a resolution that still stands stops the fix clock.
  const last = events[events.length - 1]!;
  if (last.status !== 'RESOLVED' && last.status !== 'CLOSED') return null;
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.status === 'RESOLVED') return events[i]!.at.getTime();
  return null;
}

/** [opened, end) without the WAITING intervals of the history. */
function activeIntervals(events: readonly StatusEvent[], end: number): Interval[] {
  const out: Interval[] = [];
  let runningSince: number | null = null;
  for (const e of events) {
    const at = Math.min(e.at.getTime(), end);
    if (e.status === 'WAITING') {
      if (runningSince !== null && at > runningSince) out.push({ from: runningSince, to: at });
      runningSince = null;
    } else if (runningSince === null) {
      runningSince = at;
    }
  }
  if (runningSince !== null && end > runningSince) out.push({ from: runningSince, to: end });
  return out;
}

function appErrorInfo(error: unknown): { code: string; params: Record<string, string | number> } {
  if (error instanceof AppError) return { code: error.code, params: error.params };
  throw error;
}

/**
 * One clock of a ticket at `now`: time used, left, the deadline and its state. Throws (fail closed)
 * when the elapsed time itself touches an unpublished year; a deadline that does is reported in
 * deadlineError with the time used still known.
 */
export function clockAt(cal: WorkingCalendar, sla: TicketSla, kind: ClockKind, events: readonly StatusEvent[], now: Date): ClockView | null {
  const allowed = kind === 'RESPONSE' ? sla.responseMinutes : sla.fixMinutes;
  if (allowed === null) return null;
  checkHistory(events);
  const meter = meterFor(cal, sla);
  const stop = stopInstant(kind, sla.responseTarget, events);
  const end = stop ?? Math.max(now.getTime(), events[events.length - 1]!.at.getTime());
  const paused = stop === null && events[events.length - 1]!.status === 'WAITING';
  const active = activeIntervals(events, end);

  let used = 0;
  let deadline: number | null = null;
  for (const interval of active) {
    const minutes = meter.between(interval.from, interval.to);
    if (deadline === null && used + minutes >= allowed) deadline = meter.add(interval.from, allowed - used);
    used += minutes;
  }

  let deadlineError: ClockView['deadlineError'] = null;
  if (deadline === null && !paused) {
    try {
      deadline = meter.add(end, allowed - used);
    } catch (error) {
      deadlineError = appErrorInfo(error);
    }
  }

  const breached = used > allowed;
  const percent = Math.floor((used * 100) / allowed);
  let state: ClockState;
  if (breached) state = 'BREACHED';
  else if (stop !== null) state = 'MET';
  else if (paused) state = 'PAUSED';
  else state = percent >= sla.warnPercent ? 'WARNING' : 'RUNNING';
  return {
    kind,
    allowedMinutes: allowed,
    usedMinutes: used,
    leftMinutes: allowed - used,
    percent,
    deadline: deadline === null ? null : new Date(deadline),
    stoppedAt: stop === null ? null : new Date(stop),
    paused,
    breached,
    state,
    deadlineError,
  };
}

export interface TicketClocks {
  response: ClockView;
  fix: ClockView | null;
}

export function ticketClocks(cal: WorkingCalendar, sla: TicketSla, events: readonly StatusEvent[], now: Date): TicketClocks {
  return { response: clockAt(cal, sla, 'RESPONSE', events, now)!, fix: clockAt(cal, sla, 'FIX', events, now) };
}

export const BREACH_KINDS = ['LATE_RESPONSE', 'LATE_FIX', 'MISSED_VISIT', 'LATE_REPORT'] as const;
export type BreachKind = (typeof BREACH_KINDS)[number];

export interface DetectedBreach {
  kind: BreachKind;
  /** When the allowance ran out: the moment the breach happened. */
  occurredAt: Date | null;
  allowedMinutes: number;
  usedMinutes: number;
  stoppedAt: Date | null;
}

/** Late response and late fix of one ticket: the clocks whose elapsed time exceeds their allowance. */
export function ticketBreaches(clocks: TicketClocks): DetectedBreach[] {
  const out: DetectedBreach[] = [];
  const pairs: [BreachKind, ClockView | null][] = [
    ['LATE_RESPONSE', clocks.response],
    ['LATE_FIX', clocks.fix],
  ];
  for (const [kind, clock] of pairs) {
    if (clock?.breached) {
      out.push({ kind, occurredAt: clock.deadline, allowedMinutes: clock.allowedMinutes, usedMinutes: clock.usedMinutes, stoppedAt: clock.stoppedAt });
    }
  }
  return out;
}

/**
 * Where a contract stands against its termination threshold (seed 001: 5 breaches in the term give the
 * client the right to terminate). APPROACHING from one breach before the threshold.
 */
export function breachStanding(count: number, threshold: number | null): 'OK' | 'APPROACHING' | 'REACHED' {
  if (threshold === null) return 'OK';
  if (count >= threshold) return 'REACHED';
  return count >= threshold - 1 ? 'APPROACHING' : 'OK';
}
