import { isValidDate, shanghaiInstant, addDaysToDate } from '../calendar/zone.ts';

/**
 * The maintainer's engineers, their certificates and the on-site posts of a contract (issue 5 item 9):
 * whether the contract's minimum staffing is met (seed 001: at least 20 engineers, 2 of them certified
 * for 中标麒麟), which hours a post must be staffed (seed 002: 5×8, 7×8, 7×24), and what attendance
 * says about a shift. Pure: the caller hands in rows, the working-day test and the time.
 */

export const KYLIN_CERTIFICATE = 'KYLIN_OS';

export const POST_PATTERNS = ['5x8', '7x8', '7x24'] as const;
export type PostPattern = (typeof POST_PATTERNS)[number];

/** Lengths a round-the-clock post may be cut into: each divides the day, so every day has the same shifts. */
export const SHIFT_MINUTES_7X24 = [480, 720] as const;
/** 5×8 and 7×8 posts are staffed eight hours a day. */
export const DAY_POST_MINUTES = 480;

/** Checking in this long before the shift starts is fine (the engineer is on site early). */
export const CHECK_IN_EARLY_MINUTES = 60;
/** Arriving within this many minutes of the start is not yet late. */
export const LATE_GRACE_MINUTES = 10;

export const KIND_MAX = 40;
export const NUMBER_MAX = 60;

export interface StaffingRequirement {
  minEngineers: number;
  certified: { kind: string; count: number }[];
}

/** Seed 001: 服务团队总人数不少于 20 人，其中具备中标麒麟操作系统认证的不少于 2 人. */
export const SEED_001_STAFFING: StaffingRequirement = { minEngineers: 20, certified: [{ kind: KYLIN_CERTIFICATE, count: 2 }] };

export interface CertificateFacts {
  kind: string;
  number: string;
  issuedOn: string;
  expiresOn: string | null;
}

export function certificateProblems(c: CertificateFacts): string[] {
  const problems: string[] = [];
  const kind = c.kind.trim();
  if (kind === '' || kind.length > KIND_MAX) problems.push(`the kind must have 1 to ${KIND_MAX} characters`);
  const number = c.number.trim();
  if (number === '' || number.length > NUMBER_MAX) problems.push(`the number must have 1 to ${NUMBER_MAX} characters`);
  if (!isValidDate(c.issuedOn)) problems.push(`issued on ${c.issuedOn} is not a YYYY-MM-DD date`);
  if (c.expiresOn !== null && !isValidDate(c.expiresOn)) problems.push(`expires on ${c.expiresOn} is not a YYYY-MM-DD date`);
  else if (c.expiresOn !== null && isValidDate(c.issuedOn) && c.expiresOn < c.issuedOn) problems.push(`it expires (${c.expiresOn}) before it was issued (${c.issuedOn})`);
  return problems;
}

/** A certificate counts from its issue day through its expiry day; one without expiry never lapses. */
export function certificateValidOn(c: Pick<CertificateFacts, 'issuedOn' | 'expiresOn'>, day: string): boolean {
  return c.issuedOn <= day && (c.expiresOn === null || c.expiresOn >= day);
}

export function requirementProblems(r: StaffingRequirement): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(r.minEngineers) || r.minEngineers < 0) problems.push('the minimum number of engineers must be a whole number ≥ 0');
  const seen = new Set<string>();
  for (const c of r.certified) {
    const kind = c.kind.trim();
    if (kind === '' || kind.length > KIND_MAX) problems.push(`a certificate kind must have 1 to ${KIND_MAX} characters`);
    if (seen.has(kind)) problems.push(`certificate kind ${kind} is listed twice`);
    seen.add(kind);
    if (!Number.isInteger(c.count) || c.count < 1) problems.push(`the number of engineers certified for ${kind} must be a whole number ≥ 1`);
    else if (c.count > r.minEngineers) problems.push(`${c.count} engineers certified for ${kind} cannot exceed the ${r.minEngineers} engineers required`);
  }
  return problems;
}

export interface StaffingEngineer {
  active: boolean;
  certificates: readonly Pick<CertificateFacts, 'kind' | 'issuedOn' | 'expiresOn'>[];
}

