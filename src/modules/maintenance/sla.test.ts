import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { buildCalendar, parseSegments } from '../calendar/rules.ts';
import { officialDaysFromChineseDays } from '../calendar/seed-data.ts';
import { formatShanghai, shanghaiInstant } from '../calendar/zone.ts';
import {
  breachStanding,
  clockAt,
  deadlineFrom,
  policyProblems,
  ticketBreaches,
  ticketClocks,
  ticketSlaFor,
  type SlaPolicy,
  type StatusEvent,
} from './sla.ts';
import type { TicketStatus } from './states.ts';

const official = officialDaysFromChineseDays();
const cal = buildCalendar(official.days, official.years);
const OFFICE = parseSegments('09:00-17:00');

/** Seed 001: 2 working hours urban, 3 suburban, no fix allowance, warn at 75 %. */
const SHANGHAI: SlaPolicy = { clock: 'WORKING', responseTarget: 'ACKNOWLEDGED', responseMinutes: { URBAN: 120, SUBURBAN: 180 }, fixMinutes: null, warnPercent: 75 };
/** Seed 002: on site within 2 clock hours, fixed within 4, 7×24. */
const BEIJING: SlaPolicy = { clock: 'ROUND_THE_CLOCK', responseTarget: 'ON_SITE', responseMinutes: { URBAN: 120, SUBURBAN: 120 }, fixMinutes: { URBAN: 240, SUBURBAN: 240 }, warnPercent: 75 };
/** A working-hour contract with a fix allowance, to exercise pauses. */
const WITH_FIX: SlaPolicy = { ...SHANGHAI, fixMinutes: { URBAN: 240, SUBURBAN: 360 } };

const urban = ticketSlaFor(SHANGHAI, 'URBAN', OFFICE);
const suburban = ticketSlaFor(SHANGHAI, 'SUBURBAN', OFFICE);

/** 'YYYY-MM-DD HH:mm[:ss]' read as Shanghai wall-clock time. */
function at(wallClock: string): Date {
  const [date = '', time = ''] = wallClock.split(' ');
  const [h = 0, m = 0, s = 0] = time.split(':').map(Number);
  return new Date(shanghaiInstant(date, h * 60 + m).getTime() + s * 1000);
}

function history(...steps: [TicketStatus, string][]): StatusEvent[] {
  return steps.map(([status, when]) => ({ status, at: at(when) }));
}

function shown(d: Date | null): string | null {
  return d === null ? null : formatShanghai(d);
}

function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('response deadline on the outlet calendar', () => {
  it.each([
    ['2025-09-30 16:00', urban, '2025-10-09 10:00', 'reference: 1 h before National Day, the rest after it'],
    ['2025-09-27 10:00', urban, '2025-09-28 11:00', 'reference: opened on a Saturday, Sunday is a make-up working day'],
    ['2025-09-30 16:00', suburban, '2025-10-09 11:00', 'suburban allowance across the National Day holiday'],
    ['2025-10-10 16:00', suburban, '2025-10-11 11:00', 'runs into the make-up Saturday 2025-10-11'],
    ['2025-09-29 07:30', urban, '2025-09-29 11:00', 'opened before opening time: the clock starts at 09:00'],
    ['2025-09-29 18:00', urban, '2025-09-30 11:00', 'opened after closing: the clock starts at the next opening'],
    ['2025-09-29 15:00', urban, '2025-09-29 17:00', 'an allowance ending at closing time ends at the closing instant'],
    ['2025-12-31 16:00', urban, '2026-01-04 10:00', 'year boundary: New Year holiday, then the make-up Sunday 2026-01-04'],
    ['2026-02-13 16:30', urban, '2026-02-14 10:30', 'Friday before the Spring Festival, make-up Saturday 2026-02-14'],
    ['2026-02-14 16:30', suburban, '2026-02-24 11:30', 'make-up Saturday, then the whole Spring Festival'],
  ])('opened %s → %s (%s)', (opened, sla, expected) => {
    expect(shown(deadlineFrom(cal, sla, at(opened), sla.responseMinutes))).toBe(expected);
    const clock = clockAt(cal, sla, 'RESPONSE', history(['NEW', opened]), at(opened))!;
    expect(shown(clock.deadline)).toBe(expected);
  });

  it('honours a lunch break in the outlet opening hours', () => {
    const lunch = ticketSlaFor(SHANGHAI, 'URBAN', parseSegments('09:00-12:00,13:00-17:00'));
    expect(shown(deadlineFrom(cal, lunch, at('2025-09-29 11:00'), 120))).toBe('2025-09-29 14:00');
  });

  it('fails closed when the allowance runs into a year with no published calendar', () => {
    expect(appErrorOf(() => deadlineFrom(cal, urban, at('2026-12-31 16:00'), 120))).toMatchObject({ code: 'CALENDAR_YEAR_UNPUBLISHED', params: { year: 2027 } });
    const clock = clockAt(cal, urban, 'RESPONSE', history(['NEW', '2026-12-31 16:00']), at('2026-12-31 16:30'))!;
    expect(clock.deadline).toBeNull();
    expect(clock.deadlineError).toEqual({ code: 'CALENDAR_YEAR_UNPUBLISHED', params: { year: 2027 } });
    expect(clock.usedMinutes).toBe(30);
  });

  it('refuses to measure time used inside an unpublished year', () => {
    expect(appErrorOf(() => clockAt(cal, urban, 'RESPONSE', history(['NEW', '2026-12-31 16:00']), at('2027-01-04 10:00'))).code).toBe('CALENDAR_YEAR_UNPUBLISHED');
  });
});

