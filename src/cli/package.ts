import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors/app-error.ts';
import { appendAudit } from '../platform/audit/service.ts';
import { decryptPackage, encryptedPackage, PackageError, readKeyArgument, type DecryptKey } from '../modules/production/package.ts';
import { getBatchRow } from '../modules/production/views.ts';
import { activeKeyFor } from '../modules/production/keys.ts';
import { batchSource } from '../modules/production/downloads.ts';
import { getProgrammeRow } from '../modules/programmes/service.ts';
import { findOrg } from '../modules/orgs/service.ts';
import { cliPrincipal, withPlatform } from './support.ts';

export interface DecryptOptions {
  key?: string;
  sm2PrivateKey?: string;
  out: string;
}

/**
 * `cardflow package decrypt`: needs no database or server keys, only the producer's key. The tag is
 * checked before anything is written; a tampered or damaged package exits 1 with the reason.
 */
export async function runPackageDecrypt(file: string, o: DecryptOptions, out: { write(s: string): void } = process.stdout, err: { write(s: string): void } = process.stderr): Promise<number> {
  try {
    const key: DecryptKey = {};
    if (o.key) key.secret = await readKeyArgument(o.key);
    if (o.sm2PrivateKey) key.sm2PrivateKey = o.sm2PrivateKey.startsWith('@') ? (await readFile(o.sm2PrivateKey.slice(1), 'utf8')).trim() : o.sm2PrivateKey;
    if (!key.secret && !key.sm2PrivateKey) throw new PackageError('give --key <hex | @file> (SM4 packages) or --sm2-private-key <hex> (SM2 packages)');
    const result = await decryptPackage(file, key, o.out);
    out.write(
      `package ${result.header.batchNo} verified (HMAC-SM3) and decrypted to ${o.out}\n` +
        `  ${result.manifest.counts.records} records, ${result.manifest.counts.photos} photos; every SM3 matches manifest.json\n`,
    );
    return 0;
  } catch (e) {
    err.write(`error: ${e instanceof PackageError ? e.message : (e as Error).message}\n`);
    return 1;
  }
}

/**
 * `cardflow package export <batchId> --out FILE`: the batch package, encrypted for the producer's active
 * key, written by the operator (e.g. onto a medium handed over in person). It is written to FILE.partial,
 * flushed and then renamed, so FILE exists only complete: a crash leaves at most the .partial, which the
 * next export overwrites. The batch is not changed (it is not the producer's counted download); the audit
 * entry is written once the file is complete.
 */
export async function exportPackageToFile(ctx: AppContext, batchId: string, out: string): Promise<{ batchNo: string; cards: number; bytes: number }> {
  const principal = await cliPrincipal(ctx);
  const batch = await getBatchRow(ctx, principal, batchId);
  if (batch.status === 'DESTROYED') throw new AppError('PACKAGE_DESTROYED', { params: { destroyedAt: batch.destroyedAt?.toISOString() ?? '' } });
  const key = await activeKeyFor(ctx, batch.producerOrgId);
  if (!key) throw new AppError('PACKAGE_KEY_MISSING');
  const programme = await getProgrammeRow(ctx, principal, batch.programmeId);
  const producer = await findOrg(ctx, batch.producerOrgId);
  const source = batchSource(ctx, batch, { id: programme.id, kind: programme.kind, name: programme.name }, { id: batch.producerOrgId, name: producer?.name ?? '' });
  const partial = `${out}.partial`;
  let bytes = 0;
  const file = await open(partial, 'w');
  try {
    for await (const chunk of encryptedPackage(source, key)) {
      await file.write(chunk);
      bytes += chunk.length;
    }
    await file.sync();
  } catch (err) {
    await file.close();
    await rm(partial, { force: true });
    throw err;
  }
  await file.close();
  await rename(partial, out);
  await syncDirectory(path.dirname(path.resolve(out)));
  await appendAudit(ctx, {
    actorType: 'CLI',
    actorName: 'cli',
    action: 'package.export',
    targetType: 'batch',
    targetId: batch.id,
    outcome: 'SUCCESS',
    details: { batchNo: batch.batchNo, cards: batch.cardCount, bytes, keyFingerprint: key.fingerprint },
  });
  return { batchNo: batch.batchNo, cards: batch.cardCount, bytes };
}

/** Makes a rename durable: the directory entry is flushed too, not only the file's data. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function registerPackageExport(pkg: Command): void {
  pkg
    .command('export <batchId>')
    .description('write a batch package (encrypted for the producer’s active key) to a file; the file appears only when complete')
    .requiredOption('--out <file>', 'where to write the .cfpkg file')
    .action((batchId: string, o: { out: string }) =>
      withPlatform(async (ctx) => {
        const done = await exportPackageToFile(ctx, batchId, o.out);
        process.stdout.write(`package ${done.batchNo} (${done.cards} cards, ${done.bytes} bytes) written to ${o.out}\n`);
      }),
    );
}
