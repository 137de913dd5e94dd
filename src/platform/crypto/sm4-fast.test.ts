import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cbcDecrypt, cbcEncrypt, cbcLength, Sm4Key } from './sm4-fast.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const VECTOR = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');

function opensslCbcEncrypt(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Buffer {
  const cipher = createCipheriv('sm4-cbc', key, iv);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}

function opensslCbcEncryptRaw(key: Uint8Array, iv: Uint8Array, blocks: Uint8Array): Buffer {
  const cipher = createCipheriv('sm4-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([cipher.update(blocks), cipher.final()]);
}

const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 });

describe('Sm4Key', () => {
  it('matches the GB/T 32907 single-block vector, and decrypts it back', () => {
    const key = new Sm4Key(VECTOR);
    const ct = new Uint8Array(16);
    key.encryptBlock(VECTOR, 0, ct, 0);
    expect(hex(ct)).toBe('681edf34d206965e86b3e94f536e4246');
    const back = new Uint8Array(16);
    key.decryptBlock(ct, 0, back, 0);
    expect(hex(back)).toBe(hex(VECTOR));
  });

  it('matches the GB/T 32907 vector of 1,000,000 encryptions, and 1,000,000 decryptions undo it', () => {
    const key = new Sm4Key(VECTOR);
    const block = Uint8Array.from(VECTOR);
    for (let i = 0; i < 1_000_000; i++) key.encryptBlock(block, 0, block, 0);
    expect(hex(block)).toBe('595298c7c6fd271f0402f804c33d3f66');
    for (let i = 0; i < 1_000_000; i++) key.decryptBlock(block, 0, block, 0);
    expect(hex(block)).toBe(hex(VECTOR));
  });

  it('equals OpenSSL SM4-ECB on random keys and blocks, at any offsets', () => {
    fc.assert(
      fc.property(key16, fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat(8), fc.nat(8), (keyBytes, plain, inOff, outOff) => {
        const input = new Uint8Array(inOff + 16);
        input.set(plain, inOff);
        const out = new Uint8Array(outOff + 16);
        const key = new Sm4Key(keyBytes);
        key.encryptBlock(input, inOff, out, outOff);
        const cipher = createCipheriv('sm4-ecb', keyBytes, null).setAutoPadding(false);
        expect(hex(out.subarray(outOff))).toBe(hex(Buffer.concat([cipher.update(plain), cipher.final()])));
        const back = new Uint8Array(16);
        key.decryptBlock(out, outOff, back, 0);
        expect(hex(back)).toBe(hex(plain));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses keys that are not 16 bytes and blocks that run past the buffer', () => {
    expect(() => new Sm4Key(new Uint8Array(15))).toThrow(RangeError);
    expect(() => new Sm4Key(new Uint8Array(32))).toThrow(RangeError);
    const key = new Sm4Key(VECTOR);
    expect(() => key.encryptBlock(new Uint8Array(20), 5, new Uint8Array(16), 0)).toThrow(RangeError);
    expect(() => key.decryptBlock(new Uint8Array(16), 0, new Uint8Array(16), 1)).toThrow(RangeError);
  });
});

describe('SM4-CBC with PKCS#7', () => {
  it('equals OpenSSL sm4-cbc for random keys, IVs and plaintexts of 0–100 bytes, both ways', () => {
    fc.assert(
      fc.property(key16, key16, fc.uint8Array({ maxLength: 100 }), (keyBytes, iv, plain) => {
        const key = new Sm4Key(keyBytes);
        const expected = opensslCbcEncrypt(keyBytes, iv, plain);
        const ct = cbcEncrypt(key, iv, plain);
        expect(ct.length).toBe(cbcLength(plain.length));
        expect(hex(ct)).toBe(hex(expected));
        expect(hex(cbcDecrypt(key, iv, expected))).toBe(hex(plain));
        const decipher = createDecipheriv('sm4-cbc', keyBytes, iv);
        expect(hex(Buffer.concat([decipher.update(ct), decipher.final()]))).toBe(hex(plain));
      }),
      { numRuns: 500 },
    );
  });

  it('pads every length at and around block edges exactly like OpenSSL', () => {
    const keyBytes = Buffer.alloc(16, 0x5a);
    const iv = Buffer.alloc(16, 0xa5);
    const key = new Sm4Key(keyBytes);
    for (let n = 0; n <= 80; n++) {
      const plain = Uint8Array.from({ length: n }, (_, i) => i);
      expect(hex(cbcEncrypt(key, iv, plain)), `length ${n}`).toBe(hex(opensslCbcEncrypt(keyBytes, iv, plain)));
    }
  });

  it('cbcEncryptInto works in place after the IV, as field-cipher uses it', () => {
    fc.assert(
      fc.property(key16, key16, fc.uint8Array({ maxLength: 100 }), (keyBytes, iv, plain) => {
        const buf = new Uint8Array(16 + cbcLength(plain.length));
        buf.set(iv);
        const n = new Sm4Key(keyBytes).cbcEncryptInto(buf, 0, plain, buf, 16);
        expect(n).toBe(cbcLength(plain.length));
        expect(hex(buf.subarray(0, 16))).toBe(hex(iv));
        expect(hex(buf.subarray(16))).toBe(hex(opensslCbcEncrypt(keyBytes, iv, plain)));
      }),
    );
  });

  it('throws on bad padding, whatever the last block decrypts to', () => {
    const keyBytes = Buffer.alloc(16, 1);
    const iv = Buffer.alloc(16, 2);
    const key = new Sm4Key(keyBytes);
    const badTails = [
      [...Array<number>(15).fill(0), 0], // pad 0
      [...Array<number>(15).fill(0), 17], // pad > 16
      [...Array<number>(15).fill(0), 0xff],
      [...Array<number>(14).fill(0), 1, 2], // pad 2 but the byte before is 1
      [...Array<number>(12).fill(9), 4, 4, 5, 4],
      [0, ...Array<number>(15).fill(16)], // pad 16 with one wrong byte
    ];
    for (const tail of badTails) {
      const ct = opensslCbcEncryptRaw(keyBytes, iv, Uint8Array.from([...Array<number>(16).fill(7), ...tail]));
      expect(() => cbcDecrypt(key, iv, ct), tail.join(',')).toThrow(/padding/);
    }
    const full = opensslCbcEncryptRaw(keyBytes, iv, Uint8Array.from(Array<number>(16).fill(16)));
    expect(cbcDecrypt(key, iv, full).length).toBe(0);
  });

  it('throws on ciphertext lengths that are not a positive multiple of 16', () => {
    const key = new Sm4Key(VECTOR);
    const iv = new Uint8Array(16);
    for (const n of [0, 1, 15, 17, 31]) expect(() => cbcDecrypt(key, iv, new Uint8Array(n))).toThrow(/length/);
    expect(() => cbcEncrypt(key, new Uint8Array(15), new Uint8Array(3))).toThrow(RangeError);
  });
});
