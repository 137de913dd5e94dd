import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual, type Hmac } from 'node:crypto';
import { open, mkdir, writeFile } from 'node:fs/promises';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { sm2 } from 'sm-crypto';
import { sm3 } from '../../platform/crypto/sm.ts';

/**
 * The production data package (docs/production-package.md has the byte layout for other readers):
 *
 *   MAGIC (8 bytes "CFPKG01\n") ‖ header length (uint32 big-endian) ‖ header (UTF-8 JSON)
 *   ‖ SM4-CBC(PKCS#7) ciphertext of a POSIX ustar tar ‖ HMAC-SM3 tag (32 bytes)
 *
 * The tag covers every byte before it (encrypt-then-MAC), so a reader checks it before decrypting.
 */
export const PACKAGE_MAGIC = Buffer.from('CFPKG01\n', 'latin1');
export const PACKAGE_FORMAT_VERSION = 1;
export const TAG_BYTES = 32;
export const ALGORITHM = 'SM4-CBC-PKCS7/HMAC-SM3';

/** The SM4 kind: a 32-byte secret, first half the SM4 key, second half the HMAC-SM3 key. */
export function splitSecret(secret: Buffer): { encKey: Buffer; macKey: Buffer } {
  if (secret.length !== 32) throw new Error('a package secret is 32 bytes (64 hex digits)');
  return { encKey: Buffer.from(secret.subarray(0, 16)), macKey: Buffer.from(secret.subarray(16, 32)) };
}

/** The SM2 kind: the MAC key is SM3("cardflow package mac" ‖ content key), so only a holder of the content key can verify. */
export function macKeyFromContentKey(contentKey: Buffer): Buffer {
  return sm3(Buffer.concat([Buffer.from('cardflow package mac', 'utf8'), contentKey]));
}

/** Fingerprint of an SM4 secret: SM3("cardflow package key" ‖ secret), first 16 bytes in hex; reveals nothing of the secret. */
export function secretFingerprint(secret: Buffer): string {
  return sm3(Buffer.concat([Buffer.from('cardflow package key', 'utf8'), secret])).subarray(0, 16).toString('hex');
}

/** Fingerprint of an SM2 public key: SM3 of its uncompressed point bytes (04 ‖ x ‖ y), first 16 bytes in hex. */
export function publicKeyFingerprint(publicKeyHex: string): string {
  return sm3(Buffer.from(publicKeyHex, 'hex')).subarray(0, 16).toString('hex');
}

/** Whether a hex string is an uncompressed SM2 public key (04 ‖ x ‖ y) on the curve. */
export function isSm2PublicKey(publicKeyHex: string): boolean {
  if (!/^04[0-9a-fA-F]{128}$/.test(publicKeyHex)) return false;
  const verify = (sm2 as typeof sm2 & { verifyPublicKey(k: string): boolean }).verifyPublicKey;
  try {
    return verify(publicKeyHex.toLowerCase());
  } catch {
    return false;
  }
}

export type PackageKey = { kind: 'SM4'; id: string; fingerprint: string; secret: Buffer } | { kind: 'SM2'; id: string; fingerprint: string; publicKey: string };

export interface PackageHeader {
  formatVersion: number;
  batchId: string;
  batchNo: string;
  createdAt: string;
  keyId: string;
  keyFingerprint: string;
  keyKind: 'SM4' | 'SM2';
  algorithm: string;
  iv: string;
  /** SM2 only: the 16-byte SM4 content key encrypted to the producer's public key, C1C3C2, hex (as sm-crypto writes it, C1 without its 04 prefix). */
  encryptedContentKey?: string;
}

// ---------------------------------------------------------------- tar (POSIX ustar)

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** A 512-byte ustar header for a regular file (mode 0644, owner 0, mtime in seconds). */
export function tarHeader(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new Error(`tar entry name too long: ${name}`);
  nameBytes.copy(h, 0);
  h.write(octal(0o644, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(mtime, 12), 136, 'latin1');
  h.write('        ', 148, 'latin1'); // checksum field counts as spaces while summing
  h.write('0', 156, 'latin1');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'latin1');
  return h;
}

/** Zero bytes that fill an entry of `size` bytes up to the next 512-byte boundary. */
export function tarPadding(size: number): Buffer {
  const rest = size % 512;
  return Buffer.alloc(rest === 0 ? 0 : 512 - rest, 0);
}

/** Two zero blocks end the archive. */
export const TAR_END = Buffer.alloc(1024, 0);

// ---------------------------------------------------------------- writing

