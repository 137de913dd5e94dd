import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCreditCode } from './credit-code.ts';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('checkCreditCode', () => {
  it('accepts a real code in both modes, normalising case and spaces', () => {
    expect(checkCreditCode('91440300708461136T', 'entry')).toEqual({ code: '91440300708461136T', valid: true });
    expect(checkCreditCode(' 91440300708461136t ', 'registry')).toEqual({ code: '91440300708461136T', valid: true });
  });

  it('rejects the Fujian pilot code on entry but keeps it with a warning from a registry', () => {
    expect(() => checkCreditCode('91350100M0001TGQXM', 'entry')).toThrow(expect.objectContaining({ code: 'CREDIT_CODE_INVALID' }));
    const result = checkCreditCode('91350100M0001TGQXM', 'registry');
    expect(result.valid).toBe(false);
    expect(result.warning).toMatch(/check character is M, expected/);
  });

  it.each([
    ['9144030070846113', /18 characters/],
    ['91440300708461136I', /character 18 \(I\) is not allowed/],
    ['O1440300708461136T', /character 1 \(O\)/],
    ['91440300708461137T', /check character is T/],
  ])('explains why %s fails', (code, reason) => {
    expect(checkCreditCode(code, 'registry').warning).toMatch(reason);
    expect(() => checkCreditCode(code, 'entry')).toThrow(expect.objectContaining({ code: 'CREDIT_CODE_INVALID', details: { reason: expect.stringMatching(reason) } }));
  });

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(fc.nat({ max: 17 }), fc.integer({ min: 1, max: 30 }), (pos, delta) => {
        const code = '91440300708461136T';
        const changed = CHARSET[(CHARSET.indexOf(code[pos]!) + delta) % 31]!;
        const mutated = code.slice(0, pos) + changed + code.slice(pos + 1);
        expect(checkCreditCode(mutated, 'registry').valid).toBe(false);
      }),
    );
  });
});
