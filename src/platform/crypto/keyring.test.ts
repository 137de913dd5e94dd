import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import {
  addKey,
  generateKeyFile,
  Keyring,
  keyringFromJson,
  loadKeyringFromFile,
  readKeyFile,
  validateKeyFile,
  writeKeyFile,
  type KeyFile,
} from './keyring.ts';

// 2026-11-21T20:00Z is already 22 November in Shanghai.
const NOW = new Date('2026-11-21T20:00:00Z');

describe('generateKeyFile / addKey', () => {
  it('creates one active key of the right sizes, named after the Shanghai date', () => {
    const file = generateKeyFile(NOW);
    expect(file.active).toBe('k20261122a');
    const entry = file.keys[file.active];
    expect(entry?.enc).toMatch(/^[0-9a-f]{32}$/);
    expect(entry?.mac).toMatch(/^[0-9a-f]{64}$/);
    expect(entry?.createdAt).toBe(NOW.toISOString());
    expect(file.blindIndex).toMatch(/^[0-9a-f]{64}$/);
    expect(generateKeyFile(NOW).blindIndex).not.toBe(file.blindIndex);
  });

  it('rotates to a new active key, keeping old keys and the blind-index key', () => {
    const first = generateKeyFile(NOW);
    const second = addKey(first, NOW);
    const third = addKey(second, new Date('2026-12-01T01:00:00Z'));
    expect(second.active).toBe('k20261122b');
    expect(third.active).toBe('k20261201a');
    expect(Object.keys(third.keys).sort()).toEqual(['k20261122a', 'k20261122b', 'k20261201a']);
    expect(third.keys.k20261122a).toEqual(first.keys.k20261122a);
    expect(third.keys.k20261201a?.enc).not.toBe(first.keys.k20261122a?.enc);
    expect(third.blindIndex).toBe(first.blindIndex);
    expect(first.active).toBe('k20261122a');
  });

  it('keeps ids unique past 26 keys a day', () => {
    let file = generateKeyFile(NOW);
    for (let i = 0; i < 30; i++) file = addKey(file, NOW);
    expect(Object.keys(file.keys)).toHaveLength(31);
    expect(file.active).toBe('k20261122ae');
  });
});

describe('Keyring', () => {
  it('exposes the active key and every key by id as buffers', () => {
    const file = addKey(generateKeyFile(NOW), NOW);
    const ring = Keyring.fromKeyFile(file);
    expect(ring.activeKeyId).toBe('k20261122b');
    expect(ring.active.enc).toHaveLength(16);
    expect(ring.active.mac).toHaveLength(32);
    expect(ring.key('k20261122a').enc.toString('hex')).toBe(file.keys.k20261122a?.enc);
    expect(ring.blindIndexKey.toString('hex')).toBe(file.blindIndex);
    expect(ring.keyIds().sort()).toEqual(['k20261122a', 'k20261122b']);
  });

  it('answers KEY_NOT_FOUND with the id for an unknown key', () => {
    const ring = Keyring.fromKeyFile(generateKeyFile(NOW));
    const err = (() => {
      try {
        ring.key('k19990101a');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'KEY_NOT_FOUND', params: { keyId: 'k19990101a' } });
  });
});

describe('validateKeyFile', () => {
  const valid = generateKeyFile(NOW);
  const key = valid.keys[valid.active]!;
  const cases: Array<[string, unknown, RegExp]> = [
    ['not an object', [], /expected a JSON object/],
    ['wrong version', { ...valid, version: 2 }, /version must be 1/],
    ['unknown top-level field', { ...valid, extra: 1 }, /top level has unknown field\(s\) extra/],
    ['no keys', { ...valid, keys: {} }, /keys must be a non-empty object/],
    ['active missing', { ...valid, active: 'nope' }, /active must name one of the keys/],
    ['short enc', { ...valid, keys: { [valid.active]: { ...key, enc: 'ab' } } }, /keys\.k20261122a\.enc must be 32 hex/],
    ['non-hex mac', { ...valid, keys: { [valid.active]: { ...key, mac: 'z'.repeat(64) } } }, /keys\.k20261122a\.mac must be 64 hex/],
    ['bad createdAt', { ...valid, keys: { [valid.active]: { ...key, createdAt: 'yesterday' } } }, /createdAt must be an ISO 8601/],
    ['unknown key field', { ...valid, keys: { [valid.active]: { ...key, iv: '00' } } }, /keys\.k20261122a has unknown field\(s\) iv/],
    ['dot in key id', { ...valid, active: 'k.1', keys: { 'k.1': key } }, /key id "k\.1"/],
    ['short blind-index key', { ...valid, blindIndex: 'ab'.repeat(16) }, /blindIndex must be 64 hex/],
  ];

  it.each(cases)('rejects %s', (_name, file, message) => {
    expect(() => validateKeyFile(file)).toThrow(message);
  });

  it('never puts key material in its messages', () => {
    const broken = { ...valid, blindIndex: valid.blindIndex.slice(2) };
    expect(() => keyringFromJson(JSON.stringify(broken))).toThrow(/blindIndex/);
    try {
      keyringFromJson(`${JSON.stringify(valid).slice(0, -1)},`);
    } catch (e) {
      expect((e as Error).message).toBe('Invalid key file: the key JSON is not valid JSON');
      expect((e as Error).message).not.toContain(key.enc);
    }
    expect.assertions(3);
  });

  it('normalises hex to lower case', () => {
    const upper = { ...valid, blindIndex: valid.blindIndex.toUpperCase() };
    expect(validateKeyFile(upper).blindIndex).toBe(valid.blindIndex);
  });
});

describe('key files on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cardflow-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes owner-only, reads back the same keys, and leaves no temporary file', () => {
    const path = join(dir, 'keys.json');
    const file = generateKeyFile(NOW);
    writeKeyFile(path, file);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readKeyFile(path)).toEqual(file);
    expect(loadKeyringFromFile(path).activeKeyId).toBe(file.active);
    expect(readdirSync(dir)).toEqual(['keys.json']);
  });

  it('replaces an existing file (rotation) and tightens its mode', () => {
    const path = join(dir, 'rotate.json');
    writeFileSync(path, '{}', { mode: 0o644 });
    const rotated: KeyFile = addKey(generateKeyFile(NOW), NOW);
    writeKeyFile(path, rotated);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(rotated);
  });

  it('refuses to write an invalid file and leaves the old one alone', () => {
    const path = join(dir, 'keep.json');
    const good = generateKeyFile(NOW);
    writeKeyFile(path, good);
    expect(() => writeKeyFile(path, { ...good, active: 'missing' })).toThrow(/active/);
    expect(readKeyFile(path)).toEqual(good);
  });

  it('reads the same JSON from a string (CARDFLOW_KEYS)', () => {
    const file = generateKeyFile(NOW);
    expect(keyringFromJson(JSON.stringify(file)).blindIndexKey.toString('hex')).toBe(file.blindIndex);
  });
});
