/** Bank account (card) numbers: what the API, imports and the console all check the same way. */

/** The Luhn (mod 10) check used by bank card numbers (ISO/IEC 7812). */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The check digit that makes `body` + digit pass the Luhn check (for fixtures and tests). */
export function luhnCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${body}${d}`)) return String(d);
  throw new Error('unreachable: one of ten digits always passes');
}

/**
 * A bank account (card) number as banks print it: 16 to 19 digits passing the Luhn check. Spaces and
 * dashes people type between groups are dropped first.
 */
export function normaliseBankAccount(raw: string): { value: string } | { code: 'BANK_ACCOUNT_INVALID' } {
  const value = raw.replace(/[\s-]/g, '');
  if (!/^[0-9]{16,19}$/.test(value) || !luhnValid(value)) return { code: 'BANK_ACCOUNT_INVALID' };
  return { value };
}

/** Only the last four digits stay readable: enough for a clerk to confirm with the holder. */
export function maskAccountLast4(account: string): string {
  return '*'.repeat(Math.max(0, account.length - 4)) + account.slice(-4);
}
