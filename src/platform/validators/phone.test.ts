import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../errors/app-error.ts';
import { normaliseMobile } from './phone.ts';

describe('normaliseMobile', () => {
  it.each([
    ['13812348000', '13812348000'],
    ['+86 138 1234 8000', '13812348000'],
    ['+86-138-1234-8000', '13812348000'],
    ['008613812348000', '13812348000'],
    ['8613812348000', '13812348000'],
    [' 199-0000-1111 ', '19900001111'],
    ['16612345678', '16612345678'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseMobile(input)).toBe(expected);
  });

  it.each(['', '1381234800', '138123480001', '12812348000', '23812348000', '+8612812348000', '+85291234567', '138l2348000', '+86+8613812348000'])(
    'rejects %s',
    (input) => {
      expect(() => normaliseMobile(input)).toThrow(AppError);
      expect(() => normaliseMobile(input)).toThrow(expect.objectContaining({ code: 'PHONE_INVALID' }));
    },
  );

  const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
  const mobile = fc.tuple(fc.constantFrom(...'3456789'), digits(9)).map(([second, rest]) => `1${second}${rest}`);

  it('recovers the number from any mix of country code, spaces and dashes', () => {
    fc.assert(
      fc.property(mobile, fc.constantFrom('', '+86', '0086', '86'), fc.array(fc.constantFrom(' ', '-', '\t'), { maxLength: 12 }), fc.array(fc.nat({ max: 14 }), { maxLength: 12 }), (m, cc, seps, positions) => {
        const chars = [...cc + m];
        positions.forEach((p, i) => chars.splice(Math.min(p, chars.length), 0, seps[i] ?? ''));
        expect(normaliseMobile(chars.join(''))).toBe(m);
      }),
    );
  });
});
