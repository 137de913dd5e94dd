import { AppError } from '../errors/app-error.ts';

const MOBILE = /^1[3-9]\d{9}$/;

/**
 * Mainland mobile number → its 11 digits. Carrier prefixes are deliberately not checked: new
 * ranges (e.g. 19x, 16x) keep appearing, so anything 1[3-9] plus nine digits is accepted.
 * @throws AppError PHONE_INVALID
 */
export function normaliseMobile(input: string): string {
  const compact = input.replace(/[\s-]/g, '');
  // Only a country code in front of a full number is stripped; "86…" alone could be part of the number.
  const national = compact.replace(/^(?:\+86|0086|86)(?=\d{11}$)/, '');
  if (!MOBILE.test(national)) throw new AppError('PHONE_INVALID');
  return national;
}
