import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { hmacSm3, selfTestNationalCrypto, sm3 } from './sm.ts';

describe('sm3', () => {
  it('matches the GB/T 32905 vectors', () => {
    expect(sm3('abc').toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3(Buffer.from('abcd'.repeat(16))).toString('hex')).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it('hashes strings as UTF-8', () => {
    expect(sm3('张三').equals(sm3(Buffer.from('张三', 'utf8')))).toBe(true);
  });
});

describe('hmacSm3', () => {
  // RFC 2104 built by hand from sm3 (64-byte blocks), so the HMAC is checked against an independent construction.
  function referenceHmac(key: Buffer, data: Buffer): Buffer {
    const k = Buffer.alloc(64);
    (key.length > 64 ? sm3(key) : key).copy(k);
    const pad = (byte: number) => Buffer.from(k.map((b) => b ^ byte));
    return sm3(Buffer.concat([pad(0x5c), sm3(Buffer.concat([pad(0x36), data]))]));
  }

  it('is HMAC over SM3', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 200 }), (key, data) => {
        expect(hmacSm3(Buffer.from(key), Buffer.from(data)).equals(referenceHmac(Buffer.from(key), Buffer.from(data)))).toBe(true);
      }),
    );
  });
});

describe('selfTestNationalCrypto', () => {
  afterEach(() => {
    vi.doUnmock('node:crypto');
    vi.resetModules();
  });

  it('passes on this Node', () => {
    expect(() => selfTestNationalCrypto()).not.toThrow();
  });

  it('names sm4-cbc when OpenSSL lacks it', async () => {
    vi.resetModules();
    vi.doMock('node:crypto', async (importOriginal) => {
      const real = await importOriginal<typeof import('node:crypto')>();
      return { ...real, getCiphers: () => real.getCiphers().filter((c) => c !== 'sm4-cbc') };
    });
    const { selfTestNationalCrypto: selfTest } = await import('./sm.ts');
    expect(() => selfTest()).toThrow(/sm4-cbc/);
  });

  it('names SM3 when the hash is missing or wrong', async () => {
    vi.resetModules();
    vi.doMock('node:crypto', async (importOriginal) => {
      const real = await importOriginal<typeof import('node:crypto')>();
      return {
        ...real,
        createHash: (algorithm: string) => {
          if (algorithm === 'sm3') throw new Error('Digest method not supported');
          return real.createHash(algorithm);
        },
      };
    });
    const { selfTestNationalCrypto: selfTest } = await import('./sm.ts');
    expect(() => selfTest()).toThrow(/SM3\("abc"\), SM3\("abcd"×16\)/);
  });
});