describe('time used, time left and warnings', () => {
  const opened: [TicketStatus, string] = ['NEW', '2025-09-29 09:00'];

  it('counts working minutes only, and warns from the policy threshold', () => {
    const before = clockAt(cal, urban, 'RESPONSE', history(opened), at('2025-09-29 10:29'))!;
    expect(before).toMatchObject({ usedMinutes: 89, leftMinutes: 31, percent: 74, state: 'RUNNING', breached: false });
    const warned = clockAt(cal, urban, 'RESPONSE', history(opened), at('2025-09-29 10:30'))!;
    expect(warned).toMatchObject({ usedMinutes: 90, leftMinutes: 30, percent: 75, state: 'WARNING' });
    expect(shown(warned.deadline)).toBe('2025-09-29 11:00');
  });

  it('does not count the night: opened at 16:30, at 09:15 the next morning 45 minutes are used', () => {
    const clock = clockAt(cal, urban, 'RESPONSE', history(['NEW', '2025-09-29 16:30']), at('2025-09-30 09:15'))!;
    expect(clock.usedMinutes).toBe(45);
    expect(shown(clock.deadline)).toBe('2025-09-30 10:30');
  });

  it('is breached one second after the allowance and names the deadline as the moment', () => {
    const clock = clockAt(cal, urban, 'RESPONSE', history(opened), at('2025-09-29 11:00:01'))!;
    expect(clock.state).toBe('BREACHED');
    expect(clock.leftMinutes).toBeLessThan(0);
    const [breach, ...rest] = ticketBreaches({ response: clock, fix: null });
    expect(rest).toEqual([]);
    expect(breach).toMatchObject({ kind: 'LATE_RESPONSE', allowedMinutes: 120, stoppedAt: null });
    expect(shown(breach!.occurredAt)).toBe('2025-09-29 11:00');
  });

  it('an acknowledgement exactly at the deadline is on time, one second later is late', () => {
    const onTime = clockAt(cal, urban, 'RESPONSE', history(opened, ['ACKNOWLEDGED', '2025-09-29 11:00']), at('2025-10-20 12:00'))!;
    expect(onTime).toMatchObject({ state: 'MET', breached: false, usedMinutes: 120 });
    expect(shown(onTime.stoppedAt)).toBe('2025-09-29 11:00');
    const late = clockAt(cal, urban, 'RESPONSE', history(opened, ['ACKNOWLEDGED', '2025-09-29 11:00:01']), at('2025-10-20 12:00'))!;
    expect(late).toMatchObject({ state: 'BREACHED', breached: true });
  });

  it('an allowance ending at closing time and an acknowledgement at the next opening is on time', () => {
    const clock = clockAt(cal, urban, 'RESPONSE', history(['NEW', '2025-09-29 15:00'], ['ACKNOWLEDGED', '2025-09-30 09:00']), at('2025-09-30 12:00'))!;
    expect(clock).toMatchObject({ usedMinutes: 120, breached: false, state: 'MET' });
  });

  it('a late acknowledgement across a holiday is measured in working time', () => {
    // Opened 16:00 on 30 September: 1 h that day, then 1 h 30 min on 9 October.
    const clock = clockAt(cal, urban, 'RESPONSE', history(['NEW', '2025-09-30 16:00'], ['ACKNOWLEDGED', '2025-10-09 10:30']), at('2025-10-09 10:30'))!;
    expect(clock).toMatchObject({ usedMinutes: 150, breached: true });
    expect(shown(clock.deadline)).toBe('2025-10-09 10:00');
  });
});

