import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkDigit } from '../validators/citizen-id.ts';
import { maskAddress, maskBankAccount, maskIdNumber, maskName, maskPhone, redactSensitiveText } from './masking.ts';

describe('masks for display', () => {
  it('citizen IDs keep the first 6 and the last 4 (3 for legacy numbers)', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('110105491231002')).toBe('110105******002');
    expect(maskIdNumber('12345')).toBe('*****');
  });

  it('names keep the first character and any separator dots', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('阿卜杜拉·买买提')).toBe('阿***·***');
    expect(maskName('John Smith')).toBe('J*** *****');
    expect(maskName('𠀀𠀁')).toBe('𠀀*');
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('');
  });

  it('phones keep 3 + 4, bank accounts 6 + 4', () => {
    expect(maskPhone('13812348000')).toBe('138****8000');
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskBankAccount('6222021234567890123')).toBe('622202*********0123');
    expect(maskBankAccount('6222021234567890')).toBe('622202******7890');
    expect(maskBankAccount('12345678')).toBe('********');
  });

  it('addresses keep six characters', () => {
    expect(maskAddress('上海市浦东新区世纪大道100号')).toBe('上海市浦东新****');
    expect(maskAddress('')).toBe('');
  });
});

describe('redactSensitiveText', () => {
  it('masks IDs and mobiles inside log lines', () => {
    expect(redactSensitiveText('apply id=11010519491231002X phone:13812348000.')).toBe(
      'apply id=110105********002X phone:138****8000.',
    );
    expect(redactSensitiveText('legacy 110105491231002 ok')).toBe('legacy 110105******002 ok');
    expect(redactSensitiveText('lower 11010519491231002x')).toBe('lower 110105********002x');
  });

  it('masks mobiles written with a country code or in 3-4-4 groups', () => {
    expect(redactSensitiveText('+8613812348000 008613812348000 86 138-1234-8000 138 1234 8000')).toBe(
      '+86138****8000 0086138****8000 86 138-****-8000 138 **** 8000',
    );
  });

  it('masks an ID whose check digit is wrong when it still looks like an ID', () => {
    expect(redactSensitiveText('ID_CHECKSUM_INVALID 110101199003070012')).toBe('ID_CHECKSUM_INVALID 110101********0012');
  });

  it('leaves digits alone that are not IDs or phones, or belong to longer runs', () => {
    const untouched = [
      'order 123456789012345678 done', // 18 digits, bad check digit, no real birth date
      'ts 1700000000000', // 13-digit epoch millis
      'card 6222021381234800012', // a phone-shaped run inside a longer number
      'seq 12812348000', // 12 is not a mobile prefix
      'amount 999999999999999', // 15 digits without a province prefix
    ];
    for (const line of untouched) expect(redactSensitiveText(line)).toBe(line);
  });

  const province = fc.constantFrom('11', '31', '44', '51', '65', '71', '81', '83');
  const date = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true });
  const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
  const id18 = fc.tuple(province, digits(4), date, digits(3)).map(([p, r, d, s]) => {
    const first17 = p + r + d.toISOString().slice(0, 10).replaceAll('-', '') + s;
    return first17 + checkDigit(first17);
  });
  const id15 = fc
    .tuple(province, digits(4), fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('1999-12-31T00:00:00Z'), noInvalidDate: true }), digits(3))
    .map(([p, r, d, s]) => p + r + d.toISOString().slice(2, 10).replaceAll('-', '') + s);
  const mobile = fc.tuple(fc.constantFrom(...'3456789'), digits(9)).map(([second, rest]) => `1${second}${rest}`);
  const countryCode = fc.constantFrom('', '+86', '0086', '86', '+86 ', '0086-');
  // Whatever surrounds a value, the characters touching it are not digits (else it is part of a longer number).
  const edge = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !/\d/.test(c));

  it('never lets a full ID or mobile through, whatever text surrounds it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string(), edge, countryCode, fc.oneof(id18, id15, mobile), edge), { minLength: 1, maxLength: 5 }),
        fc.string(),
        (pieces, end) => {
          const text = pieces.map(([before, l, cc, value, r]) => before + l + (/^1[3-9]/.test(value) ? cc : '') + value + r).join('') + end;
          const out = redactSensitiveText(text);
          for (const [, , , value] of pieces) expect(out).not.toContain(value);
        },
      ),
      { numRuns: 500 },
    );
  });
});