export interface PackageRecord {
  cardId: string;
  /** The record line exactly as ordered (its SM3 is card_attempts.record_sm3), without newline. */
  line: Buffer;
  photo: Buffer | null;
}

export interface PackageSource {
  batchId: string;
  batchNo: string;
  programme: { id: string; kind: string; name: string };
  producer: { id: string; name: string };
  cardCount: number;
  createdAt: Date;
  /** Records in packing order, in chunks; called twice (the first pass sizes records.jsonl), photos only needed on the second. */
  chunks(withPhotos: boolean): AsyncIterable<PackageRecord[]>;
}

export interface ManifestEntry {
  path: string;
  size: number;
  sm3: string;
}

export interface Manifest {
  formatVersion: number;
  batchId: string;
  batchNo: string;
  programme: { id: string; kind: string; name: string };
  producer: { id: string; name: string };
  counts: { records: number; photos: number };
  createdAt: string;
  entries: ManifestEntry[];
}

/** The plaintext tar: records.jsonl, photos/<card-id>.jpg in packing order, then manifest.json (last, so it can name every entry's SM3). */
export async function* tarStream(src: PackageSource): AsyncGenerator<Buffer> {
  const mtime = Math.floor(src.createdAt.getTime() / 1000);
  const recordsHash = createHash('sm3');
  let recordsSize = 0;
  let records = 0;
  for await (const chunk of src.chunks(false)) {
    for (const r of chunk) {
      recordsHash.update(r.line).update('\n');
      recordsSize += r.line.length + 1;
      records++;
    }
  }
  const entries: ManifestEntry[] = [{ path: 'records.jsonl', size: recordsSize, sm3: recordsHash.digest('hex') }];
  yield tarHeader('records.jsonl', recordsSize, mtime);
  let written = 0;
  for await (const chunk of src.chunks(false)) {
    const lines = Buffer.concat(chunk.flatMap((r) => [r.line, Buffer.from('\n')]));
    written += lines.length;
    yield lines;
  }
  if (written !== recordsSize) throw new Error('batch records changed while the package was written');
  yield tarPadding(recordsSize);
  let photos = 0;
  for await (const chunk of src.chunks(true)) {
    for (const r of chunk) {
      if (!r.photo) continue;
      const name = `photos/${r.cardId}.jpg`;
      entries.push({ path: name, size: r.photo.length, sm3: sm3(r.photo).toString('hex') });
      yield Buffer.concat([tarHeader(name, r.photo.length, mtime), r.photo, tarPadding(r.photo.length)]);
      photos++;
    }
  }
  const manifest: Manifest = {
    formatVersion: PACKAGE_FORMAT_VERSION,
    batchId: src.batchId,
    batchNo: src.batchNo,
    programme: src.programme,
    producer: src.producer,
    counts: { records, photos },
    createdAt: src.createdAt.toISOString(),
    entries,
  };
  const body = Buffer.from(JSON.stringify(manifest, null, 2), 'utf8');
  yield Buffer.concat([tarHeader('manifest.json', body.length, mtime), body, tarPadding(body.length), TAR_END]);
}

/** Key material for one package: SM4 uses the producer's secret; SM2 a fresh content key wrapped to the public key. */
export function packageKeys(key: PackageKey): { encKey: Buffer; macKey: Buffer; encryptedContentKey?: string } {
  if (key.kind === 'SM4') return splitSecret(key.secret);
  const contentKey = randomBytes(16);
  const encryptedContentKey = sm2.doEncrypt(Array.from(contentKey), key.publicKey, 1);
  return { encKey: contentKey, macKey: macKeyFromContentKey(contentKey), encryptedContentKey };
}

