import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { buildCalendar, type CalendarDay } from './rules.ts';
import { CHINESE_DAYS_SOURCE, calendarDaysFromChineseDays, officialDaysFromChineseDays } from './seed-data.ts';
import { addDaysToDate, weekdayOf } from './zone.ts';

type Row = Pick<CalendarDay, 'date' | 'kind' | 'name'>;

function holidays(from: string, to: string, name: string): Row[] {
  const rows: Row[] = [];
  for (let date = from; date <= to; date = addDaysToDate(date, 1)) rows.push({ date, kind: 'HOLIDAY', name });
  return rows;
}

function makeup(date: string, name: string): Row {
  return { date, kind: 'MAKEUP_WORKDAY', name };
}

// domain.md §5, one line per table row: holiday block, then its make-up working days.
const EXPECTED_2025: Row[] = [
  ...holidays('2025-01-01', '2025-01-01', '元旦'),
  ...holidays('2025-01-28', '2025-02-04', '春节'), makeup('2025-01-26', '春节'), makeup('2025-02-08', '春节'),
  ...holidays('2025-04-04', '2025-04-06', '清明'),
  ...holidays('2025-05-01', '2025-05-05', '劳动节'), makeup('2025-04-27', '劳动节'),
  ...holidays('2025-05-31', '2025-06-02', '端午'),
  // National Day and Mid-Autumn share one block; chinese-days names the Mid-Autumn date itself.
  ...holidays('2025-10-01', '2025-10-05', '国庆节'), ...holidays('2025-10-06', '2025-10-06', '中秋'),
  ...holidays('2025-10-07', '2025-10-08', '国庆节'), makeup('2025-09-28', '国庆节'), makeup('2025-10-11', '国庆节'),
];

const EXPECTED_2026: Row[] = [
  ...holidays('2026-01-01', '2026-01-03', '元旦'), makeup('2026-01-04', '元旦'),
  ...holidays('2026-02-15', '2026-02-23', '春节'), makeup('2026-02-14', '春节'), makeup('2026-02-28', '春节'),
  ...holidays('2026-04-04', '2026-04-06', '清明'),
  ...holidays('2026-05-01', '2026-05-05', '劳动节'), makeup('2026-05-09', '劳动节'),
  ...holidays('2026-06-19', '2026-06-21', '端午'),
  ...holidays('2026-09-25', '2026-09-27', '中秋'),
  ...holidays('2026-10-01', '2026-10-07', '国庆节'), makeup('2026-09-20', '国庆节'), makeup('2026-10-10', '国庆节'),
];

const byDate = (a: Row, b: Row): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

describe('officialDaysFromChineseDays', () => {
  const seed = officialDaysFromChineseDays();
  const rowsOf = (year: string): Row[] =>
    seed.days.filter((d) => d.date.startsWith(year)).map(({ date, kind, name }) => ({ date, kind, name }));

  it('covers exactly 2025 and 2026', () => {
    expect(seed.years).toEqual([2025, 2026]);
    expect(seed.days.every((d) => d.date >= '2025-01-01' && d.date <= '2026-12-31')).toBe(true);
  });

  it('matches the 2025 notice (国办发明电〔2024〕12号) day for day', () => {
    expect(rowsOf('2025')).toEqual([...EXPECTED_2025].sort(byDate));
  });

  it('matches the 2026 notice day for day', () => {
    expect(rowsOf('2026')).toEqual([...EXPECTED_2026].sort(byDate));
  });

  it('has no 2027 data', () => {
    expect(seed.years).not.toContain(2027);
    expect(rowsOf('2027')).toEqual([]);
  });

  it('puts every make-up working day on a weekend and cites the package on every row', () => {
    for (const d of seed.days.filter((row) => row.kind === 'MAKEUP_WORKDAY')) expect([0, 6]).toContain(weekdayOf(d.date));
    expect(new Set(seed.days.map((d) => d.source))).toEqual(new Set([CHINESE_DAYS_SOURCE]));
  });

  it('passes buildCalendar validation', () => {
    const cal = buildCalendar(seed.days, seed.years);
    expect(cal.days.size).toBe(EXPECTED_2025.length + EXPECTED_2026.length);
    expect([...cal.publishedYears]).toEqual([2025, 2026]);
  });
});

describe('calendarDaysFromChineseDays', () => {
  const wholeYear = (year: number): Record<string, string> => ({
    [`${year}-01-01`]: "New Year's Day,元旦,1",
    [`${year}-10-01`]: 'National Day,国庆节,3',
  });

  it('keeps a year out until its data covers both New Year and National Day', () => {
    const result = calendarDaysFromChineseDays({
      holidays: { ...wholeYear(2026), '2027-01-01': "New Year's Day,元旦,1" },
      workdays: { '2027-02-06': 'Spring Festival,春节,4' },
    });
    expect(result.years).toEqual([2026]);
    expect(result.days.map((d) => d.date)).toEqual(['2026-01-01', '2026-10-01']);
  });

  it('leaves out years before 2025 even when complete', () => {
    const result = calendarDaysFromChineseDays({ holidays: { ...wholeYear(2024), ...wholeYear(2025) }, workdays: {} });
    expect(result.years).toEqual([2025]);
    expect(result.days.every((d) => d.date.startsWith('2025'))).toBe(true);
  });

  it('reads the Chinese name even when the English name contains a comma', () => {
    const result = calendarDaysFromChineseDays({
      holidays: { ...wholeYear(2025), '2025-09-03': 'Victory Day, 80th,纪念日,1' },
      workdays: {},
    });
    expect(result.days.find((d) => d.date === '2025-09-03')?.name).toBe('纪念日');
  });

  it('rejects an entry it cannot read instead of inventing a name', () => {
    const read = () => calendarDaysFromChineseDays({ holidays: { ...wholeYear(2025), '2025-05-01': '劳动节' }, workdays: {} });
    expect(read).toThrow(AppError);
    expect(read).toThrow(/2025-05-01/);
  });
});
