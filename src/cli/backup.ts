import { existsSync, readdirSync } from 'node:fs';
import type { Command } from 'commander';
import { appendAudit } from '../platform/audit/service.ts';
import { loadConfig, type Config } from '../platform/config/config.ts';
import { keyringFromJson, loadKeyringFromFile, type Keyring } from '../platform/crypto/keyring.ts';
import { MIGRATIONS_DIR } from '../platform/db/engine.ts';
import { createLogger } from '../platform/logging/logger.ts';
import { runBackup } from '../modules/ops/backup-jobs.ts';
import { restoreBackup, verifyBackup, type RestoreTarget } from '../modules/ops/backup-service.ts';
import { fail, reportError, withPlatform } from './support.ts';

/** The keys come from the key file or CARDFLOW_KEYS, as for the server; a restore never invents new ones. */
function keyringOf(config: Config): Keyring {
  if (config.keysJson) return keyringFromJson(config.keysJson);
  if (!existsSync(config.keyFile)) fail(`the key file ${config.keyFile} does not exist: a backup can only be read with the key file it was made with (CARDFLOW_KEY_FILE or CARDFLOW_KEYS)`);
  return loadKeyringFromFile(config.keyFile);
}

function shippedMigrations(): number {
  return readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length;
}

async function runCli(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    reportError(err);
    process.exitCode = 1;
  }
}

export function registerBackupCommands(program: Command): void {
  const backup = program
    .command('backup')
    .description('write an SM4-encrypted, HMAC-SM3-authenticated backup of the database with a manifest of every table (the keys are not in it)')
    .option('--dir <dir>', 'where to write it (default CARDFLOW_BACKUP_DIR)')
    .action((o: { dir?: string }) =>
      withPlatform(async (ctx) => {
        const { manifestPath, manifest } = await runBackup(ctx, 'CLI', o.dir ?? ctx.config.backupDir);
        process.stdout.write(
          `backup written (${manifest.engine}, ${Object.keys(manifest.tables).length} tables, ${manifest.payload.bytes} bytes)\n  manifest: ${manifestPath}\n` +
            `  key: ${manifest.keyId} (not in the backup: keep the key file safe and apart from it)\n`,
        );
      }),
    );

  backup
    .command('verify <manifest>')
    .description('check a backup end to end (manifest and encrypted payload) without restoring it; needs only the key file')
    .action((manifestPath: string) =>
      runCli(async () => {
        const manifest = await verifyBackup(keyringOf(loadConfig()), manifestPath);
        process.stdout.write(`backup intact: ${manifest.engine}, taken ${manifest.createdAt}, ${Object.keys(manifest.tables).length} tables\n`);
      }),
    );

  program
    .command('restore <manifest>')
    .description('restore a backup into an empty embedded data directory, or into the PostgreSQL database of DATABASE_URL (replaces its content: needs --yes); then checks every table against the manifest')
    .option('--yes', 'confirm replacing the content of the PostgreSQL database')
    .action((manifestPath: string, o: { yes?: boolean }) =>
      runCli(async () => {
        const config = loadConfig();
        const keyring = keyringOf(config);
        let target: RestoreTarget;
        if (config.databaseUrl) {
          if (!o.yes) fail('restoring into PostgreSQL replaces the content of the database in DATABASE_URL: stop every cardflow process, then run again with --yes');
          target = { engine: 'postgres', databaseUrl: config.databaseUrl };
        } else {
          target = { engine: 'pglite', dataDir: config.dataDir };
        }
        const restored = await restoreBackup(keyring, manifestPath, target, shippedMigrations());
        try {
          // A backup from an older build is brought up to this build's schema like any database at start.
          await restored.db.migrate();
          const ctx = { config, db: restored.db, keyring, logger: createLogger('warn', process.stderr) };
          await appendAudit(ctx, {
            actorType: 'CLI',
            actorName: 'cli',
            action: 'ops.restore',
            targetType: 'backup',
            outcome: 'SUCCESS',
            details: { manifest: manifestPath, createdAt: restored.manifest.createdAt, tables: Object.keys(restored.tables).length },
          });
        } finally {
          await restored.db.close();
        }
        process.stdout.write(`restored the backup of ${restored.manifest.createdAt}: ${Object.keys(restored.tables).length} tables, every row count and checksum matches the manifest\n`);
      }),
    );
}
