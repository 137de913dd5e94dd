/**
 * Client-side checks with no browser-safe home on the server. Everything the server has as a pure module
 * (phone, region code, credit code, citizen ID, error messages) is imported from it through the
 * @shared alias instead — see ./serverRules.ts.
 */
import { AppError } from '@shared/errors/app-error.ts';

/**
 * Password policy. SOURCE OF TRUTH: src/platform/auth/passwords.ts (PASSWORD_MIN_LENGTH,
 * assertPasswordPolicy). That file also hashes with node:crypto, so the browser cannot import it: this
 * is a copy, keep the two identical. The error (PASSWORD_TOO_WEAK) and its wording are the server's.
 */
export const PASSWORD_MIN_LENGTH = 10;

/** @throws AppError PASSWORD_TOO_WEAK, exactly like the server's assertPasswordPolicy */
export function assertPasswordPolicy(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH || !/[A-Za-z]/.test(password) || !/\d/.test(password) || password.length > 200) {
    throw new AppError('PASSWORD_TOO_WEAK', { params: { min: PASSWORD_MIN_LENGTH } });
  }
}

/** Source of truth: the `username` pattern of POST /api/v1/users in src/modules/orgs/routes.ts (a route schema, not importable). */
export const USERNAME_RE = /^[A-Za-z0-9_.-]{3,40}$/;

/** Source of truth: UNMASK_REASON_MIN in src/platform/pii/unmask.ts (its type imports reach the whole server, so not imported). */
export const UNMASK_REASON_MIN = 4;