export interface StaffingCheck {
  day: string;
  engineers: { required: number; actual: number };
  certified: { kind: string; required: number; actual: number }[];
  met: boolean;
}

/** Active engineers against the requirement on a day; an engineer counts once per kind, expired certificates not at all. */
export function staffingCheck(requirement: StaffingRequirement, engineers: readonly StaffingEngineer[], day: string): StaffingCheck {
  const active = engineers.filter((e) => e.active);
  const certified = requirement.certified.map((r) => ({
    kind: r.kind,
    required: r.count,
    actual: active.filter((e) => e.certificates.some((c) => c.kind === r.kind && certificateValidOn(c, day))).length,
  }));
  const met = active.length >= requirement.minEngineers && certified.every((c) => c.actual >= c.required);
  return { day, engineers: { required: requirement.minEngineers, actual: active.length }, certified, met };
}

export interface PostShape {
  pattern: PostPattern;
  /** Minute of the Shanghai day the post's day (or its first 7×24 shift) starts. */
  dayStartMinute: number;
  /** 480 for 5×8 and 7×8; 480 or 720 for 7×24. */
  shiftMinutes: number;
}

export function postProblems(p: PostShape): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(p.dayStartMinute) || p.dayStartMinute < 0 || p.dayStartMinute >= 1440) problems.push('the day start must be a time of day');
  if (p.pattern === '7x24') {
    if (!(SHIFT_MINUTES_7X24 as readonly number[]).includes(p.shiftMinutes)) problems.push('a 7×24 post is cut into shifts of 8 or 12 hours');
  } else if (p.shiftMinutes !== DAY_POST_MINUTES) problems.push(`a ${p.pattern} post is staffed 8 hours a day`);
  return problems;
}

export interface Interval {
  start: Date;
  end: Date;
}

/**
 * The hours a post must be staffed that start on the days `from`..`to` (inclusive, Shanghai dates):
 * 5×8 on working days of the calendar (make-up working days included, holidays excluded), 7×8 every
 * day, 7×24 every day in back-to-back shifts, the last of which may run past midnight.
 * `isWorkingDay` may throw for a year whose calendar is not published (fail closed).
 */
export function staffedSlots(p: PostShape, from: string, to: string, isWorkingDay: (day: string) => boolean): Interval[] {
  const out: Interval[] = [];
  for (let day = from; day <= to; day = addDaysToDate(day, 1)) {
    if (p.pattern === '5x8' && !isWorkingDay(day)) continue;
    const perDay = p.pattern === '7x24' ? 1440 / p.shiftMinutes : 1;
    const first = shanghaiInstant(day, p.dayStartMinute).getTime();
    for (let i = 0; i < perDay; i++) {
      const start = first + i * p.shiftMinutes * 60_000;
      out.push({ start: new Date(start), end: new Date(start + p.shiftMinutes * 60_000) });
    }
  }
  return out;
}

/** The parts of `need` that no interval of `cover` overlaps. */
export function uncovered(need: readonly Interval[], cover: readonly Interval[]): Interval[] {
  const sorted = [...cover].filter((c) => c.end > c.start).sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: Interval[] = [];
  for (const n of need) {
    let at = n.start.getTime();
    const end = n.end.getTime();
    for (const c of sorted) {
      if (at >= end) break;
      const cs = c.start.getTime();
      const ce = c.end.getTime();
      if (ce <= at || cs >= end) continue;
      if (cs > at) out.push({ start: new Date(at), end: new Date(cs) });
      at = Math.max(at, ce);
    }
    if (at < end) out.push({ start: new Date(at), end: new Date(end) });
  }
  return out;
}

export function minutesIn(intervals: readonly Interval[]): number {
  return Math.round(intervals.reduce((n, i) => n + (i.end.getTime() - i.start.getTime()), 0) / 60_000);
}

export interface ShiftFacts {
  start: Date;
  end: Date;
  checkInAt: Date | null;
  checkOutAt: Date | null;
}

