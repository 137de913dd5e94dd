import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { generateKeyFile, Keyring } from '../../platform/crypto/keyring.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { BACKUP_FORMAT, openManifest, sealStream, signManifest, type UnsignedManifest } from './backup-format.ts';
import { backupDue } from './backup-jobs.ts';

const keyring = Keyring.fromKeyFile(generateKeyFile(new Date('2026-12-01T00:00:00Z')));

const unsigned: UnsignedManifest = {
  format: BACKUP_FORMAT,
  engine: 'pglite',
  createdAt: '2026-12-01T02:00:00.000Z',
  content: 'pglite-datadir-tgz',
  keyId: keyring.activeKeyId,
  cipher: 'SM4-CBC',
  iv: '00'.repeat(16),
  payload: { file: 'cardflow-pglite-20261201T020000Z.dump.sm4', bytes: 32, plainBytes: 20, plainSm3: 'ab', mac: 'cd' },
  migrations: 12,
  tables: { 'public.users': { rows: 3, checksum: 'ef' } },
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : 'other';
  }
  return 'none';
}

describe('backup manifest', () => {
  it('opens whatever the order of its fields, and refuses any changed value', () => {
    const signed = signManifest(keyring, unsigned);
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(signed).reverse()));
    expect(openManifest(keyring, reordered)).toEqual(signed);
    expect(codeOf(() => openManifest(keyring, JSON.stringify({ ...signed, migrations: 13 })))).toBe('BACKUP_TAMPERED');
    expect(codeOf(() => openManifest(keyring, JSON.stringify({ ...signed, tables: { 'public.users': { rows: 4, checksum: 'ef' } } })))).toBe('BACKUP_TAMPERED');
  });

  it('refuses text that is not a manifest and a payload name that leaves the backup directory', () => {
    expect(codeOf(() => openManifest(keyring, 'not json'))).toBe('BACKUP_MANIFEST_INVALID');
    expect(codeOf(() => openManifest(keyring, JSON.stringify({ format: 'other' })))).toBe('BACKUP_MANIFEST_INVALID');
    const escaping = signManifest(keyring, { ...unsigned, payload: { ...unsigned.payload, file: '../keys/cardflow-keys.json' } });
    expect(codeOf(() => openManifest(keyring, JSON.stringify(escaping)))).toBe('BACKUP_MANIFEST_INVALID');
  });
});

describe('sealing a dump', () => {
  it('hides the plaintext, pads to whole SM4 blocks and gives a different IV and ciphertext each time', async () => {
    const plain = Buffer.from('PGDMP 常州市公安局 '.repeat(100));
    const seal = async () => {
      const chunks: Buffer[] = [];
      const out = new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) });
      const r = await sealStream(keyring, Readable.from([plain]), out);
      return { r, bytes: Buffer.concat(chunks) };
    };
    const a = await seal();
    const b = await seal();
    expect(a.r.plainBytes).toBe(plain.length);
    expect(a.r.bytes).toBe(a.bytes.length);
    expect(a.bytes.length % 16).toBe(0);
    expect(a.bytes.length).toBeGreaterThan(plain.length);
    expect(a.bytes.includes(Buffer.from('PGDMP'))).toBe(false);
    expect(a.r.plainSm3).toBe(b.r.plainSm3);
    expect(a.r.iv).not.toBe(b.r.iv);
    expect(a.r.mac).not.toBe(b.r.mac);
  });
});

describe('when a scheduled backup is due', () => {
  const now = new Date('2026-12-01T02:00:00Z');
  it('is due with no backup yet, or once the last is an interval old, and never when turned off', () => {
    expect(backupDue(24, null, now)).toBe(true);
    expect(backupDue(24, new Date('2026-11-30T02:00:00Z'), now)).toBe(true);
    expect(backupDue(24, new Date('2026-11-30T02:00:01Z'), now)).toBe(false);
    expect(backupDue(0, null, now)).toBe(false);
  });
});
