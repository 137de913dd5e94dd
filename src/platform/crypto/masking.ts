import { checkDigit, isRealDate, isValidProvincePrefix } from '../validators/citizen-id.ts';

/*
 * Masking for display and logs. Lengths are preserved (one star per hidden character) because clerks
 * compare masked values against paper forms. Values of an unexpected shape are hidden completely
 * rather than guessed at.
 */

function stars(n: number): string {
  return '*'.repeat(Math.max(0, n));
}

export function maskIdNumber(id: string): string {
  if (id.length === 18) return id.slice(0, 6) + stars(8) + id.slice(14);
  if (id.length === 15) return id.slice(0, 6) + stars(6) + id.slice(12);
  return stars(id.length);
}

// Separators carry no identity, and keeping them leaves a minority or foreign name recognisable (阿***·***).
const NAME_SEPARATOR = /[\s·•・．.]/u;

export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return stars(chars.length);
  return chars.map((c, i) => (i === 0 || NAME_SEPARATOR.test(c) ? c : '*')).join('');
}

export function maskPhone(phone: string): string {
  if (phone.length < 8) return stars(phone.length);
  return phone.slice(0, 3) + stars(phone.length - 7) + phone.slice(-4);
}

export function maskBankAccount(account: string): string {
  if (account.length < 12) return stars(account.length);
  return account.slice(0, 6) + stars(account.length - 10) + account.slice(-4);
}

export function maskAddress(address: string): string {
  if (address === '') return '';
  return `${[...address].slice(0, 6).join('')}****`;
}

function plausibleBirthDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  return year >= 1900 && year <= 2099 && isRealDate(year, Number(yyyymmdd.slice(4, 6)), Number(yyyymmdd.slice(6, 8)));
}

/**
 * An 18-character run counts as an ID when its check digit is right, and also when only the check
 * digit is wrong but province and birth date look real: a mistyped ID in a validation-failure log
 * line is still someone's ID. Random 18-digit numbers (trace ids, snowflakes) rarely pass either test.
 */
function looksLikeId18(s: string): boolean {
  if (checkDigit(s.slice(0, 17)) === s.slice(17).toUpperCase()) return true;
  return isValidProvincePrefix(s.slice(0, 2)) && plausibleBirthDate(s.slice(6, 14));
}

function looksLikeId15(s: string): boolean {
  return isValidProvincePrefix(s.slice(0, 2)) && plausibleBirthDate(`19${s.slice(6, 12)}`);
}

/*
 * One pass, leftmost match first. Digit runs are matched whole ((?<!\d) … (?!\d)), so a number inside a
 * longer run is never taken for an ID or a phone. A phone may carry a +86 / 0086 / 86 prefix and be
 * written 3-4-4 with one consistent separator. The phone alternative comes before the 15-digit one
 * because 0086 + a mobile is also a 15-digit run.
 */
const SENSITIVE =
  /(?<!\d)(?:(\d{17}[\dXx])|((?:(?:\+|00)?86[ -]?)?)(1[3-9]\d)([ -]?)(\d{4})\4(\d{4})|(\d{15}))(?!\d)/g;

/** Masks citizen IDs and mainland mobile numbers anywhere in free text; applied to every log line. */
export function redactSensitiveText(text: string): string {
  return text.replace(
    SENSITIVE,
    (whole, id18?: string, prefix?: string, head?: string, sep?: string, middle?: string, tail?: string, id15?: string) => {
      if (id18 !== undefined) return looksLikeId18(id18) ? maskIdNumber(id18) : whole;
      if (id15 !== undefined) return looksLikeId15(id15) ? maskIdNumber(id15) : whole;
      return `${prefix ?? ''}${head ?? ''}${sep ?? ''}${stars(middle?.length ?? 4)}${sep ?? ''}${tail ?? ''}`;
    },
  );
}
