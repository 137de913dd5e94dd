import { sql } from 'drizzle-orm';
import { boolean, check, date, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const calendarDays = pgTable(
  'calendar_days',
  {
    date: date('date', { mode: 'string' }).primaryKey(),
    kind: text('kind').$type<'HOLIDAY' | 'MAKEUP_WORKDAY'>().notNull(),
    name: text('name').notNull(),
    source: text('source').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('calendar_days_kind_check', sql`${t.kind} in ('HOLIDAY','MAKEUP_WORKDAY')`),
    // A make-up working day is always a weekend day (ISO day of week 6 or 7).
    check('calendar_days_makeup_weekend', sql`${t.kind} <> 'MAKEUP_WORKDAY' or extract(isodow from ${t.date}) in (6, 7)`),
    check('calendar_days_name_check', sql`char_length(${t.name}) between 1 and 50`),
    check('calendar_days_source_check', sql`char_length(${t.source}) between 1 and 200`),
  ],
);

export const calendarYears = pgTable(
  'calendar_years',
  {
    year: integer('year').primaryKey(),
    published: boolean('published').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('calendar_years_year_check', sql`${t.year} between 1990 and 2200`)],
);
