import { AppError } from '../errors/app-error.ts';

// GB 32100-2015: I, O, S, V and Z are left out so they cannot be confused with 1, 0, 5, U and 2.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export interface CreditCodeCheck {
  /** trimmed, upper case */
  code: string;
  valid: boolean;
  /** why the code failed; set only in registry mode */
  warning?: string;
}

function problem(code: string): string | null {
  if (code.length !== 18) return `must have 18 characters, has ${code.length}`;
  const values = [...code].map((c) => CHARSET.indexOf(c));
  const bad = values.findIndex((v) => v < 0);
  if (bad >= 0) return `character ${bad + 1} (${code[bad]}) is not allowed`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (values[i] ?? 0) * (WEIGHTS[i] ?? 0);
  const expected = CHARSET[(31 - (sum % 31)) % 31];
  return expected === code[17] ? null : `check character is ${code[17]}, expected ${expected}`;
}

/**
 * Unified social credit code check. `entry` is for codes typed in by people and throws; `registry`
 * is for codes coming from official registers, where some early pilot codes (e.g. Fujian
 * 91350100M0001TGQXM) genuinely fail the check but are real, so they are kept with a warning.
 * @throws AppError CREDIT_CODE_INVALID (entry mode only)
 */
export function checkCreditCode(code: string, mode: 'entry' | 'registry'): CreditCodeCheck {
  const normalised = code.trim().toUpperCase();
  const reason = problem(normalised);
  if (reason === null) return { code: normalised, valid: true };
  if (mode === 'entry') throw new AppError('CREDIT_CODE_INVALID', { details: { reason } });
  return { code: normalised, valid: false, warning: reason };
}
