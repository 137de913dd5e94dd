import { createDecipheriv, createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { sm2 } from 'sm-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardAttempts } from '../../src/modules/cards/schema.ts';
import { runPackageDecrypt } from '../../src/cli/package.ts';
import { useHarness } from '../helpers/app.ts';
import { approvedApplications, batchAll, seedLifecycle, type Lifecycle } from '../lifecycle/fixtures.ts';
import { bankAccount } from '../cards/fixtures.ts';
import { download, permitBatch, sm4Key } from './package-fixtures.ts';

const h = useHarness();
let lc: Lifecycle;

beforeAll(async () => {
  lc = await seedLifecycle(h());
});

const sm3hex = (b: Buffer) => createHash('sm3').update(b).digest('hex');

/**
 * A reader written from docs/production-package.md alone: Node's crypto primitives and a tiny tar
 * reader, nothing from the package module.
 */
function openPackage(file: Buffer, keys: (header: Record<string, string>) => { enc: Buffer; mac: Buffer }) {
  expect(file.subarray(0, 8).toString('latin1')).toBe('CFPKG01\n');
  const headerLength = file.readUInt32BE(8);
  const header = JSON.parse(file.subarray(12, 12 + headerLength).toString('utf8')) as Record<string, string>;
  const { enc, mac } = keys(header);
  const tag = file.subarray(file.length - 32);
  const expected = createHmac('sm3', mac).update(file.subarray(0, file.length - 32)).digest();
  expect(expected.equals(tag)).toBe(true);
  const decipher = createDecipheriv('sm4-cbc', enc, Buffer.from(header.iv!, 'hex'));
  const tar = Buffer.concat([decipher.update(file.subarray(12 + headerLength, file.length - 32)), decipher.final()]);
  const entries = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= tar.length; ) {
    const block = tar.subarray(at, at + 512);
    if (block.every((b) => b === 0)) break;
    const name = block.subarray(0, 100).toString('utf8').replace(/\0+$/, '');
    const size = parseInt(block.subarray(124, 135).toString('latin1'), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
    expect(parseInt(block.subarray(148, 154).toString('latin1'), 8)).toBe(sum);
    expect(block.subarray(257, 262).toString('latin1')).toBe('ustar');
    entries.set(name, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return { header, entries };
}

async function checkContents(entries: Map<string, Buffer>, batchId: string, cardCount: number) {
  const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as {
    batchId: string;
    counts: { records: number; photos: number };
    entries: { path: string; size: number; sm3: string }[];
  };
  expect(manifest.batchId).toBe(batchId);
  expect(manifest.counts).toEqual({ records: cardCount, photos: cardCount });
  expect(manifest.entries.map((e) => e.path).sort()).toEqual([...entries.keys()].filter((n) => n !== 'manifest.json').sort());
  for (const e of manifest.entries) {
    expect(entries.get(e.path)!.length, e.path).toBe(e.size);
    expect(sm3hex(entries.get(e.path)!), e.path).toBe(e.sm3);
  }
  const cards = await h().ctx.db.orm.select().from(cardAttempts).where(eq(cardAttempts.batchId, batchId));
  const byId = new Map(cards.map((c) => [c.id, c]));
  const lines = entries.get('records.jsonl')!.toString('utf8').split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(cardCount);
  const order: number[] = [];
  for (const line of lines) {
    const rec = JSON.parse(line) as { cardId: string; photo: string; photoSm3: string; name: string };
    const card = byId.get(rec.cardId)!;
    order.push(card.packingSeq!);
    // The SM3 of the exact line is what the producer reports back with the finished card.
    expect(sm3hex(Buffer.from(line, 'utf8'))).toBe(card.recordSm3);
    expect(rec.name.startsWith('申')).toBe(true);
    expect(sm3hex(entries.get(rec.photo)!)).toBe(card.photoSm3);
    expect(rec.photoSm3).toBe(card.photoSm3);
  }
  expect(order).toEqual([...order].sort((a, b) => a - b));
}

describe('the production package, read with only the documented format', () => {
  let secret = '';
  let batchId = '';
  let sm4Package: Buffer;

  it('opens an SM4 package: tag, ciphertext, tar, manifest SM3s, record SM3s as on the cards, photo SM3s', async () => {
    secret = await sm4Key(h(), lc);
    const batch = await permitBatch(h(), lc, 1, 3);
    batchId = batch.id;
    sm4Package = await download(h(), lc, batch.id);
    const key = Buffer.from(secret, 'hex');
    const { header, entries } = openPackage(sm4Package, (hd) => {
      expect(hd.keyKind).toBe('SM4');
      return { enc: key.subarray(0, 16), mac: key.subarray(16, 32) };
    });
    expect(header.batchNo).toBe(batch.batchNo);
    expect(header.keyFingerprint).toBe(createHash('sm3').update(Buffer.concat([Buffer.from('cardflow package key'), key])).digest().subarray(0, 16).toString('hex'));
    await checkContents(entries, batch.id, 3);
    const first = JSON.parse(entries.get('records.jsonl')!.toString('utf8').split('\n')[0]!) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual([
      'cardId', 'applicationNo', 'cardKind', 'name', 'sex', 'ethnicity', 'birthDate', 'citizenId', 'hukouAddress', 'residenceAddress',
      'residenceRegionCode', 'issuingAuthority', 'issueDate', 'deliverTo', 'photo', 'photoSm3',
    ]);
  });

  it('opens an SM2 package with the private key (content key wrapped C1C3C2, MAC key = SM3 of a label and the content key)', async () => {
    const pair = sm2.generateKeyPairHex();
    const reg = await h().request('POST', '/api/v1/package-keys', { session: lc.sessions.producer, body: { kind: 'SM2', publicKey: pair.publicKey } });
    expect(reg.statusCode, reg.body).toBe(201);
    const file = await download(h(), lc, batchId);
    const { entries } = openPackage(file, (hd) => {
      expect(hd.keyKind).toBe('SM2');
      const contentKey = Buffer.from(sm2.doDecrypt(hd.encryptedContentKey!, pair.privateKey, 1, { output: 'array' }) as unknown as number[]);
      expect(contentKey).toHaveLength(16);
      return { enc: contentKey, mac: createHash('sm3').update(Buffer.concat([Buffer.from('cardflow package mac'), contentKey])).digest() };
    });
    await checkContents(entries, batchId, 3);
    const dir = mkdtempSync(path.join(tmpdir(), 'cfpkg-sm2-'));
    writeFileSync(path.join(dir, 'p.cfpkg'), file);
    const out: string[] = [];
    const code = await runPackageDecrypt(path.join(dir, 'p.cfpkg'), { sm2PrivateKey: pair.privateKey, out: path.join(dir, 'out') }, { write: (s) => out.push(s) }, { write: (s) => out.push(s) });
    expect(code, out.join('')).toBe(0);
    expect(readdirSync(path.join(dir, 'out', 'photos'))).toHaveLength(3);
  });

  it('cardflow package decrypt writes the contents of an intact package and refuses a package with one flipped byte', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfpkg-'));
    const good = path.join(dir, 'good.cfpkg');
    writeFileSync(good, sm4Package);
    const messages: string[] = [];
    const sink = { write: (s: string) => messages.push(s) };
    expect(await runPackageDecrypt(good, { key: secret, out: path.join(dir, 'good') }, sink, sink)).toBe(0);
    const records = readFileSync(path.join(dir, 'good', 'records.jsonl'), 'utf8').trim().split('\n');
    expect(records).toHaveLength(3);
    expect(readdirSync(path.join(dir, 'good', 'photos'))).toHaveLength(3);

    const bad = Buffer.from(sm4Package);
    const at = bad.length - 32 - 100;
    bad[at] = bad[at]! ^ 0x01;
    writeFileSync(path.join(dir, 'bad.cfpkg'), bad);
    const errors: string[] = [];
    const code = await runPackageDecrypt(path.join(dir, 'bad.cfpkg'), { key: secret, out: path.join(dir, 'bad') }, sink, { write: (s) => errors.push(s) });
    expect(code).toBe(1);
    expect(errors.join('')).toMatch(/altered or damaged/);
    expect(existsSync(path.join(dir, 'bad'))).toBe(false);

    const wrongKey = 'ab'.repeat(32);
    const wrong: string[] = [];
    expect(await runPackageDecrypt(good, { key: wrongKey, out: path.join(dir, 'wrong') }, sink, { write: (s) => wrong.push(s) })).toBe(1);
    expect(wrong.join('')).toMatch(/wrong key/);
  });

  it('carries the documented social security card record fields, in the documented order', async () => {
    const secretHex = await sm4Key(h(), lc);
    const ids = await approvedApplications(h(), lc, 'ssc', 40, 2);
    for (const [i, id] of ids.entries()) {
      const res = await h().request('POST', `/api/v1/applications/${id}/bank-match`, { session: lc.sessions.bank, body: { decision: 'MATCHED', bankAccount: bankAccount(40 + i) } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const [batch] = await batchAll(h(), lc, lc.ssc.id);
    const key = Buffer.from(secretHex, 'hex');
    const { entries } = openPackage(await download(h(), lc, batch!.id), () => ({ enc: key.subarray(0, 16), mac: key.subarray(16, 32) }));
    await checkContents(entries, batch!.id, 2);
    const first = JSON.parse(entries.get('records.jsonl')!.toString('utf8').split('\n')[0]!) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual([
      'cardId', 'applicationNo', 'cardKind', 'name', 'sex', 'ethnicity', 'birthDate', 'socialSecurityNumber', 'regionCode',
      'issuingAuthority', 'issueDate', 'bankName', 'bankAccount', 'deliverTo', 'photo', 'photoSm3',
    ]);
    expect(first.cardKind).toBe('SOCIAL_SECURITY_CARD');
    expect([bankAccount(40), bankAccount(41)]).toContain(first.bankAccount);
  });
});
