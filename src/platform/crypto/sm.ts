import { createCipheriv, createHash, createHmac, getCiphers } from 'node:crypto';

export function sm3(data: string | Buffer): Buffer {
  return createHash('sm3').update(data).digest();
}

export function hmacSm3(key: Buffer, data: string | Buffer): Buffer {
  return createHmac('sm3', key).update(data).digest();
}

const SM4_VECTOR = '0123456789abcdeffedcba9876543210';

/**
 * Some OpenSSL builds leave out the national algorithms, and a wrong implementation would silently
 * produce data nobody else can read; so the process refuses to start unless the published
 * GB/T 32905 and GB/T 32907 vectors come out right.
 */
export function selfTestNationalCrypto(): void {
  const checks: Array<[string, () => boolean]> = [
    ['SM3("abc")', () => sm3('abc').toString('hex') === '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'],
    [
      'SM3("abcd"×16)',
      () => sm3('abcd'.repeat(16)).toString('hex') === 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    ],
    [
      'SM4-ECB test vector',
      () => {
        const key = Buffer.from(SM4_VECTOR, 'hex');
        const cipher = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
        const out = Buffer.concat([cipher.update(key), cipher.final()]);
        return out.toString('hex') === '681edf34d206965e86b3e94f536e4246';
      },
    ],
    ['sm4-cbc cipher available', () => getCiphers().includes('sm4-cbc')],
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
    throw new Error(`National cryptography self-test failed (OpenSSL lacks or miscomputes SM3/SM4): ${failed.join(', ')}`);
  }
}
