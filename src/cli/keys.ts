import { addKey, readKeyFile, writeKeyFile } from '../platform/crypto/keyring.ts';
import { keyUsage, reencryptAll } from '../platform/crypto/rotation.ts';
import { appendAudit } from '../platform/audit/service.ts';
import { loadConfig } from '../platform/config/config.ts';
import { progress, withPlatform, fail } from './support.ts';

/**
 * Adds a data key to the key file (old keys stay, so nothing becomes unreadable), then re-encrypts
 * every protected field to it. With --resume, or after an interruption, it only re-encrypts.
 */
export async function rotateKeys(opts: { resume: boolean; batchSize: number }): Promise<void> {
  const config = loadConfig();
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1 || opts.batchSize > 100_000) {
    process.stderr.write('--batch-size must be an integer from 1 to 100000\n');
    process.exitCode = 1;
    return;
  }
  if (!opts.resume) {
    if (config.keysJson) {
      process.stderr.write('keys come from CARDFLOW_KEYS; rotate needs a key file it can write (CARDFLOW_KEY_FILE)\n');
      process.exitCode = 1;
      return;
    }
    const next = addKey(readKeyFile(config.keyFile));
    writeKeyFile(config.keyFile, next);
    process.stdout.write(`new active key ${next.active} written to ${config.keyFile}\n`);
  }
  await withPlatform(async (ctx) => {
    if (!ctx.keyring.activeKeyId) fail('no active key');
    const n = await reencryptAll(ctx, opts.batchSize, (p) => progress(`${p.table}.${p.column}: ${p.done} re-encrypted, ${p.remaining} to go`));
    progress(null);
    const usage = await keyUsage(ctx);
    await appendAudit(ctx, { actorType: 'CLI', actorName: 'cli', action: 'keys.rotate', outcome: 'SUCCESS', details: { activeKey: ctx.keyring.activeKeyId, reencrypted: n, usage } });
    process.stdout.write(`re-encrypted ${n} fields to key ${ctx.keyring.activeKeyId}; fields per key now: ${JSON.stringify(usage)}\n`);
  });
}
