import { readFile } from 'node:fs/promises';
import { decryptPackage, PackageError, readKeyArgument, type DecryptKey } from '../modules/production/package.ts';

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
