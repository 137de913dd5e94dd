import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useHarness, type Session } from '../helpers/app.ts';

const h = useHarness();

let admin: Session;
beforeAll(async () => {
  admin = await h().login('admin');
});

const call = (method: string, url: string, body?: unknown) => h().request(method, url, { session: admin, body });
const code = (res: { json(): unknown }) => (res.json() as { error: { code: string } }).error.code;
const compute = (from: string, amount: string) => call('GET', `/api/v1/calendar/compute?from=${encodeURIComponent(from)}&${amount}`);
const daysOf = async (year: number) => ((await call('GET', `/api/v1/calendar/days?year=${year}`)).json() as { items: { date: string; kind: string }[] }).items;
const tableCounts = async () =>
  (await h().ctx.db.rows<{ days: number; years: number }>(null, sql`select (select count(*) from calendar_days)::int as days, (select count(*) from calendar_years)::int as years`))[0]!;
const errorText = (e: unknown): string => (e instanceof Error ? `${e.message} ${errorText(e.cause)}` : '');

const day = (date: string, kind = 'HOLIDAY', name = '测试假日') => ({ date, kind, name, source: '国办发明电〔2026〕测试' });
/** 2027-01-01 is a Friday. */
const NEW_YEAR_2027 = [day('2027-01-01', 'HOLIDAY', '元旦'), day('2027-02-06', 'MAKEUP_WORKDAY', '春节调休'), day('2027-02-08', 'HOLIDAY', '春节')];
const HOURS = 'segments=09:00-17:00&workingHours=';