describe('pauses derived from the status history', () => {
  const fixSla = ticketSlaFor(WITH_FIX, 'URBAN', OFFICE);
  const steps: [TicketStatus, string][] = [
    ['NEW', '2025-09-29 09:00'],
    ['ACKNOWLEDGED', '2025-09-29 09:30'],
    ['ON_SITE', '2025-09-29 10:00'],
    ['WAITING', '2025-09-29 10:30'],
  ];

  it('freezes time used while WAITING, whatever the time now', () => {
    const early = clockAt(cal, fixSla, 'FIX', history(...steps), at('2025-09-29 11:00'))!;
    const late = clockAt(cal, fixSla, 'FIX', history(...steps), at('2025-10-20 11:00'))!;
    for (const clock of [early, late]) {
      expect(clock).toMatchObject({ usedMinutes: 90, leftMinutes: 150, paused: true, state: 'PAUSED', deadline: null });
    }
  });

  it('moves the deadline by the pause once work resumes', () => {
    const resumed = history(...steps, ['ON_SITE', '2025-09-30 10:00']);
    const clock = clockAt(cal, fixSla, 'FIX', resumed, at('2025-09-30 11:00'))!;
    expect(clock).toMatchObject({ usedMinutes: 150, state: 'RUNNING', paused: false });
    // 150 minutes left when paused at 10:30 on 29 September, counted from 10:00 on the 30th.
    expect(shown(clock.deadline)).toBe('2025-09-30 12:30');
  });

  it('detects a late fix from elapsed working time net of pauses', () => {
    const done = history(...steps, ['ON_SITE', '2025-09-30 10:00'], ['RESOLVED', '2025-09-30 13:00']);
    const clocks = ticketClocks(cal, fixSla, done, at('2025-10-20 09:00'));
    expect(clocks.response).toMatchObject({ state: 'MET', usedMinutes: 30 });
    expect(clocks.fix).toMatchObject({ usedMinutes: 270, breached: true });
    expect(shown(clocks.fix!.stoppedAt)).toBe('2025-09-30 13:00');
    expect(ticketBreaches(clocks).map((b) => [b.kind, shown(b.occurredAt)])).toEqual([['LATE_FIX', '2025-09-30 12:30']]);
  });

  it('a fix at 12:00 after the pause is on time because the pause is not counted', () => {
    const done = history(...steps, ['ON_SITE', '2025-09-30 10:00'], ['RESOLVED', '2025-09-30 12:00']);
    expect(clockAt(cal, fixSla, 'FIX', done, at('2025-10-20 09:00'))).toMatchObject({ usedMinutes: 210, breached: false, state: 'MET' });
  });

  it('a reopened ticket keeps its fix clock running from opening', () => {
    const reopened = history(['NEW', '2025-09-29 09:00'], ['ACKNOWLEDGED', '2025-09-29 09:10'], ['RESOLVED', '2025-09-29 10:00'], ['ON_SITE', '2025-09-29 11:00']);
    const clock = clockAt(cal, fixSla, 'FIX', reopened, at('2025-09-29 12:00'))!;
    expect(clock).toMatchObject({ usedMinutes: 180, stoppedAt: null, state: 'WARNING' });
  });

  it('refuses a history that runs backwards in time', () => {
    const backwards = history(['NEW', '2025-09-29 10:00'], ['ACKNOWLEDGED', '2025-09-29 09:00']);
    expect(appErrorOf(() => clockAt(cal, urban, 'RESPONSE', backwards, at('2025-09-29 12:00'))).code).toBe('TICKET_EVENT_OUT_OF_ORDER');
  });

  it('refuses a history that does not start with NEW', () => {
    expect(appErrorOf(() => clockAt(cal, urban, 'RESPONSE', history(['ACKNOWLEDGED', '2025-09-29 09:00']), at('2025-09-29 12:00'))).code).toBe('VALIDATION_FAILED');
  });
});

