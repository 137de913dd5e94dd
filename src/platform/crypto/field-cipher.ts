import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';
import type { DataKey, Keyring } from './keyring.ts';
import { HmacSm3Key } from './sm3-fast.ts';
import { cbcLength, Sm4Key } from './sm4-fast.ts';

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

/*
 * SM4 and HMAC-SM3 run on the typed-array implementations in sm4-fast.ts / sm3-fast.ts: Node's OpenSSL
 * binding costs an object per call, which alone capped field crypto far below 100k fields/s. Both are
 * checked against the standard vectors and against OpenSSL by selfTestNationalCrypto() at start-up.
 */

interface KeyState {
  sm4: Sm4Key;
  hmac: HmacSm3Key;
  /** "v1.<keyId>." as bytes, the start of every MAC input under this key */
  prefix: Buffer;
}

// Expanded once per DataKey. A Keyring's DataKeys are immutable, and a new Keyring has new objects.
const keyStates = new WeakMap<DataKey, KeyState>();

function stateOf(key: DataKey): KeyState {
  let state = keyStates.get(key);
  if (!state) {
    state = { sm4: new Sm4Key(key.enc), hmac: new HmacSm3Key(key.mac), prefix: Buffer.from(`${VERSION}.${key.id}.`, 'utf8') };
    keyStates.set(key, state);
  }
  return state;
}

// IVs come from a pool refilled 64 KiB at a time (one randomBytes call per 4096 IVs instead of one per
// field). The offset only moves forward, so no pool byte is ever handed out twice.
const IV_POOL_BYTES = 64 * 1024;
let ivPool = Buffer.alloc(0);
let ivPoolAt = 0;

function takeIv(out: Buffer, at: number): void {
  if (ivPoolAt + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivPoolAt = 0;
  }
  for (let i = 0; i < IV_BYTES; i++) out[at + i] = ivPool[ivPoolAt + i]!;
  ivPoolAt += IV_BYTES;
}

// Key ids cannot contain '.', and the IV has a fixed length, so this concatenation is unambiguous.
function macInput(prefix: Buffer, iv: Buffer, ct: Buffer): Buffer {
  return Buffer.concat([prefix, iv, ct]);
}

/** "v1.<keyId>." ‖ iv ‖ ct ‖ mac in one buffer: everything before macAt is exactly the MAC input. */
interface SealedBuffer {
  keyId: string;
  buf: Buffer;
  ivAt: number;
  ctAt: number;
  macAt: number;
}

/*
 * From this size on (photos, production records) OpenSSL is faster: its per-call cost is paid once for
 * many blocks. Same algorithms, same layout; the tests cross-decrypt between the two paths.
 */
const OPENSSL_FROM_BYTES = 2048;

function seal(keyring: Keyring, plaintext: Buffer): SealedBuffer {
  const key = keyring.active;
  const { sm4, hmac, prefix } = stateOf(key);
  const ivAt = prefix.length;
  const ctAt = ivAt + IV_BYTES;
  const macAt = ctAt + cbcLength(plaintext.length);
  const buf = Buffer.allocUnsafe(macAt + MAC_BYTES); // every byte is written below
  for (let i = 0; i < ivAt; i++) buf[i] = prefix[i]!;
  takeIv(buf, ivAt);
  if (plaintext.length >= OPENSSL_FROM_BYTES) {
    const cipher = createCipheriv('sm4-cbc', key.enc, buf.subarray(ivAt, ctAt));
    const n = cipher.update(plaintext).copy(buf, ctAt);
    cipher.final().copy(buf, ctAt + n);
    createHmac('sm3', key.mac).update(buf.subarray(0, macAt)).digest().copy(buf, macAt);
  } else {
    sm4.cbcEncryptInto(buf, ivAt, plaintext, buf, ctAt);
    hmac.macInto(buf, buf, macAt, macAt); // MAC of buf[0 … macAt-1], written at buf[macAt …]
  }
  return { keyId: key.id, buf, ivAt, ctAt, macAt };
}