describe('calendar API', () => {
  it('is seeded with 2025 and 2026, published, with every official day', async () => {
    const res = await call('GET', '/api/v1/calendar/years');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        { year: 2025, published: true, holidays: 28, makeupWorkdays: 5 },
        { year: 2026, published: true, holidays: 33, makeupWorkdays: 6 },
      ],
    });
  });

  it.each([
    ['2026-02-14', 'MAKEUP_WORKDAY'],
    ['2026-02-17', 'HOLIDAY'],
    ['2026-10-01', 'HOLIDAY'],
    ['2026-10-10', 'MAKEUP_WORKDAY'],
  ])('lists %s as %s in 2026', async (date, kind) => {
    const days = await daysOf(2026);
    expect(days).toHaveLength(39);
    expect(days.find((d) => d.date === date)).toMatchObject({ kind, source: expect.stringContaining('chinese-days') });
  });

  it.each([
    ['2025-09-30T16:00:00+08:00', `${HOURS}2`, '2025-10-09 10:00', 'urban fault before National Day (reference example)'],
    ['2025-09-27T10:00:00+08:00', `${HOURS}2`, '2025-09-28 11:00', 'Saturday opening, Sunday make-up day (reference example)'],
    ['2026-02-14T16:30:00+08:00', `${HOURS}3`, '2026-02-24 11:30', 'make-up Saturday, then Spring Festival'],
    ['2025-09-30T09:30:00Z', `${HOURS}1.5`, '2025-10-09 10:30', 'after closing, given in UTC'],
    ['2025-09-30T16:00:00+08:00', 'workingDays=1', '2025-10-09', 'the next working day skips National Day'],
    ['2025-09-30T16:00:00+08:00', 'workingDays=3', '2025-10-11', 'the third lands on a make-up Saturday'],
    ['2025-09-30T23:30:00Z', 'workingDays=0', '2025-10-09', '07:30 on 1 October in Shanghai rolls forward'],
    ['2025-09-30T16:00:00+08:00', 'calendarDays=5', '2025-10-05', 'calendar days ignore holidays'],
  ])('from %s with %s → %s (%s)', async (from, amount, expected) => {
    const res = await compute(from, amount);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { result: string; resultLocal: string };
    expect(body.resultLocal).toBe(expected);
    if (expected.length > 10) expect(new Date(body.result).getTime()).toBe(new Date(`${expected.replace(' ', 'T')}:00+08:00`).getTime());
  });

  describe('a year without a published notice', () => {
    const into2027: [string, string][] = [
      ['2026-12-31T10:00:00+08:00', 'workingDays=1'],
      ['2026-12-31T10:00:00+08:00', `${HOURS}8`],
    ];
    const expectUnpublished = async () => {
      for (const [from, amount] of into2027) {
        const res = await compute(from, amount);
        expect(res.statusCode, res.body).toBe(409);
        expect(code(res)).toBe('CALENDAR_YEAR_UNPUBLISHED');
      }
    };

    it('fails closed until 2027 is imported and published', async () => {
      await expectUnpublished();
      const imported = await call('POST', '/api/v1/calendar/import', { days: NEW_YEAR_2027 });
      expect(imported.json()).toEqual({ imported: 3, years: [2027] });
      expect((await daysOf(2027)).map((d) => d.date)).toEqual(['2027-01-01', '2027-02-06', '2027-02-08']);
      await expectUnpublished();

      const published = await call('POST', '/api/v1/calendar/years/2027/publish', { published: true });
      expect(published.json()).toEqual({ year: 2027, published: true, holidays: 2, makeupWorkdays: 1 });
      // 1 January 2027 is the imported holiday, then a weekend.
      expect((await compute(into2027[0]![0], into2027[0]![1])).json()).toEqual({ result: '2027-01-04', resultLocal: '2027-01-04' });
      expect((await compute(into2027[1]![0], into2027[1]![1])).json()).toMatchObject({ resultLocal: '2027-01-04 10:00' });
      expect((await compute('2027-02-05T16:00:00+08:00', `${HOURS}2`)).json()).toMatchObject({ resultLocal: '2027-02-06 10:00' });

      expect((await call('POST', '/api/v1/calendar/years/2027/publish', { published: false })).statusCode).toBe(200);
      await expectUnpublished();
      expect((await call('POST', '/api/v1/calendar/years/2027/publish', { published: true })).statusCode).toBe(200);
    });
  });

  it('imports all or nothing, naming every bad row', async () => {
    const before = await tableCounts();
    const res = await call('POST', '/api/v1/calendar/import', {
      days: [
        day('2027-10-01', 'HOLIDAY', '国庆节'),
        day('2027-02-30'),
        day('2027-01-06', 'MAKEUP_WORKDAY', '调休'),
        day('2027-10-01', 'HOLIDAY', '国庆节'),
        day('2027-10-02', 'FESTIVAL'),
        day('2027-10-03', 'HOLIDAY', '国庆节'),
        { kind: 'HOLIDAY', name: '无日期' },
        day('2027-10-04', 'HOLIDAY', ''),
      ],
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as { error: { code: string; details: { rows: { row: number; date: string | null; error: string }[] } } };
    expect(error.code).toBe('CALENDAR_IMPORT_INVALID');
    expect(error.details.rows).toEqual([
      { row: 2, date: '2027-02-30', error: expect.stringContaining('real YYYY-MM-DD') },
      { row: 3, date: '2027-01-06', error: expect.stringContaining('Saturday or Sunday') },
      { row: 4, date: '2027-10-01', error: 'same date as row 1' },
      { row: 5, date: '2027-10-02', error: expect.stringContaining('HOLIDAY or MAKEUP_WORKDAY') },
      { row: 7, date: null, error: expect.stringContaining('real YYYY-MM-DD') },
      { row: 8, date: '2027-10-04', error: expect.stringContaining('name') },
    ]);
    expect(await tableCounts()).toEqual(before);
    expect(await daysOf(2027)).toHaveLength(NEW_YEAR_2027.length);
  });

  it('sets and deletes one day', async () => {
    const body = { kind: 'MAKEUP_WORKDAY', name: '国庆调休', source: '管理员录入' };
    const put = await call('PUT', '/api/v1/calendar/days/2027-09-26', body);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ date: '2027-09-26', ...body });
    expect((await daysOf(2027)).find((d) => d.date === '2027-09-26')).toMatchObject({ kind: 'MAKEUP_WORKDAY' });
    const renamed = await call('PUT', '/api/v1/calendar/days/2027-09-26', { ...body, name: '改名' });
    expect(renamed.json()).toMatchObject({ name: '改名' });
    expect((await daysOf(2027)).filter((d) => d.date === '2027-09-26')).toHaveLength(1);

    expect((await call('DELETE', '/api/v1/calendar/days/2027-09-26')).statusCode).toBe(204);
    expect((await daysOf(2027)).some((d) => d.date === '2027-09-26')).toBe(false);
    const missing = await call('DELETE', '/api/v1/calendar/days/2027-09-26');
    expect(missing.statusCode).toBe(404);
    expect(code(missing)).toBe('NOT_FOUND');
  });

  it.each([
    ['a make-up day on a Wednesday', '2027-01-06', { kind: 'MAKEUP_WORKDAY', name: '调休', source: 's' }, 'CALENDAR_DAY_INVALID'],
    ['a date that does not exist', '2027-02-30', { kind: 'HOLIDAY', name: '假日', source: 's' }, 'CALENDAR_DAY_INVALID'],
    ['an unknown kind', '2027-01-09', { kind: 'FESTIVAL', name: '假日', source: 's' }, 'VALIDATION_FAILED'],
    ['an unknown field', '2027-01-09', { kind: 'HOLIDAY', name: '假日', source: 's', paid: true }, 'VALIDATION_FAILED'],
  ])('refuses %s', async (_, date, body, expected) => {
    const before = await tableCounts();
    const res = await call('PUT', `/api/v1/calendar/days/${date}`, body);
    expect(res.statusCode).toBe(400);
    expect(code(res)).toBe(expected);
    expect(await tableCounts()).toEqual(before);
  });

  it.each([
    ["('2027-01-06', 'MAKEUP_WORKDAY', '调休', 's')", 'calendar_days_makeup_weekend'],
    ["('2027-01-09', 'FESTIVAL', '假日', 's')", 'calendar_days_kind_check'],
    ["('2027-01-09', 'HOLIDAY', '', 's')", 'calendar_days_name_check'],
  ])('the database itself refuses %s', async (values, constraint) => {
    const failure = await h()
      .ctx.db.rows(null, sql.raw(`insert into calendar_days (date, kind, name, source) values ${values}`))
      .then(() => null, (e: unknown) => e);
    expect(errorText(failure)).toContain(constraint);
  });

  it.each([
    ['POST', '/api/v1/calendar/import', { days: NEW_YEAR_2027, publish: true }],
    ['POST', '/api/v1/calendar/years/2027/publish', { published: true, force: true }],
    ['GET', '/api/v1/calendar/compute?from=2025-09-30T16:00:00%2B08:00&workingDays=1&zone=UTC', undefined],
    ['GET', '/api/v1/calendar/days?year=2026&kind=HOLIDAY', undefined],
  ])('refuses unknown fields: %s %s', async (method, url, body) => {
    const res = await call(method, url, body);
    expect(res.statusCode).toBe(400);
    expect(code(res)).toBe('VALIDATION_FAILED');
  });
});
