import { AppError } from '../errors/app-error.ts';

export interface CitizenId {
  /** 18 characters, upper-case X */
  id: string;
  /** six digits, e.g. 110000 */
  provinceCode: string;
  /** the six-digit county code at first registration; may be obsolete, so it is not checked against GB/T 2260 */
  regionCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F';
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
  71, 81, 82, 83,
]);

/** ISO 7064 MOD 11-2 over the first 17 digits (GB 11643-1999). */
export function checkDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new AppError('ID_FORMAT_INVALID', { details: { reason: 'checkDigit needs 17 digits' } });
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

/** 15-digit numbers issued before 1999: every holder was born in the 1900s, hence the fixed "19". */
export function convertLegacyId(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new AppError('ID_FORMAT_INVALID', { details: { reason: 'legacy numbers have 15 digits' } });
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + checkDigit(first17);
}

export function isValidProvincePrefix(twoDigits: string): boolean {
  return /^\d{2}$/.test(twoDigits) && PROVINCES.has(Number(twoDigits));
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one; UTC avoids any time-zone shift.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// Building a DateTimeFormat costs ~100 µs, which dominated bulk imports when done per ID number.
const SHANGHAI_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

export function shanghaiToday(now: Date = new Date()): string {
  return SHANGHAI_DATE.format(now);
}

/**
 * Normalises and validates a citizen ID number; legacy 15-digit numbers come back as 18.
 * `today` (YYYY-MM-DD) bounds the birth date; it defaults to the current date in Asia/Shanghai.
 * @throws AppError ID_FORMAT_INVALID, ID_PROVINCE_INVALID, ID_BIRTHDATE_INVALID, ID_CHECKSUM_INVALID
 */
export function parseCitizenId(input: string, options: { today?: string } = {}): CitizenId {
  const trimmed = input.trim().toUpperCase();
  let id: string;
  if (/^\d{15}$/.test(trimmed)) id = convertLegacyId(trimmed);
  else if (/^\d{17}[\dX]$/.test(trimmed)) id = trimmed;
  else throw new AppError('ID_FORMAT_INVALID');

  if (!isValidProvincePrefix(id.slice(0, 2))) throw new AppError('ID_PROVINCE_INVALID');

  const [year, month, day] = [id.slice(6, 10), id.slice(10, 12), id.slice(12, 14)];
  const birthDate = `${year}-${month}-${day}`;
  const today = options.today ?? shanghaiToday();
  if (!isRealDate(Number(year), Number(month), Number(day)) || birthDate < '1900-01-01' || birthDate > today) {
    throw new AppError('ID_BIRTHDATE_INVALID');
  }

  if (checkDigit(id.slice(0, 17)) !== id[17]) throw new AppError('ID_CHECKSUM_INVALID');

  return {
    id,
    provinceCode: `${id.slice(0, 2)}0000`,
    regionCode: id.slice(0, 6),
    birthDate,
    sex: Number(id[16]) % 2 === 1 ? 'M' : 'F',
  };
}
