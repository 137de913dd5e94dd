import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../errors/app-error.ts';
import { decryptBytes, decryptField, encryptBytes, encryptField, tokenKeyId } from './field-cipher.ts';
import { addKey, generateKeyFile, Keyring } from './keyring.ts';

const file = generateKeyFile(new Date('2026-11-21T02:00:00Z'));
const ring = Keyring.fromKeyFile(file);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : `not an AppError: ${String(e)}`;
  }
  return undefined;
}

function flipByteOfPart(token: string, part: 2 | 3 | 4, index: number): string {
  const parts = token.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  const at = index % bytes.length;
  bytes[at] = bytes.readUInt8(at) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('encryptField / decryptField', () => {
  it('round-trips any Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(decryptField(ring, encryptField(ring, text))).toBe(text);
      }),
    );
  });

  it('produces a single TEXT-safe token naming the active key', () => {
    const token = encryptField(ring, '11010519491231002X');
    expect(token).toMatch(/^v1\.k20261121a\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain('11010519491231002X');
    expect(tokenKeyId(token)).toBe('k20261121a');
  });

  it('uses a fresh IV every time', () => {
    const a = encryptField(ring, '13812348000');
    const b = encryptField(ring, '13812348000');
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('rejects a change to any byte of the IV, ciphertext or MAC', () => {
    const token = encryptField(ring, '上海市浦东新区世纪大道100号');
    fc.assert(
      fc.property(fc.constantFrom(2 as const, 3 as const, 4 as const), fc.nat(), (part, index) => {
        expect(codeOf(() => decryptField(ring, flipByteOfPart(token, part, index)))).toBe('CIPHERTEXT_TAMPERED');
      }),
    );
  });

  it('rejects malformed tokens and other spellings of the same bytes', () => {
    const token = encryptField(ring, 'x');
    const parts = token.split('.');
    const lastMac = parts[4]!;
    // The final base64url character of a 32-byte MAC carries 4 unused bits; a different character decodes identically.
    const sameBytes = lastMac.slice(0, -1) + (lastMac.endsWith('A') ? 'B' : 'A');
    const variants = [
      'v2' + token.slice(2),
      parts.slice(0, 4).join('.'),
      `${token}.extra`,
      [...parts.slice(0, 4), sameBytes].join('.'),
      [...parts.slice(0, 3), parts[3]!.slice(0, -2), parts[4]].join('.'),
      [...parts.slice(0, 3), `${parts[3]}!`, parts[4]].join('.'),
    ];
    for (const v of variants) expect(codeOf(() => decryptField(ring, v)), v).toBe('CIPHERTEXT_TAMPERED');
  });

  it('rejects a token moved to another key id even if that key exists', () => {
    const rotated = Keyring.fromKeyFile(addKey(file, new Date('2026-11-21T02:00:00Z')));
    const token = encryptField(rotated, 'secret').replace('.k20261121b.', '.k20261121a.');
    expect(codeOf(() => decryptField(rotated, token))).toBe('CIPHERTEXT_TAMPERED');
  });

  it('answers KEY_NOT_FOUND with the key id when the key is gone', () => {
    const other = Keyring.fromKeyFile(generateKeyFile(new Date('2027-01-01T02:00:00Z')));
    const token = encryptField(other, '张三');
    try {
      decryptField(ring, token);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'KEY_NOT_FOUND', params: { keyId: 'k20270101a' } });
    }
  });

  it('still decrypts old values after rotation, and encrypts new ones with the new key', () => {
    const old = encryptField(ring, '张三');
    const rotated = Keyring.fromKeyFile(addKey(file, new Date('2027-03-01T02:00:00Z')));
    expect(decryptField(rotated, old)).toBe('张三');
    const fresh = encryptField(rotated, '李四');
    expect(tokenKeyId(fresh)).toBe('k20270301a');
    expect(codeOf(() => decryptField(ring, fresh))).toBe('KEY_NOT_FOUND');
  });

  it('refuses text that UTF-8 cannot carry instead of altering it', () => {
    expect(codeOf(() => encryptField(ring, 'a\ud800b'))).toBe('VALIDATION_FAILED');
  });
});

describe('encryptBytes / decryptBytes', () => {
  it('round-trips any bytes, including empty', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decryptBytes(ring, encryptBytes(ring, Buffer.from(bytes))).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('round-trips photo-sized values across the size where OpenSSL takes over, and refuses a flipped byte', () => {
    for (const n of [2031, 2032, 2047, 2048, 2049, 30_000]) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 31) & 0xff));
      const blob = encryptBytes(ring, bytes);
      expect(decryptBytes(ring, blob).equals(bytes)).toBe(true);
      const copy = Buffer.from(blob);
      copy[copy.length >> 1] = copy.readUInt8(copy.length >> 1) ^ 1;
      expect(codeOf(() => decryptBytes(ring, copy))).toBe('CIPHERTEXT_TAMPERED');
    }
  });

  it('rejects a change to any byte of the blob', () => {
    const blob = encryptBytes(ring, Buffer.from('photo bytes'));
    expect(tokenKeyId(blob)).toBe('k20261121a');
    fc.assert(
      fc.property(fc.nat({ max: blob.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, mask) => {
        const copy = Buffer.from(blob);
        copy[index] = copy.readUInt8(index) ^ mask;
        expect(['CIPHERTEXT_TAMPERED', 'KEY_NOT_FOUND']).toContain(codeOf(() => decryptBytes(ring, copy)));
      }),
    );
    expect(codeOf(() => decryptBytes(ring, blob.subarray(0, blob.length - 1)))).toBe('CIPHERTEXT_TAMPERED');
  });

  it('is the same scheme as the text token, so one can be re-encoded as the other', () => {
    const token = encryptField(ring, 'same');
    const [, keyId, iv, ct, mac] = token.split('.') as [string, string, string, string, string];
    const id = Buffer.from(keyId);
    const blob = Buffer.concat([Buffer.from([1, id.length]), id, ...[iv, ct, mac].map((p) => Buffer.from(p, 'base64url'))]);
    expect(decryptBytes(ring, blob).toString('utf8')).toBe('same');
  });
});
