import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { sm2 } from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import {
  decryptPackage,
  encryptedPackage,
  isSm2PublicKey,
  PackageError,
  secretFingerprint,
  TarReader,
  tarStream,
  type PackageKey,
  type PackageRecord,
  type PackageSource,
} from './package.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A synthetic batch: `chunks` chunks of `per` records, every `photoEvery`-th with a photo; counts how often it is read. */
function source(chunks: number, per: number, photoEvery: number) {
  const reads = { passes: 0, chunks: 0 };
  const src: PackageSource = {
    batchId: id(0),
    batchNo: 'RPB-20260301-00001',
    programme: { id: id(1), kind: 'RESIDENCE_PERMIT', name: '常州居住证' },
    producer: { id: id(2), name: '江苏制卡中心' },
    cardCount: chunks * per,
    createdAt: new Date('2026-03-01T02:00:00Z'),
    async *chunks(withPhotos: boolean): AsyncIterable<PackageRecord[]> {
      reads.passes++;
      for (let c = 0; c < chunks; c++) {
        reads.chunks++;
        yield Array.from({ length: per }, (_, i) => {
          const n = c * per + i + 1;
          return {
            cardId: id(1000 + n),
            line: Buffer.from(JSON.stringify({ cardId: id(1000 + n), name: `申${n}`, seq: n }), 'utf8'),
            photo: withPhotos && n % photoEvery === 0 ? Buffer.alloc(20 * 1024, n & 0xff) : null,
          };
        });
      }
    },
  };
  return { src, reads };
}

const sm4Key = (secret: Buffer): PackageKey => ({ kind: 'SM4', id: id(9), fingerprint: secretFingerprint(secret), secret });

describe('writing a package', () => {
  it('streams: no piece it hands out grows with the batch, and the source is read in its chunks', async () => {
    const { src, reads } = source(20, 1000, 200);
    let total = 0;
    let largest = 0;
    for await (const piece of encryptedPackage(src, sm4Key(randomBytes(32)))) {
      total += piece.length;
      largest = Math.max(largest, piece.length);
    }
    expect(total).toBeGreaterThan(2_000_000);
    // One chunk of 1,000 record lines (~60 KB) or one photo with its tar header is the most held at once.
    expect(largest).toBeLessThan(120_000);
    expect(reads).toEqual({ passes: 3, chunks: 60 });
  });

  it('round-trips through decryptPackage, which checks every SM3 of the manifest', async () => {
    const secret = randomBytes(32);
    const { src } = source(3, 50, 7);
    const dir = mkdtempSync(path.join(tmpdir(), 'pkg-unit-'));
    const parts: Buffer[] = [];
    for await (const piece of encryptedPackage(src, sm4Key(secret))) parts.push(piece);
    writeFileSync(path.join(dir, 'p.cfpkg'), Buffer.concat(parts));
    const result = await decryptPackage(path.join(dir, 'p.cfpkg'), { secret }, path.join(dir, 'out'));
    expect(result.manifest.counts).toEqual({ records: 150, photos: 21 });
    expect(readFileSync(path.join(dir, 'out', 'records.jsonl'), 'utf8').split('\n')).toHaveLength(151);
    expect(readdirSync(path.join(dir, 'out', 'photos'))).toHaveLength(21);
    await expect(decryptPackage(path.join(dir, 'p.cfpkg'), { secret: randomBytes(32) }, path.join(dir, 'x'))).rejects.toThrow(PackageError);
  });
});

describe('the tar reader', () => {
  it('gives the same entries whatever the chunk boundaries', async () => {
    const { src } = source(2, 20, 3);
    const parts: Buffer[] = [];
    for await (const p of tarStream(src)) parts.push(p);
    const tar = Buffer.concat(parts);
    const read = async (cuts: number[]) => {
      const out = new Map<string, Buffer[]>();
      let name = '';
      const r = new TarReader({
        start: (n) => {
          name = n;
          out.set(n, []);
        },
        data: (c) => {
          out.get(name)!.push(Buffer.from(c));
        },
        end: () => undefined,
      });
      let at = 0;
      for (const cut of [...cuts.map((c) => c % tar.length)].sort((a, b) => a - b)) {
        await r.push(tar.subarray(at, Math.max(at, cut)));
        at = Math.max(at, cut);
      }
      await r.push(tar.subarray(at));
      return new Map([...out].map(([k, v]) => [k, Buffer.concat(v).toString('hex')]));
    };
    const whole = await read([]);
    expect([...whole.keys()]).toContain('manifest.json');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 30 }), async (cuts) => {
        expect(await read(cuts)).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });
});

describe('SM2 public keys', () => {
  it('accepts generated keys and refuses points off the curve and malformed input', () => {
    const { publicKey } = sm2.generateKeyPairHex();
    expect(isSm2PublicKey(publicKey)).toBe(true);
    expect(isSm2PublicKey(`04${'1'.repeat(128)}`)).toBe(false);
    expect(isSm2PublicKey(publicKey.slice(2))).toBe(false);
    expect(isSm2PublicKey('zz')).toBe(false);
  });
});
