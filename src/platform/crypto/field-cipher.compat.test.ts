import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { blindIndex, type BlindIndexKind } from './blind-index.ts';
import { decryptBytes, decryptField, encryptBytes, encryptField } from './field-cipher.ts';
import { addKey, generateKeyFile, Keyring, type KeyFile } from './keyring.ts';

/*
 * field-cipher and blind-index run on the hand-written SM3/SM4 in sm3-fast.ts / sm4-fast.ts. These
 * tests pin their output to the previous OpenSSL-based construction, rebuilt here from node:crypto,
 * so tokens written before the switch still decrypt and tokens written after it are the same scheme.
 */

const file = generateKeyFile(new Date('2026-11-21T02:00:00Z'));
const ring = Keyring.fromKeyFile(file);
const entry = (f: KeyFile, id: string) => ({ enc: Buffer.from(f.keys[id]!.enc, 'hex'), mac: Buffer.from(f.keys[id]!.mac, 'hex') });

/** The token exactly as the OpenSSL implementation wrote it. */
function opensslToken(f: KeyFile, keyId: string, plaintext: Buffer, iv = randomBytes(16)): string {
  const { enc, mac } = entry(f, keyId);
  const cipher = createCipheriv('sm4-cbc', enc, iv);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = createHmac('sm3', mac).update(Buffer.concat([Buffer.from(`v1.${keyId}.`), iv, ct])).digest();
  return ['v1', keyId, iv.toString('base64url'), ct.toString('base64url'), tag.toString('base64url')].join('.');
}

/** Checks and opens a token the way the OpenSSL implementation did. */
function opensslOpen(f: KeyFile, token: string): Buffer {
  const [version, keyId, iv, ct, tag] = token.split('.') as [string, string, string, string, string];
  expect(version).toBe('v1');
  const { enc, mac } = entry(f, keyId);
  const ivBytes = Buffer.from(iv, 'base64url');
  const ctBytes = Buffer.from(ct, 'base64url');
  const expected = createHmac('sm3', mac).update(Buffer.concat([Buffer.from(`v1.${keyId}.`), ivBytes, ctBytes])).digest('base64url');
  expect(tag).toBe(expected);
  const decipher = createDecipheriv('sm4-cbc', enc, ivBytes);
  return Buffer.concat([decipher.update(ctBytes), decipher.final()]);
}

describe('field-cipher against the OpenSSL construction', () => {
  it('decrypts tokens written by the OpenSSL implementation', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        expect(decryptField(ring, opensslToken(file, ring.activeKeyId, Buffer.from(text, 'utf8')))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('writes tokens the OpenSSL implementation verifies and decrypts to the same text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        expect(opensslOpen(file, encryptField(ring, text)).toString('utf8')).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('is character-for-character the OpenSSL token (Buffer base64url included) once the IV is fixed', () => {
    const check = (text: string) => {
      const token = encryptField(ring, text);
      const iv = Buffer.from(token.split('.')[2]!, 'base64url');
      expect(token).toBe(opensslToken(file, ring.activeKeyId, Buffer.from(text, 'utf8'), iv));
    };
    check('11010519491231002X');
    for (let n = 0; n <= 100; n++) check('x'.repeat(n)); // every ciphertext length mod 3
    check('长'.repeat(1000)); // longer than the token scratch buffer
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), check), { numRuns: 300 });
  });

  it('works under every key of a rotated keyring, old and new', () => {
    const rotatedFile = addKey(addKey(file, new Date('2027-01-01T02:00:00Z')), new Date('2027-02-01T02:00:00Z'));
    const rotated = Keyring.fromKeyFile(rotatedFile);
    for (const id of rotated.keyIds()) expect(decryptField(rotated, opensslToken(rotatedFile, id, Buffer.from(`under ${id}`)))).toBe(`under ${id}`);
    expect(opensslOpen(rotatedFile, encryptField(rotated, 'new')).toString()).toBe('new');
  });

  it('encryptBytes blobs carry the same parts as the OpenSSL token', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const blob = encryptBytes(ring, Buffer.from(bytes));
        const idLen = blob[1]!;
        const keyId = blob.subarray(2, 2 + idLen).toString('latin1');
        const rest = blob.subarray(2 + idLen);
        const parts = [rest.subarray(0, 16), rest.subarray(16, rest.length - 32), rest.subarray(rest.length - 32)].map((p) => p.toString('base64url'));
        expect(opensslOpen(file, ['v1', keyId, ...parts].join('.')).equals(Buffer.from(bytes))).toBe(true);
        expect(decryptBytes(ring, blob).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('never repeats an IV, across many refills of the IV pool', () => {
    const seen = new Set<string>();
    const n = 20_000; // the pool holds 4096 IVs, so this crosses several refills
    for (let i = 0; i < n; i++) seen.add(encryptField(ring, 'x').split('.')[2]!);
    for (let i = 0; i < 1000; i++) {
      const blob = encryptBytes(ring, Buffer.from('y'));
      seen.add(blob.subarray(2 + blob[1]!, 2 + blob[1]! + 16).toString('base64url'));
    }
    expect(seen.size).toBe(n + 1000);
  });
});

describe('blindIndex against OpenSSL HMAC-SM3', () => {
  const KINDS: BlindIndexKind[] = ['citizen_id', 'phone', 'bank_account', 'name'];
  it('equals createHmac("sm3", blindIndexKey) over "kind:value" as UTF-8', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.string({ unit: 'grapheme', maxLength: 120 }), (kind, value) => {
        const expected = createHmac('sm3', Buffer.from(file.blindIndex, 'hex')).update(`${kind}:${value}`, 'utf8').digest('hex');
        expect(blindIndex(ring, kind, value)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the IV pool', () => {
  afterEach(() => {
    vi.doUnmock('node:crypto');
    vi.resetModules();
  });

  it('hands out the randomBytes stream 16 bytes at a time, in order, never the same byte twice', async () => {
    const pools: Buffer[] = [];
    vi.resetModules();
    vi.doMock('node:crypto', async (importOriginal) => {
      const real = await importOriginal<typeof import('node:crypto')>();
      const randomBytes = (size: number): Buffer => {
        const bytes = real.randomBytes(size);
        if (size >= 1024) pools.push(bytes);
        return bytes;
      };
      return { ...real, randomBytes, default: { ...real, randomBytes } };
    });
    const cipher = await import('./field-cipher.ts');
    const keyring = await import('./keyring.ts');
    const fresh = keyring.Keyring.fromKeyFile(file);
    const ivs: Buffer[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i % 2 === 0) ivs.push(Buffer.from(cipher.encryptField(fresh, 'z').split('.')[2]!, 'base64url'));
      else {
        const blob = cipher.encryptBytes(fresh, Buffer.from('z'));
        ivs.push(blob.subarray(2 + blob[1]!, 18 + blob[1]!));
      }
    }
    const handedOut = Buffer.concat(ivs);
    expect(pools.length).toBe(Math.ceil(handedOut.length / (64 * 1024)));
    expect(handedOut.equals(Buffer.concat(pools).subarray(0, handedOut.length))).toBe(true);
  });
});
