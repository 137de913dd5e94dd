import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';

// scrypt is memory-hard and built into Node: N=2^15, r=8 needs 32 MiB per hash.
const PARAMS = { N: 1 << 15, r: 8, p: 1 };
const KEY_LEN = 32;
const MAXMEM = 64 * 1024 * 1024;
export const PASSWORD_MIN_LENGTH = 10;

function scryptAsync(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, { ...PARAMS, maxmem: MAXMEM });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scryptAsync(password, Buffer.from(saltB64, 'base64'), { N: Number(n), r: Number(r), p: Number(p), maxmem: MAXMEM });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Spends the same time as a real check, so unknown user names cannot be told from wrong passwords. */
let dummyHash: Promise<string> | null = null;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('cardflow-dummy-password-0');
  await verifyPassword(password, await dummyHash);
}

/**
 * Passwords (and their stems: what is left once trailing digits and symbols are dropped) that are first
 * in every guessing list. Small on purpose: the account lock and the rate limits stop online guessing,
 * this stops the guesses that would succeed within those few tries.
 */
const COMMON_PASSWORDS = new Set([
  'password', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'password1', 'qwerty', 'qwertyuiop', 'asdfgh', 'asdfghjkl', 'zxcvbnm',
  'qazwsx', '1qaz2wsx', '1q2w3e4r', '1q2w3e4r5t', 'qwe', 'qwe123', '123qwe', 'abc', 'abcd', 'abcdef', 'abc123', 'abcd1234',
  'a1b2c3d4', 'aa123456', 'a123456789', 'letmein', 'welcome', 'admin', 'administrator', 'root', 'iloveyou', 'woaini',
  'monkey', 'dragon', 'football', 'baseball', 'sunshine', 'princess', 'master', 'superman', 'trustno', 'trustno1',
  'changeme', 'default', 'test', 'testing', 'cardflow', 'shehui', 'juzhu', 'zhongguo', 'china', 'beijing',
]);

/** What the policy finds wrong with a password, or null if it is acceptable. */
export function passwordProblem(password: string, username?: string): 'PASSWORD_TOO_WEAK' | 'PASSWORD_CONTAINS_USERNAME' | 'PASSWORD_TOO_COMMON' | null {
  if (password.length < PASSWORD_MIN_LENGTH || !/[A-Za-z]/.test(password) || !/\d/.test(password) || password.length > 200) return 'PASSWORD_TOO_WEAK';
  const lowered = password.normalize('NFKC').toLowerCase();
  const name = username?.normalize('NFKC').toLowerCase() ?? '';
  // "alice2024!" is the user name plus decoration: what remains without the name must be a password on its own.
  if (name.length >= 3 && lowered.includes(name) && lowered.split(name).join('').length < 6) return 'PASSWORD_CONTAINS_USERNAME';
  const stem = lowered.replace(/[^a-z]+$/, '');
  if (COMMON_PASSWORDS.has(lowered) || COMMON_PASSWORDS.has(stem) || COMMON_PASSWORDS.has(stem.replace(/^[^a-z]+/, ''))) return 'PASSWORD_TOO_COMMON';
  return null;
}

export function assertPasswordPolicy(password: string, username?: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new AppError(problem, { params: { min: PASSWORD_MIN_LENGTH } });
}

/** A random password that passes the policy, for the first admin and resets from the CLI. */
export function randomPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out.slice(0, 14)}${(bytes[0]! % 10).toString()}a`;
}