/** The encrypted package as a stream of buffers: header, ciphertext as the tar is produced, tag. Memory stays flat. */
export async function* encryptedPackage(src: PackageSource, key: PackageKey, now: Date = new Date()): AsyncGenerator<Buffer> {
  const keys = packageKeys(key);
  const iv = randomBytes(16);
  const header: PackageHeader = {
    formatVersion: PACKAGE_FORMAT_VERSION,
    batchId: src.batchId,
    batchNo: src.batchNo,
    createdAt: now.toISOString(),
    keyId: key.id,
    keyFingerprint: key.fingerprint,
    keyKind: key.kind,
    algorithm: ALGORITHM,
    iv: iv.toString('hex'),
    ...(keys.encryptedContentKey ? { encryptedContentKey: keys.encryptedContentKey } : {}),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(headerBytes.length);
  const mac = createHmac('sm3', keys.macKey);
  const prefix = Buffer.concat([PACKAGE_MAGIC, len, headerBytes]);
  mac.update(prefix);
  yield prefix;
  const cipher = createCipheriv('sm4-cbc', keys.encKey, iv);
  for await (const plain of tarStream(src)) {
    const ct = cipher.update(plain);
    if (ct.length) {
      mac.update(ct);
      yield ct;
    }
  }
  const last = cipher.final();
  mac.update(last);
  yield Buffer.concat([last, mac.digest()]);
}

// ---------------------------------------------------------------- reading

export class PackageError extends Error {}

export interface DecryptKey {
  /** The 32-byte SM4 secret (SM4 packages). */
  secret?: Buffer;
  /** The SM2 private key in hex (SM2 packages). */
  sm2PrivateKey?: string;
}

async function readPrefix(file: string): Promise<{ header: PackageHeader; headerEnd: number; size: number }> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(12);
    await fh.read(head, 0, 12, 0);
    if (size < 12 + TAG_BYTES || !head.subarray(0, 8).equals(PACKAGE_MAGIC)) throw new PackageError('not a cardflow production package (wrong magic bytes)');
    const hlen = head.readUInt32BE(8);
    if (hlen > 65_536 || 12 + hlen + TAG_BYTES > size) throw new PackageError('the package header is damaged');
    const hb = Buffer.alloc(hlen);
    await fh.read(hb, 0, hlen, 12);
    let header: PackageHeader;
    try {
      header = JSON.parse(hb.toString('utf8')) as PackageHeader;
    } catch {
      throw new PackageError('the package header is damaged');
    }
    return { header, headerEnd: 12 + hlen, size };
  } finally {
    await fh.close();
  }
}

function keysFor(header: PackageHeader, key: DecryptKey): { encKey: Buffer; macKey: Buffer } {
  if (header.keyKind === 'SM4') {
    if (!key.secret) throw new PackageError('this package was made for an SM4 package key: give --key');
    if (secretFingerprint(key.secret) !== header.keyFingerprint) throw new PackageError(`wrong key: the package was made for key ${header.keyFingerprint}, this key is ${secretFingerprint(key.secret)}`);
    return splitSecret(key.secret);
  }
  if (!key.sm2PrivateKey || !header.encryptedContentKey) throw new PackageError('this package was made for an SM2 public key: give --sm2-private-key');
  const bytes = sm2DecryptBytes(header.encryptedContentKey, key.sm2PrivateKey);
  if (!bytes || bytes.length !== 16) throw new PackageError(`wrong SM2 private key for this package (key ${header.keyFingerprint})`);
  return { encKey: bytes, macKey: macKeyFromContentKey(bytes) };
}

function sm2DecryptBytes(encHex: string, privateKey: string): Buffer | null {
  try {
    const out = sm2.doDecrypt(encHex, privateKey, 1, { output: 'array' }) as unknown;
    if (!Array.isArray(out) || out.length === 0) return null;
    return Buffer.from(out as number[]);
  } catch {
    return null;
  }
}

async function hashRange(file: string, start: number, end: number, mac: Hmac): Promise<void> {
  if (end <= start) return;
  for await (const chunk of createReadStream(file, { start, end: end - 1, highWaterMark: 1 << 20 })) mac.update(chunk as Buffer);
}

/** Checks the tag over the whole file (streamed) without decrypting anything. */
export async function verifyPackage(file: string, key: DecryptKey): Promise<{ header: PackageHeader; encKey: Buffer; cipherStart: number; cipherEnd: number }> {
  const { header, headerEnd, size } = await readPrefix(file);
  if (header.formatVersion !== PACKAGE_FORMAT_VERSION || header.algorithm !== ALGORITHM) throw new PackageError(`unsupported package format ${header.formatVersion} / ${header.algorithm}`);
  const { encKey, macKey } = keysFor(header, key);
  const mac = createHmac('sm3', macKey);
  await hashRange(file, 0, size - TAG_BYTES, mac);
  const tag = Buffer.alloc(TAG_BYTES);
  const fh = await open(file, 'r');
  try {
    await fh.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await fh.close();
  }
  if (!timingSafeEqual(mac.digest(), tag)) throw new PackageError('the package was altered or damaged (HMAC-SM3 tag does not match); nothing was written');
  if ((size - TAG_BYTES - headerEnd) % 16 !== 0) throw new PackageError('the package ciphertext is truncated');
  return { header, encKey, cipherStart: headerEnd, cipherEnd: size - TAG_BYTES };
}

/** A streaming ustar reader: feeds entries (name, size, data chunks) to the callbacks. */
export class TarReader {
  private buf: Buffer = Buffer.alloc(0);
  private current: { name: string; size: number; left: number; pad: number } | null = null;
  ended = false;
  constructor(private readonly on: { start(name: string, size: number): void; data(chunk: Buffer): Promise<void> | void; end(): Promise<void> | void }) {}

