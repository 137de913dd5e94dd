import { afterEach, describe, expect, it, vi } from 'vitest';

/* selfTestNationalCrypto() must also refuse to start when the hand-written SM3/SM4 go wrong. */
describe('selfTestNationalCrypto and the fast implementations', () => {
  afterEach(() => {
    vi.doUnmock('./sm3-fast.ts');
    vi.doUnmock('./sm4-fast.ts');
    vi.resetModules();
  });

  it('names fast SM3 when the hand-written hash is wrong on longer inputs only', async () => {
    vi.resetModules();
    vi.doMock('./sm3-fast.ts', async (importOriginal) => {
      const real = await importOriginal<typeof import('./sm3-fast.ts')>();
      return {
        ...real,
        sm3Fast: (data: Uint8Array) => {
          const out = real.sm3Fast(data);
          if (data.length > 60) out[0]! ^= 0x80; // right on "abc", wrong on "abcd"×16 and on long inputs
          return out;
        },
      };
    });
    const { selfTestNationalCrypto } = await import('./sm.ts');
    expect(() => selfTestNationalCrypto()).toThrow(/: fast SM3 vectors, fast SM3 = OpenSSL$/);
  });

  it('names fast HMAC-SM3 when the hand-written MAC is off by one bit', async () => {
    vi.resetModules();
    vi.doMock('./sm3-fast.ts', async (importOriginal) => {
      const real = await importOriginal<typeof import('./sm3-fast.ts')>();
      class FlippedHmac extends real.HmacSm3Key {
        override mac(message: Uint8Array): Uint8Array {
          const out = super.mac(message);
          out[31]! ^= 1;
          return out;
        }
      }
      return { ...real, HmacSm3Key: FlippedHmac };
    });
    const { selfTestNationalCrypto } = await import('./sm.ts');
    expect(() => selfTestNationalCrypto()).toThrow(/: fast HMAC-SM3 = OpenSSL$/);
  });

  it('names fast SM4-CBC when the hand-written cipher disagrees with OpenSSL on a padded length', async () => {
    vi.resetModules();
    vi.doMock('./sm4-fast.ts', async (importOriginal) => {
      const real = await importOriginal<typeof import('./sm4-fast.ts')>();
      return {
        ...real,
        cbcEncrypt: (key: InstanceType<typeof real.Sm4Key>, iv: Uint8Array, plain: Uint8Array) => {
          const out = real.cbcEncrypt(key, iv, plain);
          if (plain.length === 33) out[out.length - 1]! ^= 1;
          return out;
        },
      };
    });
    const { selfTestNationalCrypto } = await import('./sm.ts');
    expect(() => selfTestNationalCrypto()).toThrow(/: fast SM4-CBC = OpenSSL$/);
  });

  it('passes with the real implementations', async () => {
    const { selfTestNationalCrypto } = await import('./sm.ts');
    expect(() => selfTestNationalCrypto()).not.toThrow();
  });
});
