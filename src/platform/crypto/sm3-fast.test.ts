import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HmacSm3Key, sm3Fast } from './sm3-fast.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const opensslSm3 = (data: Uint8Array): string => createHash('sm3').update(data).digest('hex');
const opensslHmac = (key: Uint8Array, data: Uint8Array): string => createHmac('sm3', key).update(data).digest('hex');

// Lengths either side of SM3's padding boundaries (55/56 bytes fit one final block or need two;
// 63/64 is the block edge), at one and two blocks, mixed with arbitrary lengths.
const BOUNDARIES = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129];
const message = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.constantFrom(...BOUNDARIES).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
);

describe('sm3Fast', () => {
  it('matches the GB/T 32905 vectors', () => {
    expect(hex(sm3Fast(Buffer.from('abc')))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(hex(sm3Fast(Buffer.from('abcd'.repeat(16))))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('equals OpenSSL SM3 at every length up to 300 bytes', () => {
    for (let n = 0; n <= 300; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 89 + n) & 0xff);
      expect(hex(sm3Fast(data)), `length ${n}`).toBe(opensslSm3(data));
    }
  });

  it('equals OpenSSL SM3 on random messages', () => {
    fc.assert(
      fc.property(message, (data) => {
        expect(hex(sm3Fast(data))).toBe(opensslSm3(data));
      }),
      { numRuns: 500 },
    );
  });

  it('reads only the given view of a larger buffer', () => {
    const backing = Buffer.from('xxabcxx');
    expect(hex(sm3Fast(backing.subarray(2, 5)))).toBe(opensslSm3(Buffer.from('abc')));
  });
});

describe('HmacSm3Key', () => {
  it('equals OpenSSL HMAC-SM3 for random keys of 0–100 bytes and random messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), message, (key, data) => {
        expect(hex(new HmacSm3Key(key).mac(data))).toBe(opensslHmac(key, data));
      }),
      { numRuns: 500 },
    );
  });

  it('handles keys at and around the 64-byte block (longer keys are hashed first)', () => {
    const data = Buffer.from('citizen_id:11010519491231002X');
    for (const n of [0, 1, 31, 32, 63, 64, 65, 100, 128, 200]) {
      const key = Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
      expect(hex(new HmacSm3Key(key).mac(data)), `key length ${n}`).toBe(opensslHmac(key, data));
    }
  });

  it('keeps its precomputed states intact across many messages, in any order', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.array(message, { minLength: 2, maxLength: 8 }), (key, messages) => {
        const k = new HmacSm3Key(key);
        const other = new HmacSm3Key(Buffer.from('another key'));
        for (const m of messages) {
          other.mac(m);
          expect(hex(k.mac(m))).toBe(opensslHmac(key, m));
        }
      }),
    );
  });

  it('macInto MACs a prefix of the buffer and may write into that same buffer', () => {
    const key = Buffer.alloc(32, 9);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        const buf = new Uint8Array(data.length + 32);
        buf.set(data);
        new HmacSm3Key(key).macInto(buf, buf, data.length, data.length);
        expect(hex(buf.subarray(0, data.length))).toBe(hex(data));
        expect(hex(buf.subarray(data.length))).toBe(opensslHmac(key, data));
      }),
    );
  });

  it('refuses out-of-range lengths and outputs', () => {
    const k = new HmacSm3Key(Buffer.alloc(32));
    expect(() => k.macInto(new Uint8Array(10), new Uint8Array(64), 0, 11)).toThrow(RangeError);
    expect(() => k.macInto(new Uint8Array(10), new Uint8Array(40), 9)).toThrow(RangeError);
  });
});