  async push(chunk: Buffer): Promise<void> {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.ended) return;
      if (this.current) {
        if (this.current.left > 0) {
          if (this.buf.length === 0) return;
          const take = Math.min(this.current.left, this.buf.length);
          await this.on.data(this.buf.subarray(0, take));
          this.buf = this.buf.subarray(take);
          this.current.left -= take;
          if (this.current.left > 0) return;
        }
        if (this.buf.length < this.current.pad) return;
        this.buf = this.buf.subarray(this.current.pad);
        this.current = null;
        await this.on.end();
        continue;
      }
      if (this.buf.length < 512) return;
      const h = this.buf.subarray(0, 512);
      this.buf = this.buf.subarray(512);
      if (h.every((b) => b === 0)) {
        this.ended = true;
        return;
      }
      const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      const size = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim(), 8);
      if (!Number.isFinite(size)) throw new PackageError('the tar inside the package is damaged');
      this.current = { name, size, left: size, pad: tarPadding(size).length };
      this.on.start(name, size);
    }
  }
}

function safeJoin(dir: string, name: string): string {
  if (!/^(records\.jsonl|manifest\.json|photos\/[0-9a-f-]{36}\.jpg)$/.test(name)) throw new PackageError(`unexpected entry in the package: ${name}`);
  return path.join(dir, name);
}

export interface DecryptResult {
  header: PackageHeader;
  manifest: Manifest;
  files: number;
}

/**
 * Verifies the tag first (nothing is written for a tampered package), then decrypts the tar into
 * `outDir` and checks every entry's size and SM3 against manifest.json.
 */
export async function decryptPackage(file: string, key: DecryptKey, outDir: string): Promise<DecryptResult> {
  const { header, encKey, cipherStart, cipherEnd } = await verifyPackage(file, key);
  await mkdir(path.join(outDir, 'photos'), { recursive: true });
  const seen = new Map<string, { size: number; sm3: string }>();
  let manifestBytes: Buffer[] = [];
  let out: WriteStream | null = null;
  let hash = createHash('sm3');
  let name = '';
  let size = 0;
  const reader = new TarReader({
    start(n, s) {
      name = n;
      size = s;
      hash = createHash('sm3');
      if (n === 'manifest.json') manifestBytes = [];
      else out = createWriteStream(safeJoin(outDir, n));
    },
    async data(chunk) {
      hash.update(chunk);
      if (name === 'manifest.json') manifestBytes.push(Buffer.from(chunk));
      // Wait for the disk when the write buffer is full, so memory stays flat for big packages.
      else if (!out!.write(Buffer.from(chunk))) await new Promise<void>((resolve) => out!.once('drain', resolve));
    },
    async end() {
      seen.set(name, { size, sm3: hash.digest('hex') });
      if (out) {
        const w = out;
        out = null;
        await new Promise<void>((resolve, reject) => w.end((err?: Error | null) => (err ? reject(err) : resolve())));
      }
    },
  });
  const decipher = createDecipheriv('sm4-cbc', Buffer.from(encKey), Buffer.from(header.iv, 'hex'));
  for await (const chunk of createReadStream(file, { start: cipherStart, end: cipherEnd - 1, highWaterMark: 1 << 20 })) {
    await reader.push(decipher.update(chunk as Buffer));
  }
  await reader.push(decipher.final());
  if (!seen.has('manifest.json')) throw new PackageError('the package has no manifest.json');
  const manifestBody = Buffer.concat(manifestBytes);
  await writeFile(path.join(outDir, 'manifest.json'), manifestBody);
  const manifest = JSON.parse(manifestBody.toString('utf8')) as Manifest;
  for (const e of manifest.entries) {
    const got = seen.get(e.path);
    if (!got) throw new PackageError(`${e.path} is listed in the manifest but missing from the package`);
    if (got.size !== e.size || got.sm3 !== e.sm3) throw new PackageError(`${e.path} does not match its SM3 in the manifest`);
  }
  return { header, manifest, files: seen.size };
}

/** Reads a key argument: 64 hex digits, or @file holding them. */
export async function readKeyArgument(arg: string): Promise<Buffer> {
  let text = arg;
  if (arg.startsWith('@')) {
    const { readFile } = await import('node:fs/promises');
    text = (await readFile(arg.slice(1), 'utf8')).trim();
  }
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new PackageError('a package key is 64 hex digits (32 bytes)');
  return Buffer.from(text, 'hex');
}
