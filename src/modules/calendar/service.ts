import { asc, count, eq, gte, lt, and, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { calendarDays, calendarYears } from './schema.ts';
import { buildCalendar, type CalendarDay, type DayKind, type WorkingCalendar } from './rules.ts';
import { officialDaysFromChineseDays } from './seed-data.ts';
import { isValidDate, yearOf } from './zone.ts';

export async function loadWorkingCalendar(ctx: AppContext): Promise<WorkingCalendar> {
  const days = await ctx.db.orm.select().from(calendarDays);
  const years = await ctx.db.orm.select().from(calendarYears).where(eq(calendarYears.published, true));
  return buildCalendar(
    days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, source: d.source })),
    years.map((y) => y.year),
  );
}

/** On an empty table, loads the pinned official data and marks its years published. */
export async function seedCalendarIfEmpty(ctx: AppContext): Promise<number> {
  const [{ n } = { n: 0 }] = await ctx.db.orm.select({ n: count() }).from(calendarDays);
  if (n > 0) return 0;
  const { days, years } = officialDaysFromChineseDays();
  await ctx.db.orm.transaction(async (tx) => {
    await tx.insert(calendarDays).values(days).onConflictDoNothing();
    for (const year of years) {
      await tx.insert(calendarYears).values({ year, published: true }).onConflictDoNothing();
    }
  });
  return days.length;
}

export async function listYears(ctx: AppContext) {
  const counts = await ctx.db.orm
    .select({
      year: sql<number>`extract(year from ${calendarDays.date})::int`.as('year'),
      holidays: sql<number>`count(*) filter (where ${calendarDays.kind} = 'HOLIDAY')::int`,
      makeupWorkdays: sql<number>`count(*) filter (where ${calendarDays.kind} = 'MAKEUP_WORKDAY')::int`,
    })
    .from(calendarDays)
    .groupBy(sql`1`);
  const flags = await ctx.db.orm.select().from(calendarYears);
  const years = new Map<number, { year: number; published: boolean; holidays: number; makeupWorkdays: number }>();
  for (const f of flags) years.set(f.year, { year: f.year, published: f.published, holidays: 0, makeupWorkdays: 0 });
  for (const c of counts) {
    const y = years.get(c.year) ?? { year: c.year, published: false, holidays: 0, makeupWorkdays: 0 };
    y.holidays = c.holidays;
    y.makeupWorkdays = c.makeupWorkdays;
    years.set(c.year, y);
  }
  return [...years.values()].sort((a, b) => a.year - b.year);
}

export async function listDays(ctx: AppContext, year: number) {
  const rows = await ctx.db.orm
    .select()
    .from(calendarDays)
    .where(and(gte(calendarDays.date, `${year}-01-01`), lt(calendarDays.date, `${year + 1}-01-01`)))
    .orderBy(asc(calendarDays.date));
  return rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name, source: r.source }));
}

function checkDay(day: CalendarDay): void {
  // buildCalendar holds the rules (real date, make-up days on weekends only).
  buildCalendar([day], []);
}

export async function setDay(ctx: AppContext, day: CalendarDay) {
  if (!isValidDate(day.date)) throw new AppError('CALENDAR_DAY_INVALID', { params: { date: day.date, reason: 'not a real YYYY-MM-DD date' } });
  checkDay(day);
  await ctx.db.orm.transaction(async (tx) => {
    await tx
      .insert(calendarDays)
      .values({ ...day, updatedAt: new Date() })
      .onConflictDoUpdate({ target: calendarDays.date, set: { kind: day.kind, name: day.name, source: day.source, updatedAt: new Date() } });
    await tx.insert(calendarYears).values({ year: yearOf(day.date), published: false }).onConflictDoNothing();
  });
  return day;
}

