import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, csvField, csvRecords, ndjsonLines, parseCsv } from './csv.ts';

async function* pieces(parts: (string | Buffer)[]) {
  for (const p of parts) yield p;
}

describe('streamed CSV', () => {
  it('gives the same records however the text is cut into pieces', () => {
    const field = fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r', ' ', 'x'), maxLength: 6 });
    const table = fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), (rows, cuts, eol) => {
        const text = rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join(eol) + eol;
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const p = new CsvParser();
        const got = [];
        let from = 0;
        for (const at of points) {
          got.push(...p.push(text.slice(from, at)));
          from = at;
        }
        got.push(...p.push(text.slice(from)), ...p.end());
        expect(got).toEqual(parseCsv(text));
        expect(got.map((r) => r.fields)).toEqual(rows);
      }),
    );
  });

  it('decodes UTF-8 split inside a character and drops the BOM', async () => {
    const bytes = Buffer.from('\uFEFFname,city\n张三,"常州, 武进"\n', 'utf8');
    const out = [];
    for await (const r of csvRecords(pieces([bytes.subarray(0, 5), bytes.subarray(5, 14), bytes.subarray(14)]))) out.push(r);
    expect(out).toEqual([
      { line: 1, fields: ['name', 'city'] },
      { line: 2, fields: ['张三', '常州, 武进'] },
    ]);
  });

  it('reads NDJSON lines with their numbers, skipping blank ones', async () => {
    const out = [];
    for await (const l of ndjsonLines(pieces(['{"a":1}\r\n\n{"b"', ':2}\n{"c":3}']))) out.push(l);
    expect(out).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 3, text: '{"b":2}' },
      { line: 4, text: '{"c":3}' },
    ]);
  });

  it('neutralises spreadsheet formulas in exported fields', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('a,b')).toBe('"a,b"');
  });
});
