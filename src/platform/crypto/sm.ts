import { createCipheriv, createHash, createHmac, getCiphers } from 'node:crypto';
import { HmacSm3Key, sm3Fast } from './sm3-fast.ts';
import { cbcDecrypt, cbcEncrypt, Sm4Key } from './sm4-fast.ts';

export function sm3(data: string | Buffer): Buffer {
  return createHash('sm3').update(data).digest();
}

export function hmacSm3(key: Buffer, data: string | Buffer): Buffer {
  return createHmac('sm3', key).update(data).digest();
}

const SM4_VECTOR = '0123456789abcdeffedcba9876543210';
const SM3_ABC = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
const SM3_ABCD16 = 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732';
const SM4_VECTOR_CT = '681edf34d206965e86b3e94f536e4246';

/** Fixed, patterned bytes for the start-up cross-checks. */
function pattern(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 17 + 7) & 0xff;
  return out;
}

// Around the SM3 padding boundaries (55/56, 63/64, 119/120), key lengths below, at (zero-padded) and
// above (hashed) the 64-byte block, and SM4 block boundaries. Few, because this runs cold at every
// start; the tests (sm3-fast.test.ts, sm4-fast.test.ts) check thousands of random inputs.
const HASH_LENGTHS = [0, 3, 55, 56, 63, 64, 119, 120];
const HMAC_KEY_LENGTHS = [0, 32, 64, 65];
const CBC_LENGTHS = [0, 1, 15, 16, 17, 33];

function fastSm3MatchesOpenSsl(): boolean {
  return HASH_LENGTHS.every((n) => {
    const data = pattern(n, 1);
    return Buffer.from(sm3Fast(data)).equals(sm3(data));
  });
}

function fastHmacMatchesOpenSsl(): boolean {
  return HMAC_KEY_LENGTHS.every((k) => {
    const key = pattern(k, 2);
    const fast = new HmacSm3Key(key);
    return HASH_LENGTHS.every((n) => {
      const data = pattern(n, 3);
      return Buffer.from(fast.mac(data)).equals(hmacSm3(key, data));
    });
  });
}

function fastSm4CbcMatchesOpenSsl(): boolean {
  const keyBytes = pattern(16, 4);
  const iv = pattern(16, 5);
  const key = new Sm4Key(keyBytes);
  return CBC_LENGTHS.every((n) => {
    const plain = pattern(n, 6);
    const cipher = createCipheriv('sm4-cbc', keyBytes, iv);
    const expected = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.from(cbcEncrypt(key, iv, plain)).equals(expected) && Buffer.from(cbcDecrypt(key, iv, expected)).equals(plain);
  });
}

function fastSm4Vector(): boolean {
  const bytes = Buffer.from(SM4_VECTOR, 'hex');
  const key = new Sm4Key(bytes);
  const ct = new Uint8Array(16);
  key.encryptBlock(bytes, 0, ct, 0);
  const back = new Uint8Array(16);
  key.decryptBlock(ct, 0, back, 0);
  return Buffer.from(ct).toString('hex') === SM4_VECTOR_CT && Buffer.from(back).equals(bytes);
}

/**
 * Some OpenSSL builds leave out the national algorithms, and a wrong implementation would silently
 * produce data nobody else can read; so the process refuses to start unless the published
 * GB/T 32905 and GB/T 32907 vectors come out right, both from OpenSSL and from the typed-array
 * implementations that field encryption uses (sm3-fast.ts, sm4-fast.ts), and unless those two agree
 * byte for byte on fixed inputs around every padding and block boundary.
 */
export function selfTestNationalCrypto(): void {
  const checks: Array<[string, () => boolean]> = [
    ['SM3("abc")', () => sm3('abc').toString('hex') === SM3_ABC],
    ['SM3("abcd"×16)', () => sm3('abcd'.repeat(16)).toString('hex') === SM3_ABCD16],
    [
      'SM4-ECB test vector',
      () => {
        const key = Buffer.from(SM4_VECTOR, 'hex');
        const cipher = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
        const out = Buffer.concat([cipher.update(key), cipher.final()]);
        return out.toString('hex') === SM4_VECTOR_CT;
      },
    ],
    ['sm4-cbc cipher available', () => getCiphers().includes('sm4-cbc')],
    [
      'fast SM3 vectors',
      () =>
        Buffer.from(sm3Fast(Buffer.from('abc'))).toString('hex') === SM3_ABC &&
        Buffer.from(sm3Fast(Buffer.from('abcd'.repeat(16)))).toString('hex') === SM3_ABCD16,
    ],
    ['fast SM4 test vector', fastSm4Vector],
    ['fast SM3 = OpenSSL', fastSm3MatchesOpenSsl],
    ['fast HMAC-SM3 = OpenSSL', fastHmacMatchesOpenSsl],
    ['fast SM4-CBC = OpenSSL', fastSm4CbcMatchesOpenSsl],
  ];
  const failed = checks
    .filter(([, check]) => {
      try {
        return !check();
      } catch {
        return true;
      }
    })
    .map(([name]) => name);
  if (failed.length > 0) {
    throw new Error(`National cryptography self-test failed (OpenSSL or cardflow's own SM3/SM4 is missing or miscomputes): ${failed.join(', ')}`);
  }
}
