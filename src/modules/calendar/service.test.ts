import { describe, expect, it } from 'vitest';
import { parseCalendarCsv } from './service.ts';

const row = (date: string, kind: string, name: string, source: string) => ({ date, kind, name, source });

describe('parseCalendarCsv', () => {
  it.each([
    ['with a header', 'date,kind,name,source\n2027-01-01,HOLIDAY,元旦,国办发明电〔2026〕1号\n', [row('2027-01-01', 'HOLIDAY', '元旦', '国办发明电〔2026〕1号')]],
    ['without a header', '2027-01-01,HOLIDAY,元旦,notice', [row('2027-01-01', 'HOLIDAY', '元旦', 'notice')]],
    ['a header in capitals', 'DATE,KIND,NAME,SOURCE\n2027-01-01,HOLIDAY,元旦,s', [row('2027-01-01', 'HOLIDAY', '元旦', 's')]],
    ['a BOM, CRLF and blank lines', '\uFEFFdate,kind,name,source\r\n\r\n2027-01-01,HOLIDAY,元旦,s\r\n  \r\n2027-02-06,MAKEUP_WORKDAY,春节调休,s\r\n', [row('2027-01-01', 'HOLIDAY', '元旦', 's'), row('2027-02-06', 'MAKEUP_WORKDAY', '春节调休', 's')]],
    ['commas inside the source', '2027-01-01,HOLIDAY,元旦,notice, part 2, part 3', [row('2027-01-01', 'HOLIDAY', '元旦', 'notice, part 2, part 3')]],
    ['missing trailing fields', '2027-01-01,HOLIDAY\n2027-01-02', [row('2027-01-01', 'HOLIDAY', '', ''), row('2027-01-02', '', '', '')]],
    ['an empty file', '', []],
    ['only a header', 'date,kind,name,source\n', []],
  ])('%s', (_, text, expected) => {
    expect(parseCalendarCsv(text)).toEqual(expected);
  });

  it('keeps one row per non-blank line, so import errors can name the line', () => {
    const rows = parseCalendarCsv('date,kind,name,source\n2027-01-01,HOLIDAY,元旦,s\nnot a date,HOLIDAY,x,s\n2027-01-03,HOLIDAY,x,s');
    expect(rows.map((r) => r.date)).toEqual(['2027-01-01', 'not a date', '2027-01-03']);
  });
});
