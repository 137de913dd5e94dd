/** Client-side checks mirroring the server's, so most mistakes are caught before a round trip. */
export const PASSWORD_MIN_LENGTH = 10;
export const USERNAME_RE = /^[A-Za-z0-9_.-]{3,40}$/;
export const UNMASK_REASON_MIN = 4;

export function passwordOk(p: string | undefined): boolean {
  return !!p && p.length >= PASSWORD_MIN_LENGTH && p.length <= 200 && /[A-Za-z]/.test(p) && /\d/.test(p);
}

/** Mainland mobile number; +86, spaces and dashes are allowed (the server normalises them). */
export function phoneOk(p: string | undefined): boolean {
  if (!p) return true;
  const digits = p.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  return /^1[3-9]\d{9}$/.test(digits);
}
