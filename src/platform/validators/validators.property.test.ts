import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { checkDigit, convertLegacyId, parseCitizenId } from './citizen-id.ts';
import { normaliseMobile } from './phone.ts';

const TODAY = '2026-12-02';
const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const province = fc.constantFrom('11', '12', '13', '31', '32', '44', '46', '50', '65', '71', '81', '82', '83');
// Legacy 15-digit numbers: region (6), YYMMDD of a 1900s birth date, sequence (3).
const legacy = fc
  .tuple(province, digits(4), fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('1999-12-31T00:00:00Z'), noInvalidDate: true }), digits(3))
  .map(([p, r, d, seq]) => p + r + d.toISOString().slice(2, 10).replaceAll('-', '') + seq);

describe('citizen ID check digit and 15 → 18 conversion (properties)', () => {
  it('the check digit makes the ISO 7064 MOD 11-2 sum of all 18 characters ≡ 1', () => {
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    fc.assert(
      fc.property(digits(17), (first17) => {
        const c = checkDigit(first17);
        const value = c === 'X' ? 10 : Number(c);
        const sum = [...first17].reduce((a, d, i) => a + Number(d) * weights[i]!, 0);
        expect((sum + value) % 11).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('a converted legacy number inserts "19", ends in its check digit, parses, and gives the 15 digits back', () => {
    fc.assert(
      fc.property(legacy, (id15) => {
        const id18 = convertLegacyId(id15);
        expect(id18).toHaveLength(18);
        expect(id18.slice(0, 6) + id18.slice(8, 17)).toBe(id15);
        expect(id18.slice(6, 8)).toBe('19');
        expect(id18[17]).toBe(checkDigit(id18.slice(0, 17)));
        const parsed = parseCitizenId(id15, { today: TODAY });
        expect(parsed.id).toBe(id18);
        expect(parseCitizenId(id18, { today: TODAY })).toEqual(parsed);
      }),
      { numRuns: 300 },
    );
  });

  it('any text either parses to a valid 18-character ID or is refused with an AppError, never anything else', () => {
    const text = fc.oneof(fc.string({ maxLength: 25 }), digits(15), digits(18), fc.string({ unit: fc.constantFrom(...'0123456789Xx -'), maxLength: 20 }));
    fc.assert(
      fc.property(text, (input) => {
        try {
          const { id } = parseCitizenId(input, { today: TODAY });
          expect(id).toMatch(/^\d{17}[\dX]$/);
          expect(id[17]).toBe(checkDigit(id.slice(0, 17)));
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('mobile numbers (properties)', () => {
  it('normalising is idempotent and always yields 1[3-9] + 9 digits, or PHONE_INVALID', () => {
    const text = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: fc.constantFrom(...'+0123456789 -'), maxLength: 18 }));
    fc.assert(
      fc.property(text, (input) => {
        let out: string;
        try {
          out = normaliseMobile(input);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe('PHONE_INVALID');
          return;
        }
        expect(out).toMatch(/^1[3-9]\d{9}$/);
        expect(normaliseMobile(out)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });
});