function open(keyring: Keyring, sealed: Sealed): Buffer {
  if (sealed.iv.length !== IV_BYTES) throw tampered('IV length');
  if (sealed.mac.length !== MAC_BYTES) throw tampered('MAC length');
  if (sealed.ct.length === 0 || sealed.ct.length % BLOCK_BYTES !== 0) throw tampered('ciphertext length');
  const key = keyring.key(sealed.keyId);
  const { sm4, hmac, prefix } = stateOf(key);
  const large = sealed.ct.length >= OPENSSL_FROM_BYTES;
  const expected = large ? createHmac('sm3', key.mac).update(prefix).update(sealed.iv).update(sealed.ct).digest() : hmac.mac(macInput(prefix, sealed.iv, sealed.ct));
  if (!timingSafeEqual(expected, sealed.mac)) throw tampered('MAC mismatch');
  try {
    if (large) {
      const decipher = createDecipheriv('sm4-cbc', key.enc, sealed.iv);
      return Buffer.concat([decipher.update(sealed.ct), decipher.final()]);
    }
    const plain = sm4.cbcDecrypt(sealed.iv, sealed.ct);
    return Buffer.from(plain.buffer, plain.byteOffset, plain.length);
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

/*
 * base64url without padding, as Buffer's 'base64url' writes it; done here because three encoder calls
 * into C++ per token cost more than the SM4 encryption. Tokens go through decodePart's canonical-form
 * check when read, and the tests compare them with Buffer's own encoding.
 */
const B64URL = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 'latin1');
const DOT = 0x2e;
const TOKEN_SCRATCH_BYTES = 1024; // tokens are assembled here, then copied out as a string
const TOKEN_SCRATCH = Buffer.allocUnsafe(TOKEN_SCRATCH_BYTES);

function base64urlLength(n: number): number {
  return Math.ceil((n * 4) / 3);
}

/** Encodes src[start … end-1] into out from index o; returns the index after the last character. */
function base64urlInto(src: Uint8Array, start: number, end: number, out: Uint8Array, o: number): number {
  let i = start;
  for (; i + 3 <= end; i += 3) {
    const n = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!;
    out[o++] = B64URL[n >>> 18]!;
    out[o++] = B64URL[(n >>> 12) & 63]!;
    out[o++] = B64URL[(n >>> 6) & 63]!;
    out[o++] = B64URL[n & 63]!;
  }
  if (end - i === 1) {
    const n = src[i]!;
    out[o++] = B64URL[n >>> 2]!;
    out[o++] = B64URL[(n & 3) << 4]!;
  } else if (end - i === 2) {
    const n = (src[i]! << 8) | src[i + 1]!;
    out[o++] = B64URL[n >>> 10]!;
    out[o++] = B64URL[(n >>> 4) & 63]!;
    out[o++] = B64URL[(n & 15) << 2]!;
  }
  return o;
}

export function encryptField(keyring: Keyring, plaintext: string): string {
  // An unpaired surrogate cannot survive UTF-8 and would come back as U+FFFD: refuse rather than alter data.
  if (/\p{Cs}/u.test(plaintext)) {
    throw new AppError('VALIDATION_FAILED', { params: { reason: 'text contains an unpaired UTF-16 surrogate' } });
  }
  const { buf, ivAt, ctAt, macAt } = seal(keyring, Buffer.from(plaintext, 'utf8'));
  // "v1.<keyId>." is already at the start of buf; the token is that, then the three parts in base64url.
  const length = ivAt + base64urlLength(IV_BYTES) + 1 + base64urlLength(macAt - ctAt) + 1 + base64urlLength(MAC_BYTES);
  const out = length <= TOKEN_SCRATCH_BYTES ? TOKEN_SCRATCH : Buffer.allocUnsafe(length);
  for (let i = 0; i < ivAt; i++) out[i] = buf[i]!;
  let at = base64urlInto(buf, ivAt, ctAt, out, ivAt);
  out[at++] = DOT;
  at = base64urlInto(buf, ctAt, macAt, out, at);
  out[at++] = DOT;
  at = base64urlInto(buf, macAt, buf.length, out, at);
  return out.toString('latin1', 0, at);
}

/** @throws AppError CIPHERTEXT_TAMPERED, KEY_NOT_FOUND {keyId} */
export function decryptField(keyring: Keyring, token: string): string {
  return open(keyring, parseToken(token)).toString('utf8');
}

export function encryptBytes(keyring: Keyring, plaintext: Buffer): Buffer {
  const { keyId, buf, ivAt } = seal(keyring, plaintext);
  const id = Buffer.from(keyId, 'latin1');
  return Buffer.concat([Buffer.from([VERSION_BYTE, id.length]), id, buf.subarray(ivAt)]); // iv ‖ ct ‖ mac
}

/** @throws AppError CIPHERTEXT_TAMPERED, KEY_NOT_FOUND {keyId} */
export function decryptBytes(keyring: Keyring, blob: Buffer): Buffer {
  return open(keyring, parseBytes(blob));
}

/** Which key sealed a value, so re-encryption after rotation can find what still uses an old key. */
export function tokenKeyId(token: string | Buffer): string {
  return (typeof token === 'string' ? parseToken(token) : parseBytes(token)).keyId;
}
