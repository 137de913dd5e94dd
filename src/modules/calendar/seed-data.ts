// chinese-days has no exports map; its raw data is read as JSON through require so that the same
// line works under tsx and in the esbuild bundle. The library's functions are not used: they read
// the host time zone.
import { createRequire } from 'node:module';
import { AppError } from '../../platform/errors/app-error.ts';
import type { CalendarDay, DayKind } from './rules.ts';

const chineseDaysData = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;

/** Entries look like "National Day,国庆节,3": English name, Chinese name, statutory days. */
export interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

export const CHINESE_DAYS_SOURCE = 'chinese-days@1.5.7 (国务院办公厅通知)';

/**
 * 2025 is the first year under the amended 全国年节及纪念日放假办法 (13 statutory days), and the
 * first year SLA clocks run; 2025 and 2026 were checked day by day against the notices.
 */
export const FIRST_SEEDED_YEAR = 2025;

const ENTRY_PATTERN = /^(.+),([^,]+),(\d+)$/;

function chineseName(date: string, entry: string): string {
  const m = ENTRY_PATTERN.exec(entry);
  if (!m?.[2]) {
    throw new AppError('CALENDAR_DAY_INVALID', { params: { date, reason: `unrecognised chinese-days entry "${entry}"` } });
  }
  return m[2];
}

/**
 * A State Council notice always covers New Year's Day and National Day, both on fixed dates, so a
 * year holding both holidays came from a whole notice; anything less is partial and stays unpublished.
 */
function coveredYears(data: ChineseDaysData): number[] {
  const years = new Set(Object.keys(data.holidays).map((date) => Number(date.slice(0, 4))));
  return [...years]
    .filter((year) => year >= FIRST_SEEDED_YEAR && `${year}-01-01` in data.holidays && `${year}-10-01` in data.holidays)
    .sort((a, b) => a - b);
}

/**
 * Converts chinese-days' `holidays` (days off) and `workdays` (调休上班, make-up working days) maps.
 * Its third map, `inLieuDays`, only marks which holidays are compensated by a make-up day; those
 * dates are already in `holidays`, so it adds nothing to the working calendar.
 */
export function calendarDaysFromChineseDays(data: ChineseDaysData): { days: CalendarDay[]; years: number[] } {
  const years = coveredYears(data);
  const wanted = new Set(years.map(String));
  const rows = (map: Record<string, string>, kind: DayKind): CalendarDay[] =>
    Object.entries(map)
      .filter(([date]) => wanted.has(date.slice(0, 4)))
      .map(([date, entry]) => ({ date, kind, name: chineseName(date, entry), source: CHINESE_DAYS_SOURCE }));
  const days = [...rows(data.holidays, 'HOLIDAY'), ...rows(data.workdays, 'MAKEUP_WORKDAY')];
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { days, years };
}

/** The official days of the pinned chinese-days package, ready for buildCalendar or the seed. */
export function officialDaysFromChineseDays(): { days: CalendarDay[]; years: number[] } {
  return calendarDaysFromChineseDays(chineseDaysData);
}
