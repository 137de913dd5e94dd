import { describe, expect, it } from 'vitest';
import { shanghaiInstant } from '../calendar/zone.ts';
import {
  attendanceOf,
  attendanceSummary,
  certificateProblems,
  certificateValidOn,
  checkInProblem,
  checkOutProblem,
  minutesIn,
  postProblems,
  requirementProblems,
  SEED_001_STAFFING,
  staffedSlots,
  staffingCheck,
  uncovered,
  type StaffingEngineer,
} from './staff-rules.ts';

const at = (day: string, hhmm: string) => shanghaiInstant(day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)));
const kylin = (issuedOn: string, expiresOn: string | null) => ({ kind: 'KYLIN_OS', issuedOn, expiresOn });

/** Spring Festival 2026: 15–23 February off, Saturday 14 and Saturday 28 February are make-up working days. */
function isWorkingDay2026(day: string): boolean {
  if (day >= '2026-02-15' && day <= '2026-02-23') return false;
  if (day === '2026-02-14' || day === '2026-02-28') return true;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

describe('certificates', () => {
  it('refuses an expiry before the issue date and counts from issue through expiry', () => {
    expect(certificateProblems({ kind: 'KYLIN_OS', number: 'K-1', issuedOn: '2025-06-01', expiresOn: '2025-05-31' })).toEqual(['it expires (2025-05-31) before it was issued (2025-06-01)']);
    expect(certificateProblems({ kind: ' ', number: '', issuedOn: '2025-02-30', expiresOn: null })).toHaveLength(3);
    expect(certificateValidOn(kylin('2025-01-01', '2025-12-31'), '2025-12-31')).toBe(true);
    expect(certificateValidOn(kylin('2025-01-01', '2025-12-31'), '2026-01-01')).toBe(false);
    expect(certificateValidOn(kylin('2025-01-01', null), '2030-01-01')).toBe(true);
    expect(certificateValidOn(kylin('2025-01-01', null), '2024-12-31')).toBe(false);
  });
});

describe('staffing check (seed 001: ≥ 20 engineers, ≥ 2 Kylin-certified)', () => {
  const plain = (n: number, active = true): StaffingEngineer[] => Array.from({ length: n }, () => ({ active, certificates: [] }));

  it('is met with 20 active engineers of whom 2 hold a valid Kylin certificate', () => {
    const team = [...plain(18), { active: true, certificates: [kylin('2025-01-01', '2027-01-01')] }, { active: true, certificates: [kylin('2025-01-01', null)] }];
    expect(staffingCheck(SEED_001_STAFFING, team, '2026-03-01')).toEqual({
      day: '2026-03-01',
      engineers: { required: 20, actual: 20 },
      certified: [{ kind: 'KYLIN_OS', required: 2, actual: 2 }],
      met: true,
    });
  });

  it('does not count expired certificates, inactive engineers, or two certificates of one engineer twice', () => {
    const team = [
      ...plain(18),
      { active: true, certificates: [kylin('2023-01-01', '2025-12-31'), kylin('2024-01-01', null)] },
      { active: true, certificates: [kylin('2023-01-01', '2025-12-31')] },
      { active: false, certificates: [kylin('2025-01-01', null)] },
    ];
    const check = staffingCheck(SEED_001_STAFFING, team, '2026-01-01');
    expect(check.engineers).toEqual({ required: 20, actual: 20 });
    expect(check.certified).toEqual([{ kind: 'KYLIN_OS', required: 2, actual: 1 }]);
    expect(check.met).toBe(false);
    expect(staffingCheck(SEED_001_STAFFING, plain(19), '2026-01-01').met).toBe(false);
  });

  it('refuses a requirement that asks for more certified engineers than engineers', () => {
    expect(requirementProblems({ minEngineers: 1, certified: [{ kind: 'KYLIN_OS', count: 2 }] })).toEqual(['2 engineers certified for KYLIN_OS cannot exceed the 1 engineers required']);
    expect(requirementProblems(SEED_001_STAFFING)).toEqual([]);
  });
});

describe('staffed hours of a post (seed 002)', () => {
  it('5×8 works the make-up Saturday and skips the Spring Festival', () => {
    const slots = staffedSlots({ pattern: '5x8', dayStartMinute: 9 * 60, shiftMinutes: 480 }, '2026-02-13', '2026-02-24', isWorkingDay2026);
    expect(slots.map((s) => s.start)).toEqual([at('2026-02-13', '09:00'), at('2026-02-14', '09:00'), at('2026-02-24', '09:00')]);
    expect(slots[1]!.end).toEqual(at('2026-02-14', '17:00'));
  });

  it('7×8 is staffed every day, holidays included', () => {
    expect(staffedSlots({ pattern: '7x8', dayStartMinute: 9 * 60, shiftMinutes: 480 }, '2026-02-15', '2026-02-21', isWorkingDay2026)).toHaveLength(7);
  });

  it('7×24 in 12-hour shifts runs across midnight without a gap', () => {
    const slots = staffedSlots({ pattern: '7x24', dayStartMinute: 8 * 60, shiftMinutes: 720 }, '2026-02-16', '2026-02-17', () => {
      throw new Error('a round-the-clock post needs no calendar');
    });
    expect(slots.map((s) => [s.start, s.end])).toEqual([
      [at('2026-02-16', '08:00'), at('2026-02-16', '20:00')],
      [at('2026-02-16', '20:00'), at('2026-02-17', '08:00')],
      [at('2026-02-17', '08:00'), at('2026-02-17', '20:00')],
      [at('2026-02-17', '20:00'), at('2026-02-18', '08:00')],
    ]);
    expect(minutesIn(slots)).toBe(48 * 60);
  });

  it('refuses shapes that do not fit the pattern', () => {
    expect(postProblems({ pattern: '7x24', dayStartMinute: 0, shiftMinutes: 600 })).toEqual(['a 7×24 post is cut into shifts of 8 or 12 hours']);
    expect(postProblems({ pattern: '5x8', dayStartMinute: 9 * 60, shiftMinutes: 720 })).toEqual(['a 5x8 post is staffed 8 hours a day']);
    expect(postProblems({ pattern: '7x8', dayStartMinute: 1440, shiftMinutes: 480 })).toEqual(['the day start must be a time of day']);
  });

  it('finds the hours nobody covers', () => {
    const need = [{ start: at('2026-03-02', '09:00'), end: at('2026-03-02', '17:00') }];
    const gaps = uncovered(need, [
      { start: at('2026-03-02', '08:00'), end: at('2026-03-02', '10:00') },
      { start: at('2026-03-02', '12:00'), end: at('2026-03-02', '13:00') },
    ]);
    expect(gaps).toEqual([
      { start: at('2026-03-02', '10:00'), end: at('2026-03-02', '12:00') },
      { start: at('2026-03-02', '13:00'), end: at('2026-03-02', '17:00') },
    ]);
    expect(minutesIn(gaps)).toBe(360);
  });
});

describe('attendance', () => {
  // The night shift of a 7×24 post: 20:00 to 08:00 the next morning.
  const night = { start: at('2026-02-16', '20:00'), end: at('2026-02-17', '08:00'), checkInAt: null, checkOutAt: null };

  it('is UPCOMING, then NOT_ARRIVED, then ABSENT without a check-in, across midnight', () => {
    expect(attendanceOf(night, at('2026-02-16', '19:00')).state).toBe('UPCOMING');
    expect(attendanceOf(night, at('2026-02-17', '02:00')).state).toBe('NOT_ARRIVED');
    expect(attendanceOf(night, at('2026-02-17', '08:00'))).toEqual({ state: 'ABSENT', late: false, lateMinutes: 0 });
  });

  it('is late only after the grace of 10 minutes', () => {
    expect(attendanceOf({ ...night, checkInAt: at('2026-02-16', '20:10') }, at('2026-02-16', '23:00'))).toEqual({ state: 'ON_DUTY', late: false, lateMinutes: 10 });
    expect(attendanceOf({ ...night, checkInAt: at('2026-02-16', '20:11') }, at('2026-02-17', '09:00'))).toEqual({ state: 'DONE', late: true, lateMinutes: 11 });
    expect(attendanceOf({ ...night, checkInAt: at('2026-02-16', '19:30') }, at('2026-02-16', '21:00')).lateMinutes).toBe(0);
  });

  it('opens check-in an hour before the start and closes it at the end; check-out needs a check-in', () => {
    expect(checkInProblem(night, at('2026-02-16', '18:59'))).toBe('check-in opens 60 minutes before the shift starts');
    expect(checkInProblem(night, at('2026-02-16', '19:00'))).toBeNull();
    expect(checkInProblem(night, at('2026-02-17', '07:59'))).toBeNull();
    expect(checkInProblem(night, at('2026-02-17', '08:00'))).toBe('the shift is over');
    expect(checkInProblem({ ...night, checkInAt: at('2026-02-16', '20:00') }, at('2026-02-16', '20:01'))).toBe('the shift is already checked in');
    expect(checkOutProblem(night, at('2026-02-17', '08:00'))).toBe('the shift is not checked in');
    expect(checkOutProblem({ ...night, checkInAt: at('2026-02-16', '20:00') }, at('2026-02-17', '08:00'))).toBeNull();
  });

  it('sums a period: planned, attended, late, absent, and minutes nobody was there', () => {
    const day = '2026-03-02';
    const slots = [
      { postId: 'p', slot: { start: at(day, '08:00'), end: at(day, '20:00') } },
      { postId: 'p', slot: { start: at(day, '20:00'), end: at('2026-03-03', '08:00') } },
    ];
    const shifts = [
      // 30 minutes late, left an hour early: 90 minutes uncovered.
      { postId: 'p', start: at(day, '08:00'), end: at(day, '20:00'), checkInAt: at(day, '08:30'), checkOutAt: at(day, '19:00') },
      // Nobody came to the night shift.
      { postId: 'p', start: at(day, '20:00'), end: at('2026-03-03', '08:00'), checkInAt: null, checkOutAt: null },
    ];
    expect(attendanceSummary(1, slots, shifts, at('2026-03-03', '12:00'))).toEqual({ posts: 1, shiftsPlanned: 2, attended: 1, late: 1, absent: 1, uncoveredMinutes: 90 + 720 });
    // As of 22:00 the night shift has not ended: not absent yet, two hours uncovered so far.
    expect(attendanceSummary(1, slots, shifts, at(day, '22:00'))).toEqual({ posts: 1, shiftsPlanned: 2, attended: 1, late: 1, absent: 0, uncoveredMinutes: 90 + 120 });
  });
});