export async function deleteDay(ctx: AppContext, date: string): Promise<void> {
  const rows = await ctx.db.orm.delete(calendarDays).where(eq(calendarDays.date, date)).returning({ date: calendarDays.date });
  if (rows.length === 0) throw new AppError('NOT_FOUND');
}

export async function publishYear(ctx: AppContext, year: number, published: boolean) {
  await ctx.db.orm
    .insert(calendarYears)
    .values({ year, published })
    .onConflictDoUpdate({ target: calendarYears.year, set: { published, updatedAt: new Date() } });
  const row = (await listYears(ctx)).find((y) => y.year === year);
  return row ?? { year, published, holidays: 0, makeupWorkdays: 0 };
}

export interface ImportRowError {
  row: number;
  date: string | null;
  error: string;
}

/**
 * All or nothing: every row is checked first (and against the others), and only a clean file is
 * written, in one transaction. Rows replace existing entries for the same date.
 */
export async function importDays(ctx: AppContext, rows: unknown[]): Promise<{ imported: number; years: number[] }> {
  const errors: ImportRowError[] = [];
  const days: CalendarDay[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const row = i + 1;
    const r = (raw ?? {}) as Record<string, unknown>;
    const date = typeof r.date === 'string' ? r.date.trim() : '';
    const kind = typeof r.kind === 'string' ? r.kind.trim().toUpperCase() : '';
    const name = typeof r.name === 'string' ? r.name.trim() : '';
    const source = typeof r.source === 'string' && r.source.trim() ? r.source.trim() : 'import';
    if (!isValidDate(date)) return errors.push({ row, date: date || null, error: 'date must be a real YYYY-MM-DD date' });
    if (kind !== 'HOLIDAY' && kind !== 'MAKEUP_WORKDAY') return errors.push({ row, date, error: 'kind must be HOLIDAY or MAKEUP_WORKDAY' });
    if (name.length < 1 || name.length > 50) return errors.push({ row, date, error: 'name must have 1 to 50 characters' });
    if (source.length > 200) return errors.push({ row, date, error: 'source must have at most 200 characters' });
    const earlier = seen.get(date);
    if (earlier) return errors.push({ row, date, error: `same date as row ${earlier}` });
    const day = { date, kind: kind as DayKind, name, source };
    try {
      checkDay(day);
    } catch (err) {
      return errors.push({ row, date, error: err instanceof AppError ? err.messageIn('en-US') : String(err) });
    }
    seen.set(date, row);
    days.push(day);
    return undefined;
  });
  if (errors.length > 0) throw new AppError('CALENDAR_IMPORT_INVALID', { params: { count: errors.length }, details: { rows: errors } });
  if (days.length === 0) throw new AppError('CALENDAR_IMPORT_INVALID', { params: { count: 1 }, details: { rows: [{ row: 0, date: null, error: 'the file has no rows' }] } });
  const years = [...new Set(days.map((d) => yearOf(d.date)))].sort();
  await ctx.db.orm.transaction(async (tx) => {
    for (let i = 0; i < days.length; i += 500) {
      const chunk = days.slice(i, i + 500).map((d) => ({ ...d, updatedAt: new Date() }));
      await tx
        .insert(calendarDays)
        .values(chunk)
        .onConflictDoUpdate({ target: calendarDays.date, set: { kind: sql`excluded.kind`, name: sql`excluded.name`, source: sql`excluded.source`, updatedAt: new Date() } });
    }
    for (const year of years) await tx.insert(calendarYears).values({ year, published: false }).onConflictDoNothing();
  });
  return { imported: days.length, years };
}

/** Parses the CSV form `date,kind,name,source` (header optional) into rows for importDays. */
export function parseCalendarCsv(text: string): Record<string, string>[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const first = lines[0]?.toLowerCase() ?? '';
  const body = first.startsWith('date,') ? lines.slice(1) : lines;
  return body.map((line) => {
    const [date = '', kind = '', name = '', ...source] = line.split(',');
    return { date, kind, name, source: source.join(',') };
  });
}
