import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blindIndex, type BlindIndexKind } from './blind-index.ts';
import { addKey, generateKeyFile, Keyring } from './keyring.ts';
import { hmacSm3 } from './sm.ts';

const file = generateKeyFile();
const ring = Keyring.fromKeyFile(file);
const KINDS: BlindIndexKind[] = ['citizen_id', 'phone', 'bank_account', 'name'];

describe('blindIndex', () => {
  it('is lower-case hex HMAC-SM3 of "kind:value" under the blind-index key', () => {
    const index = blindIndex(ring, 'phone', '13812348000');
    expect(index).toMatch(/^[0-9a-f]{64}$/);
    expect(index).toBe(hmacSm3(Buffer.from(file.blindIndex, 'hex'), 'phone:13812348000').toString('hex'));
    expect(blindIndex(ring, 'phone', '13812348000')).toBe(index);
  });

  it('separates kinds: the same value gives a different index in each column', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const indexes = KINDS.map((kind) => blindIndex(ring, kind, value));
        expect(new Set(indexes).size).toBe(KINDS.length);
      }),
    );
  });

  it('distinguishes values', () => {
    expect(blindIndex(ring, 'name', '张三')).not.toBe(blindIndex(ring, 'name', '张叁'));
  });

  it('does not change when the data key is rotated', () => {
    const rotated = Keyring.fromKeyFile(addKey(addKey(file)));
    expect(rotated.activeKeyId).not.toBe(ring.activeKeyId);
    for (const kind of KINDS) expect(blindIndex(rotated, kind, '11010519491231002X')).toBe(blindIndex(ring, kind, '11010519491231002X'));
  });

  it('depends on the blind-index key, so another deployment cannot match our indexes', () => {
    const other = Keyring.fromKeyFile({ ...file, blindIndex: generateKeyFile().blindIndex });
    expect(blindIndex(other, 'citizen_id', '11010519491231002X')).not.toBe(blindIndex(ring, 'citizen_id', '11010519491231002X'));
  });
});