/** UPCOMING: not begun; NOT_ARRIVED: begun, nobody checked in yet; ON_DUTY; DONE; ABSENT: over without a check-in. */
export const ATTENDANCE_STATES = ['UPCOMING', 'NOT_ARRIVED', 'ON_DUTY', 'DONE', 'ABSENT'] as const;
export type AttendanceState = (typeof ATTENDANCE_STATES)[number];

export interface Attendance {
  state: AttendanceState;
  late: boolean;
  /** Whole minutes after the start of the check-in (0 when on time or early). */
  lateMinutes: number;
}

export function attendanceOf(s: ShiftFacts, now: Date): Attendance {
  if (s.checkInAt === null) {
    const state: AttendanceState = now < s.start ? 'UPCOMING' : now < s.end ? 'NOT_ARRIVED' : 'ABSENT';
    return { state, late: false, lateMinutes: 0 };
  }
  const lateMinutes = Math.max(0, Math.floor((s.checkInAt.getTime() - s.start.getTime()) / 60_000));
  const done = s.checkOutAt !== null || now >= s.end;
  return { state: done ? 'DONE' : 'ON_DUTY', late: lateMinutes > LATE_GRACE_MINUTES, lateMinutes };
}

/** Why a check-in at `now` is refused, or null. */
export function checkInProblem(s: ShiftFacts, now: Date): string | null {
  if (s.checkInAt !== null) return 'the shift is already checked in';
  if (now.getTime() < s.start.getTime() - CHECK_IN_EARLY_MINUTES * 60_000) return `check-in opens ${CHECK_IN_EARLY_MINUTES} minutes before the shift starts`;
  if (now >= s.end) return 'the shift is over';
  return null;
}

/** Why a check-out at `now` is refused, or null. */
export function checkOutProblem(s: ShiftFacts, now: Date): string | null {
  if (s.checkInAt === null) return 'the shift is not checked in';
  if (s.checkOutAt !== null) return 'the shift is already checked out';
  if (now < s.checkInAt) return 'the check-out would come before the check-in';
  return null;
}

/** The time the engineer of a shift was there: from the check-in (or the start) to the check-out (or the end), within the shift. */
export function presence(s: ShiftFacts, asOf: Date): Interval | null {
  if (s.checkInAt === null) return null;
  const start = s.checkInAt > s.start ? s.checkInAt : s.start;
  let end = s.checkOutAt !== null && s.checkOutAt < s.end ? s.checkOutAt : s.end;
  if (asOf < end) end = asOf;
  return end > start ? { start, end } : null;
}

export interface AttendanceSummary {
  posts: number;
  /** Shifts rostered that started before the report's as-of time. */
  shiftsPlanned: number;
  attended: number;
  late: number;
  absent: number;
  /** Minutes the posts should have been staffed (up to as-of) without anyone present. */
  uncoveredMinutes: number;
}

/**
 * The attendance numbers of a report period: `slots` are the staffed hours of every post in the
 * period, `shifts` the roster (with the post each belongs to), as of `asOf`.
 */
export function attendanceSummary(posts: number, slots: readonly { postId: string; slot: Interval }[], shifts: readonly (ShiftFacts & { postId: string })[], asOf: Date): AttendanceSummary {
  const started = shifts.filter((s) => s.start < asOf);
  let attended = 0;
  let late = 0;
  let absent = 0;
  for (const s of started) {
    const a = attendanceOf(s, asOf);
    if (s.checkInAt !== null) attended++;
    if (a.late) late++;
    if (a.state === 'ABSENT') absent++;
  }
  let uncoveredMinutes = 0;
  const postIds = new Set(slots.map((s) => s.postId));
  for (const postId of postIds) {
    const need = slots
      .filter((s) => s.postId === postId && s.slot.start < asOf)
      .map((s) => ({ start: s.slot.start, end: s.slot.end < asOf ? s.slot.end : asOf }));
    const cover = started.filter((s) => s.postId === postId).flatMap((s) => presence(s, asOf) ?? []);
    uncoveredMinutes += minutesIn(uncovered(need, cover));
  }
  return { posts, shiftsPlanned: started.length, attended, late, absent, uncoveredMinutes };
}

/** "HH:MM" → minute of the day, or null. */
export function minuteOfDay(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
