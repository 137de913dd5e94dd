import { timingSafeEqual } from 'node:crypto';
import { hmacSm3 } from '../../../platform/crypto/sm.ts';
import { AppError } from '../../../platform/errors/app-error.ts';

/**
 * Request signing for the HTTP SMS provider, both ways (our submits, its callbacks): HMAC-SM3 with the
 * shared secret over `timestamp + "." + body`, hex, in X-Sms-Signature; the timestamp (Unix
 * milliseconds) in X-Sms-Timestamp. Signing the timestamp with the body is what makes the replay window
 * hold: an old request cannot be sent again with a fresh timestamp.
 */
export const SIGNATURE_HEADER = 'x-sms-signature';
export const TIMESTAMP_HEADER = 'x-sms-timestamp';
export const ACCOUNT_HEADER = 'x-sms-account';

/** How far a callback's timestamp may be from our clock, either way. */
export const REPLAY_WINDOW_MS = 5 * 60_000;

export function signBody(secret: string, timestamp: number, body: string): string {
  return hmacSm3(Buffer.from(secret, 'utf8'), `${timestamp}.${body}`).toString('hex');
}

/** The headers of a signed request, at `now`. */
export function signedHeaders(secret: string, body: string, now: number): Record<string, string> {
  return { [TIMESTAMP_HEADER]: String(now), [SIGNATURE_HEADER]: signBody(secret, now, body) };
}

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks the signature and the timestamp of a signed request; throws SMS_CALLBACK_SIGNATURE_INVALID or
 * SMS_CALLBACK_EXPIRED. `body` must be the exact bytes received, before any JSON parsing.
 */
export function verifySignature(headers: Headers, body: string, secret: string, now: number, windowMs = REPLAY_WINDOW_MS): void {
  const timestampText = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (!timestampText || !/^\d{1,16}$/.test(timestampText) || !signature || !/^[0-9a-f]{64}$/i.test(signature)) {
    throw new AppError('SMS_CALLBACK_SIGNATURE_INVALID');
  }
  const timestamp = Number(timestampText);
  const expected = Buffer.from(signBody(secret, timestamp, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw new AppError('SMS_CALLBACK_SIGNATURE_INVALID');
  if (Math.abs(now - timestamp) > windowMs) throw new AppError('SMS_CALLBACK_EXPIRED', { params: { windowSeconds: Math.round(windowMs / 1000) } });
}
