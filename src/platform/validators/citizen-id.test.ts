import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../errors/app-error.ts';
import { checkDigit, convertLegacyId, parseCitizenId, shanghaiToday } from './citizen-id.ts';

const TODAY = '2026-11-21';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : `not an AppError: ${String(e)}`;
  }
  return undefined;
}

describe('parseCitizenId: the verified table (domain.md §3)', () => {
  it.each([
    ['11010519491231002X', 'X', 'F', '1949-12-31'],
    ['110101199003070011', '1', 'M', '1990-03-07'],
    ['440304198508151230', '0', 'M', '1985-08-15'],
    ['310115199202294531', '1', 'M', '1992-02-29'],
    ['510107197801018887', '7', 'F', '1978-01-01'],
  ])('%s is valid (check %s, sex %s)', (id, check, sex, birthDate) => {
    expect(checkDigit(id.slice(0, 17))).toBe(check);
    expect(parseCitizenId(id, { today: TODAY })).toEqual({
      id,
      provinceCode: `${id.slice(0, 2)}0000`,
      regionCode: id.slice(0, 6),
      birthDate,
      sex,
    });
  });

  it.each(['110101199003070012', '44030419850815123X'])('%s fails its check digit', (id) => {
    expect(codeOf(() => parseCitizenId(id, { today: TODAY }))).toBe('ID_CHECKSUM_INVALID');
  });
});

describe('parseCitizenId: normalisation', () => {
  it('trims and upper-cases x', () => {
    expect(parseCitizenId('  11010519491231002x\n', { today: TODAY }).id).toBe('11010519491231002X');
  });

  it('converts legacy 15-digit numbers', () => {
    expect(convertLegacyId('110105491231002')).toBe('11010519491231002X');
    expect(parseCitizenId('110105491231002', { today: TODAY })).toMatchObject({ id: '11010519491231002X', birthDate: '1949-12-31', sex: 'F' });
  });

  it('keeps obsolete county codes, checking only the province', () => {
    const first17 = '31010319800101001';
    expect(parseCitizenId(first17 + checkDigit(first17), { today: TODAY }).regionCode).toBe('310103');
  });
});

describe('parseCitizenId: rejections', () => {
  const withCheck = (first17: string) => first17 + checkDigit(first17);
  it.each([
    ['', 'ID_FORMAT_INVALID'],
    ['1101051949123100', 'ID_FORMAT_INVALID'],
    ['11010519491231002Y', 'ID_FORMAT_INVALID'],
    ['1101051949123100X2', 'ID_FORMAT_INVALID'],
    ['110105 19491231002X', 'ID_FORMAT_INVALID'],
    ['1101051949123100２X', 'ID_FORMAT_INVALID'],
    [withCheck('10010519491231002'), 'ID_PROVINCE_INVALID'],
    [withCheck('24010519491231002'), 'ID_PROVINCE_INVALID'],
    [withCheck('72010519491231002'), 'ID_PROVINCE_INVALID'],
    [withCheck('84010519491231002'), 'ID_PROVINCE_INVALID'],
    [withCheck('11010519930229002'), 'ID_BIRTHDATE_INVALID'], // not a leap year
    [withCheck('11010519901301002'), 'ID_BIRTHDATE_INVALID'],
    [withCheck('11010519900431002'), 'ID_BIRTHDATE_INVALID'],
    [withCheck('11010519900100002'), 'ID_BIRTHDATE_INVALID'],
    [withCheck('11010518991231002'), 'ID_BIRTHDATE_INVALID'],
    [withCheck('11010520261122002'), 'ID_BIRTHDATE_INVALID'], // tomorrow
  ])('%s → %s', (id, code) => {
    expect(codeOf(() => parseCitizenId(id, { today: TODAY }))).toBe(code);
  });

  it('accepts a birth date of today and 1900-01-01', () => {
    expect(parseCitizenId(withCheck('11010520261121002'), { today: TODAY }).birthDate).toBe(TODAY);
    expect(parseCitizenId(withCheck('11010519000101002'), { today: TODAY }).birthDate).toBe('1900-01-01');
  });

  it('accepts 2000-02-29 and every listed province prefix', () => {
    expect(parseCitizenId(withCheck('11010520000229002'), { today: TODAY }).birthDate).toBe('2000-02-29');
    for (const p of ['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82', '83']) {
      expect(parseCitizenId(withCheck(`${p}010519491231002`), { today: TODAY }).provinceCode).toBe(`${p}0000`);
    }
  });

  it('defaults today to the Shanghai date', () => {
    expect(shanghaiToday(new Date('2026-11-21T16:30:00Z'))).toBe('2026-11-22');
    const tomorrowInShanghai = shanghaiToday(new Date(Date.now() + 86_400_000)).replaceAll('-', '');
    expect(codeOf(() => parseCitizenId(withCheck(`110105${tomorrowInShanghai}002`)))).toBe('ID_BIRTHDATE_INVALID');
    const todayInShanghai = shanghaiToday().replaceAll('-', '');
    expect(parseCitizenId(withCheck(`110105${todayInShanghai}002`)).id).toHaveLength(18);
  });
});

describe('parseCitizenId: properties', () => {
  const province = fc.constantFrom('11', '12', '13', '31', '44', '46', '50', '65', '71', '81', '82', '83');
  const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
  const birth = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true });
  const validId = fc.tuple(province, digits(4), birth, digits(3)).map(([p, r, d, seq]) => {
    const first17 = p + r + d.toISOString().slice(0, 10).replaceAll('-', '') + seq;
    return first17 + checkDigit(first17);
  });

  it('accepts every well-formed ID and reads sex from the sequence digit', () => {
    fc.assert(
      fc.property(validId, (id) => {
        const parsed = parseCitizenId(id, { today: TODAY });
        expect(parsed.id).toBe(id);
        expect(parsed.sex).toBe(Number(id[16]) % 2 === 1 ? 'M' : 'F');
      }),
    );
  });

  it('rejects every single changed character', () => {
    fc.assert(
      fc.property(validId, fc.nat({ max: 17 }), fc.integer({ min: 1, max: 10 }), (id, pos, delta) => {
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        const old = alphabet.indexOf(id[pos]!);
        const changed = alphabet[(old + delta) % alphabet.length]!;
        fc.pre(changed !== id[pos]);
        const mutated = id.slice(0, pos) + changed + id.slice(pos + 1);
        const code = codeOf(() => parseCitizenId(mutated, { today: TODAY }));
        // The province and date checks may catch it first; the sequence and check positions only have the checksum.
        if (pos >= 14) expect(code).toBe('ID_CHECKSUM_INVALID');
        else expect(['ID_PROVINCE_INVALID', 'ID_BIRTHDATE_INVALID', 'ID_CHECKSUM_INVALID']).toContain(code);
      }),
      { numRuns: 500 },
    );
  });
});
