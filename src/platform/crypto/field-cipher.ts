import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';
import type { Keyring } from './keyring.ts';
import { hmacSm3 } from './sm.ts';

/*
 * Field encryption for personal data: SM4-CBC with a random IV, then HMAC-SM3 over the version, key id,
 * IV and ciphertext (encrypt-then-MAC, because Node has no SM4-GCM). Two encodings of the same parts:
 *   text  (TEXT columns):  v1.<keyId>.<b64url iv>.<b64url ct>.<b64url mac>
 *   bytes (bytea, photos): 0x01 ‖ len(keyId) ‖ keyId ‖ iv(16) ‖ ct ‖ mac(32)
 */

const VERSION = 'v1';
const VERSION_BYTE = 0x01;
const IV_BYTES = 16;
const BLOCK_BYTES = 16;
const MAC_BYTES = 32;

interface Sealed {
  keyId: string;
  iv: Buffer;
  ct: Buffer;
  mac: Buffer;
}

function tampered(reason: string): AppError {
  return new AppError('CIPHERTEXT_TAMPERED', { details: { reason } });
}

// Key ids cannot contain '.', and the IV has a fixed length, so this concatenation is unambiguous.
function macInput(keyId: string, iv: Buffer, ct: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${VERSION}.${keyId}.`, 'utf8'), iv, ct]);
}

function seal(keyring: Keyring, plaintext: Buffer): Sealed {
  const key = keyring.active;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('sm4-cbc', key.enc, iv);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: key.id, iv, ct, mac: hmacSm3(key.mac, macInput(key.id, iv, ct)) };
}

function open(keyring: Keyring, sealed: Sealed): Buffer {
  if (sealed.iv.length !== IV_BYTES) throw tampered('IV length');
  if (sealed.mac.length !== MAC_BYTES) throw tampered('MAC length');
  if (sealed.ct.length === 0 || sealed.ct.length % BLOCK_BYTES !== 0) throw tampered('ciphertext length');
  const key = keyring.key(sealed.keyId);
  const expected = hmacSm3(key.mac, macInput(sealed.keyId, sealed.iv, sealed.ct));
  if (!timingSafeEqual(expected, sealed.mac)) throw tampered('MAC mismatch');
  try {
    const decipher = createDecipheriv('sm4-cbc', key.enc, sealed.iv);
    return Buffer.concat([decipher.update(sealed.ct), decipher.final()]);
  } catch (err) {
    // Unreachable unless the MAC key itself is compromised: the MAC already vouched for these bytes.
    throw new AppError('CIPHERTEXT_TAMPERED', { details: { reason: 'padding' }, cause: err });
  }
}

// Node's decoder skips stray characters and ignores trailing bits; insisting on the canonical form
// means a token has exactly one spelling, so an edited token can never still decrypt.
function decodePart(part: string, what: string): Buffer {
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) throw tampered(`${what} encoding`);
  return bytes;
}

function parseToken(token: string): Sealed {
  const parts = token.split('.');
  if (parts.length !== 5) throw tampered('token shape');
  const [version, keyId, iv, ct, mac] = parts as [string, string, string, string, string];
  if (version !== VERSION) throw tampered(`unsupported version ${version.slice(0, 8)}`);
  if (keyId === '') throw tampered('empty key id');
  return { keyId, iv: decodePart(iv, 'IV'), ct: decodePart(ct, 'ciphertext'), mac: decodePart(mac, 'MAC') };
}

function parseBytes(blob: Buffer): Sealed {
  if (blob.length < 2 || blob[0] !== VERSION_BYTE) throw tampered('unsupported version');
  const idEnd = 2 + (blob[1] ?? 0);
  if (blob.length < idEnd + IV_BYTES + MAC_BYTES) throw tampered('blob length');
  return {
    keyId: blob.subarray(2, idEnd).toString('latin1'),
    iv: blob.subarray(idEnd, idEnd + IV_BYTES),
    ct: blob.subarray(idEnd + IV_BYTES, blob.length - MAC_BYTES),
    mac: blob.subarray(blob.length - MAC_BYTES),
  };
}

export function encryptField(keyring: Keyring, plaintext: string): string {
  // An unpaired surrogate cannot survive UTF-8 and would come back as U+FFFD: refuse rather than alter data.
  if (/\p{Cs}/u.test(plaintext)) {
    throw new AppError('VALIDATION_FAILED', { params: { reason: 'text contains an unpaired UTF-16 surrogate' } });
  }
  const { keyId, iv, ct, mac } = seal(keyring, Buffer.from(plaintext, 'utf8'));
  return [VERSION, keyId, iv.toString('base64url'), ct.toString('base64url'), mac.toString('base64url')].join('.');
}

/** @throws AppError CIPHERTEXT_TAMPERED, KEY_NOT_FOUND {keyId} */
export function decryptField(keyring: Keyring, token: string): string {
  return open(keyring, parseToken(token)).toString('utf8');
}

export function encryptBytes(keyring: Keyring, plaintext: Buffer): Buffer {
  const { keyId, iv, ct, mac } = seal(keyring, plaintext);
  const id = Buffer.from(keyId, 'latin1');
  return Buffer.concat([Buffer.from([VERSION_BYTE, id.length]), id, iv, ct, mac]);
}

/** @throws AppError CIPHERTEXT_TAMPERED, KEY_NOT_FOUND {keyId} */
export function decryptBytes(keyring: Keyring, blob: Buffer): Buffer {
  return open(keyring, parseBytes(blob));
}

/** Which key sealed a value, so re-encryption after rotation can find what still uses an old key. */
export function tokenKeyId(token: string | Buffer): string {
  return (typeof token === 'string' ? parseToken(token) : parseBytes(token)).keyId;
}
