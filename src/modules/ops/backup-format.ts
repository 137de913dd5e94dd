import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataKey, Keyring } from '../../platform/crypto/keyring.ts';
import { AppError } from '../../platform/errors/app-error.ts';

export const BACKUP_FORMAT = 'cardflow-backup/1';

/** What a row count and content checksum of one table looked like when the backup was taken. */
export interface TableFingerprint {
  rows: number;
  /** md5 over the sorted md5 of every row's text form: equal content gives an equal checksum. */
  checksum: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  engine: 'pglite' | 'postgres';
  createdAt: string;
  /** PGlite: a gzipped tarball of the data directory; PostgreSQL: pg_dump's custom format. */
  content: 'pglite-datadir-tgz' | 'pg_dump-custom';
  /** Which data key of the key file the backup keys are derived from; the key itself is never in the backup. */
  keyId: string;
  cipher: 'SM4-CBC';
  iv: string;
  payload: {
    file: string;
    bytes: number;
    plainBytes: number;
    /** SM3 of the plaintext: proves the decrypted dump is the one that was written. */
    plainSm3: string;
    /** HMAC-SM3 of the ciphertext: checked before anything is decrypted or restored. */
    mac: string;
  };
  /** How many migrations the database had: a backup from newer code is not restored by older code. */
  migrations: number;
  tables: Record<string, TableFingerprint>;
  /** HMAC-SM3 of every other field (canonical JSON), so that the manifest cannot be edited either. */
  manifestMac: string;
}

export type UnsignedManifest = Omit<BackupManifest, 'manifestMac'>;

interface BackupKeys {
  enc: Buffer;
  mac: Buffer;
}

/**
 * Backup keys are derived from a data key with HMAC-SM3 and a purpose label rather than used directly:
 * the same key material then never encrypts both database fields and whole dumps.
 */
export function backupKeys(key: DataKey): BackupKeys {
  const derive = (label: string) => createHmac('sm3', key.mac).update(label).digest();
  return { enc: derive('cardflow backup encryption').subarray(0, 16), mac: derive('cardflow backup authentication') };
}

function keysFor(keyring: Keyring, keyId: string): BackupKeys {
  if (!keyring.keyIds().includes(keyId)) throw new AppError('BACKUP_KEY_MISSING', { params: { keyId } });
  return backupKeys(keyring.key(keyId));
}

/** Deterministic JSON (sorted keys at every level) so that the MAC does not depend on field order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function signManifest(keyring: Keyring, manifest: UnsignedManifest): BackupManifest {
  const { mac } = keysFor(keyring, manifest.keyId);
  return { ...manifest, manifestMac: createHmac('sm3', mac).update(canonical(manifest)).digest('hex') };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** Parses and authenticates a manifest; a manifest that was edited or is not ours is refused. */
export function openManifest(keyring: Keyring, text: string): BackupManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('BACKUP_MANIFEST_INVALID', { params: { reason: 'not JSON' } });
  }
  const m = parsed as Partial<BackupManifest> | null;
  if (!m || m.format !== BACKUP_FORMAT || typeof m.keyId !== 'string' || typeof m.manifestMac !== 'string' || !m.payload || typeof m.payload.file !== 'string') {
    throw new AppError('BACKUP_MANIFEST_INVALID', { params: { reason: `not a ${BACKUP_FORMAT} manifest` } });
  }
  if (m.payload.file.includes('/') || m.payload.file.includes('\\') || m.payload.file.startsWith('.')) {
    throw new AppError('BACKUP_MANIFEST_INVALID', { params: { reason: 'payload file name' } });
  }
  const { manifestMac, ...rest } = m as BackupManifest;
  const { mac } = keysFor(keyring, m.keyId);
  if (!sameHex(createHmac('sm3', mac).update(canonical(rest)).digest('hex'), manifestMac)) throw new AppError('BACKUP_TAMPERED', { params: { what: 'manifest' } });
  return m as BackupManifest;
}

/** A pass-through stream that feeds every chunk to `seen` (a hash, a counter). */
function tap(seen: (chunk: Buffer) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen(chunk);
      done(null, chunk);
    },
  });
}

export interface SealResult {
  keyId: string;
  iv: string;
  bytes: number;
  plainBytes: number;
  plainSm3: string;
  mac: string;
}

/** Encrypts a dump stream into `out` with the active key, hashing the plaintext and authenticating the ciphertext on the way. */
export async function sealStream(keyring: Keyring, source: Readable, out: Writable): Promise<SealResult> {
  const keyId = keyring.activeKeyId;
  const keys = keysFor(keyring, keyId);
  const iv = randomBytes(16);
  const plainHash = createHash('sm3');
  const mac = createHmac('sm3', keys.mac).update(iv);
  let plainBytes = 0;
  let bytes = 0;
  await pipeline(
    source,
    tap((c) => {
      plainHash.update(c);
      plainBytes += c.length;
    }),
    createCipheriv('sm4-cbc', keys.enc, iv),
    tap((c) => {
      mac.update(c);
      bytes += c.length;
    }),
    out,
  );
  return { keyId, iv: iv.toString('hex'), bytes, plainBytes, plainSm3: plainHash.digest('hex'), mac: mac.digest('hex') };
}

/** Checks the ciphertext's HMAC over the whole file before anything is decrypted. */
export async function checkPayload(keyring: Keyring, manifest: BackupManifest, file: string): Promise<void> {
  const keys = keysFor(keyring, manifest.keyId);
  const mac = createHmac('sm3', keys.mac).update(Buffer.from(manifest.iv, 'hex'));
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      mac.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('BACKUP_MANIFEST_INVALID', { params: { reason: `payload ${manifest.payload.file} is missing` } });
    throw err;
  }
  if (bytes !== manifest.payload.bytes || !sameHex(mac.digest('hex'), manifest.payload.mac)) throw new AppError('BACKUP_TAMPERED', { params: { what: manifest.payload.file } });
}

/** Decrypts an authenticated payload into `target`, then proves the plaintext is the one that was backed up. */
export async function openPayload(keyring: Keyring, manifest: BackupManifest, file: string, target: string): Promise<void> {
  await checkPayload(keyring, manifest, file);
  const keys = keysFor(keyring, manifest.keyId);
  const plainHash = createHash('sm3');
  await pipeline(
    createReadStream(file),
    createDecipheriv('sm4-cbc', keys.enc, Buffer.from(manifest.iv, 'hex')),
    tap((c) => plainHash.update(c)),
    createWriteStream(target, { mode: 0o600 }),
  );
  if (plainHash.digest('hex') !== manifest.payload.plainSm3) throw new AppError('BACKUP_TAMPERED', { params: { what: 'decrypted content' } });
}