describe('round-the-clock policy (seed 002)', () => {
  const core = ticketSlaFor(BEIJING, 'URBAN', OFFICE);

  it('counts clock hours through nights and holidays', () => {
    const clocks = ticketClocks(cal, core, history(['NEW', '2025-10-01 23:00']), at('2025-10-02 00:30'));
    expect(clocks.response).toMatchObject({ usedMinutes: 90, percent: 75, state: 'WARNING' });
    expect(shown(clocks.response.deadline)).toBe('2025-10-02 01:00');
    expect(shown(clocks.fix!.deadline)).toBe('2025-10-02 03:00');
  });

  it('is answered by arriving on site, not by acknowledging', () => {
    const acked = history(['NEW', '2025-10-01 23:00'], ['ACKNOWLEDGED', '2025-10-01 23:05']);
    expect(clockAt(cal, core, 'RESPONSE', acked, at('2025-10-02 01:30'))).toMatchObject({ state: 'BREACHED', stoppedAt: null });
    const arrived = history(['NEW', '2025-10-01 23:00'], ['ACKNOWLEDGED', '2025-10-01 23:05'], ['ON_SITE', '2025-10-02 00:50']);
    expect(clockAt(cal, core, 'RESPONSE', arrived, at('2025-10-02 01:30'))).toMatchObject({ state: 'MET', usedMinutes: 110 });
  });

  it('needs no published calendar', () => {
    const clock = clockAt(cal, core, 'FIX', history(['NEW', '2027-03-01 10:00']), at('2027-03-01 11:00'))!;
    expect(shown(clock.deadline)).toBe('2027-03-01 14:00');
  });

  it('pauses for waiting too', () => {
    const waited = history(['NEW', '2025-10-01 10:00'], ['ACKNOWLEDGED', '2025-10-01 10:10'], ['ON_SITE', '2025-10-01 11:00'], ['WAITING', '2025-10-01 12:00'], ['ON_SITE', '2025-10-01 18:00']);
    const clock = clockAt(cal, core, 'FIX', waited, at('2025-10-01 19:00'))!;
    expect(clock).toMatchObject({ usedMinutes: 180, breached: false });
    expect(shown(clock.deadline)).toBe('2025-10-01 20:00');
  });
});

describe('policies and breach standing', () => {
  it('takes the allowance of the outlet zone', () => {
    expect(ticketSlaFor(SHANGHAI, 'SUBURBAN', OFFICE)).toMatchObject({ responseMinutes: 180, fixMinutes: null, clock: 'WORKING' });
    expect(ticketSlaFor(BEIJING, 'URBAN', OFFICE)).toMatchObject({ responseMinutes: 120, fixMinutes: 240 });
  });

  it('has no fix clock when the contract sets no fix allowance', () => {
    expect(clockAt(cal, urban, 'FIX', history(['NEW', '2025-09-29 09:00']), at('2025-09-29 10:00'))).toBeNull();
  });

  it('lists every problem of a policy', () => {
    expect(policyProblems(SHANGHAI)).toEqual([]);
    const bad: SlaPolicy = { ...BEIJING, responseMinutes: { URBAN: 0, SUBURBAN: 120 }, fixMinutes: { URBAN: 60, SUBURBAN: 60 }, warnPercent: 100 };
    expect(policyProblems(bad)).toEqual([
      'urban response must be a whole number of minutes from 1 to 129600',
      'a fix allowance cannot be shorter than the response allowance',
      'the warning threshold must be a percentage from 1 to 99',
    ]);
  });

  it.each([
    [0, 5, 'OK'],
    [3, 5, 'OK'],
    [4, 5, 'APPROACHING'],
    [5, 5, 'REACHED'],
    [7, 5, 'REACHED'],
    [9, null, 'OK'],
  ] as const)('%i breaches against a threshold of %s: %s', (count, threshold, standing) => {
    expect(breachStanding(count, threshold)).toBe(standing);
  });
});
