import { Keyring, generateKeyFile } from '../src/platform/crypto/keyring.ts';
import { encryptField } from '../src/platform/crypto/field-cipher.ts';
import { blindIndex } from '../src/platform/crypto/blind-index.ts';
import { checkDigit } from '../src/platform/validators/citizen-id.ts';
import type { BenchRow } from './support.ts';

/** SM4-CBC + HMAC-SM3 encryption plus the HMAC-SM3 blind index of one citizen ID number = one field. */
export function benchFieldCrypto(seconds = 3): BenchRow[] {
  const keyring = Keyring.fromKeyFile(generateKeyFile());
  const ids: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const first17 = `320412${1960 + (i % 50)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
    ids.push(first17 + checkDigit(first17));
  }
  for (let i = 0; i < 2000; i++) encryptField(keyring, ids[i]!);
  let n = 0;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 1000; i++) {
      const id = ids[(n + i) % ids.length]!;
      encryptField(keyring, id);
      blindIndex(keyring, 'citizen_id', id);
    }
    n += 1000;
  }
  const perSecond = Math.round(n / ((performance.now() - t0) / 1000));
  return [{ scenario: 'field crypto (1 core)', metric: 'ID numbers encrypted + blind-indexed', value: perSecond, unit: 'fields/s', target: '≥ 100,000', pass: perSecond >= 100_000 }];
}
