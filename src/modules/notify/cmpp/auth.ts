import { createHash, timingSafeEqual } from 'node:crypto';
import { fieldError } from './bytes.ts';
import type { CmppVersion } from './commands.ts';

/** China has no daylight saving time, so Beijing time is UTC+8 all year. */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * The CONNECT Timestamp: Beijing wall time MMDDHHMMSS. On the wire it is the 4-byte integer with that
 * decimal value; inside the MD5 it is the 10-character string, so January keeps its leading zero.
 */
export function cmppTimestamp(at: Date): { text: string; value: number } {
  const t = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  const text = `${two(t.getUTCMonth() + 1)}${two(t.getUTCDate())}${two(t.getUTCHours())}${two(t.getUTCMinutes())}${two(t.getUTCSeconds())}`;
  return { text, value: Number(text) };
}

/** The MD5 text form of a Timestamp read from the wire. */
export function timestampText(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 1231235959) throw fieldError('Timestamp', 'not an MMDDHHMMSS value');
  return String(value).padStart(10, '0');
}

/** AuthenticatorSource = MD5(Source_Addr + 9 zero bytes + shared secret + Timestamp "MMDDHHMMSS"). */
export function authenticatorSource(sourceAddr: string, sharedSecret: string, timestamp: string): Buffer {
  if (!/^\d{10}$/.test(timestamp)) throw fieldError('Timestamp', 'must be 10 digits MMDDHHMMSS');
  return createHash('md5')
    .update(Buffer.from(sourceAddr, 'latin1'))
    .update(Buffer.alloc(9))
    .update(Buffer.from(sharedSecret, 'utf8'))
    .update(Buffer.from(timestamp, 'latin1'))
    .digest();
}

/**
 * AuthenticatorISMG = MD5(Status + AuthenticatorSource + shared secret), with Status in its wire width:
 * one byte in CMPP 2.0, four bytes (big-endian) in 3.0.
 */
export function authenticatorIsmg(version: CmppVersion, status: number, source: Uint8Array, sharedSecret: string): Buffer {
  const max = version === 0x20 ? 0xff : 0xffff_ffff;
  if (!Number.isInteger(status) || status < 0 || status > max) throw fieldError('Status', `must be an integer 0–${max}`);
  const statusBytes = version === 0x20 ? Buffer.of(status) : Buffer.alloc(4);
  if (version === 0x30) statusBytes.writeUInt32BE(status);
  return createHash('md5').update(statusBytes).update(source).update(Buffer.from(sharedSecret, 'utf8')).digest();
}

/** Constant-time check of a received authenticator against the expected one. */
export function authenticatorMatches(received: Uint8Array, expected: Uint8Array): boolean {
  return received.length === expected.length && timingSafeEqual(received, expected);
}
