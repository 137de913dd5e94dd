import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../errors/app-error.ts';
import { shanghaiToday } from '../validators/citizen-id.ts';

export interface KeyFileEntry {
  enc: string;
  mac: string;
  createdAt: string;
}

/** The on-disk (or CARDFLOW_KEYS) form: hex key material, one active key, older keys kept for decryption. */
export interface KeyFile {
  version: 1;
  active: string;
  keys: Record<string, KeyFileEntry>;
  blindIndex: string;
}

export interface DataKey {
  readonly id: string;
  /** 16-byte SM4 key */
  readonly enc: Buffer;
  /** 32-byte HMAC-SM3 key */
  readonly mac: Buffer;
  readonly createdAt: string;
}

// Key ids travel inside "v1.<keyId>.…" tokens, so they must never contain the '.' separator.
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export class Keyring {
  readonly activeKeyId: string;
  readonly blindIndexKey: Buffer;
  readonly #keys: ReadonlyMap<string, DataKey>;

  private constructor(activeKeyId: string, keys: ReadonlyMap<string, DataKey>, blindIndexKey: Buffer) {
    this.activeKeyId = activeKeyId;
    this.#keys = keys;
    this.blindIndexKey = blindIndexKey;
  }

  static fromKeyFile(value: unknown): Keyring {
    const file = validateKeyFile(value);
    const keys = new Map<string, DataKey>();
    for (const [id, entry] of Object.entries(file.keys)) {
      keys.set(id, { id, enc: Buffer.from(entry.enc, 'hex'), mac: Buffer.from(entry.mac, 'hex'), createdAt: entry.createdAt });
    }
    return new Keyring(file.active, keys, Buffer.from(file.blindIndex, 'hex'));
  }

  get active(): DataKey {
    return this.key(this.activeKeyId);
  }

  /** @throws AppError KEY_NOT_FOUND */
  key(id: string): DataKey {
    const key = this.#keys.get(id);
    if (!key) throw new AppError('KEY_NOT_FOUND', { params: { keyId: id } });
    return key;
  }

  keyIds(): string[] {
    return [...this.#keys.keys()];
  }
}

function invalid(what: string): never {
  throw new Error(`Invalid key file: ${what}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireOnlyFields(obj: Record<string, unknown>, allowed: string[], where: string): void {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length > 0) invalid(`${where} has unknown field(s) ${extra.join(', ')}`);
}

function requireHex(value: unknown, bytes: number, where: string): string {
  if (typeof value !== 'string' || value.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(value)) {
    invalid(`${where} must be ${bytes * 2} hex characters (${bytes} bytes)`);
  }
  return value.toLowerCase();
}

/** Checks every field and returns a normalised copy; error messages name the field but never show key material. */
export function validateKeyFile(value: unknown): KeyFile {
  if (!isRecord(value)) invalid('expected a JSON object');
  requireOnlyFields(value, ['version', 'active', 'keys', 'blindIndex'], 'the top level');
  if (value.version !== 1) invalid(`version must be 1`);
  if (!isRecord(value.keys) || Object.keys(value.keys).length === 0) invalid('keys must be a non-empty object');
  const keys: Record<string, KeyFileEntry> = {};
  for (const [id, entry] of Object.entries(value.keys)) {
    if (!KEY_ID.test(id)) invalid(`key id "${id}" must be 1–32 letters, digits, '_' or '-'`);
    if (!isRecord(entry)) invalid(`keys.${id} must be an object`);
    requireOnlyFields(entry, ['enc', 'mac', 'createdAt'], `keys.${id}`);
    const { createdAt } = entry;
    if (typeof createdAt !== 'string' || !ISO_TIMESTAMP.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
      invalid(`keys.${id}.createdAt must be an ISO 8601 timestamp`);
    }
    keys[id] = { enc: requireHex(entry.enc, 16, `keys.${id}.enc`), mac: requireHex(entry.mac, 32, `keys.${id}.mac`), createdAt };
  }
  if (typeof value.active !== 'string' || !(value.active in keys)) invalid('active must name one of the keys');
  return { version: 1, active: value.active, keys, blindIndex: requireHex(value.blindIndex, 32, 'blindIndex') };
}

/** a, b, …, z, aa, ab, … so any number of keys made on one day still get distinct, sortable-enough ids */
function letters(n: number): string {
  let out = '';
  for (let i = n + 1; i > 0; i = Math.floor((i - 1) / 26)) out = String.fromCharCode(97 + ((i - 1) % 26)) + out;
  return out;
}

function newEntry(now: Date): KeyFileEntry {
  return { enc: randomBytes(16).toString('hex'), mac: randomBytes(32).toString('hex'), createdAt: now.toISOString() };
}

function freshKeyId(existing: Record<string, unknown>, now: Date): string {
  const day = `k${shanghaiToday(now).replaceAll('-', '')}`;
  for (let n = 0; ; n++) {
    const id = day + letters(n);
    if (!(id in existing)) return id;
  }
}

export function generateKeyFile(now: Date = new Date()): KeyFile {
  const id = freshKeyId({}, now);
  return { version: 1, active: id, keys: { [id]: newEntry(now) }, blindIndex: randomBytes(32).toString('hex') };
}

/**
 * Rotation: a new active data key; old keys stay so existing ciphertext still decrypts. The blind-index
 * key is deliberately kept, since changing it would orphan every stored index.
 */
export function addKey(file: KeyFile, now: Date = new Date()): KeyFile {
  const current = validateKeyFile(file);
  const id = freshKeyId(current.keys, now);
  return { ...current, active: id, keys: { ...current.keys, [id]: newEntry(now) } };
}

function parseKeyJson(text: string, origin: string): KeyFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's own message quotes the surrounding text, which here is key material.
    throw new Error(`Invalid key file: ${origin} is not valid JSON`);
  }
  return validateKeyFile(value);
}

export function readKeyFile(path: string): KeyFile {
  return parseKeyJson(readFileSync(path, 'utf8'), path);
}

export function loadKeyringFromFile(path: string): Keyring {
  return Keyring.fromKeyFile(readKeyFile(path));
}

/** For the CARDFLOW_KEYS environment variable, which holds the same JSON as the key file. */
export function keyringFromJson(text: string): Keyring {
  return Keyring.fromKeyFile(parseKeyJson(text, 'the key JSON'));
}

/** Owner-only and atomic: a crash mid-write must never leave a truncated key file behind. */
export function writeKeyFile(path: string, file: KeyFile): void {
  const text = `${JSON.stringify(validateKeyFile(file), null, 2)}\n`;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
