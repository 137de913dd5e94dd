import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { count } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { AppContext } from './context.ts';
import { openDatabase, type Database } from './db/engine.ts';
import { selfTestNationalCrypto } from './crypto/sm.ts';
import { generateKeyFile, keyringFromJson, loadKeyringFromFile, writeKeyFile, type Keyring } from './crypto/keyring.ts';
import { users } from '../modules/orgs/schema.ts';
import { bootstrapAdmin } from '../modules/orgs/service.ts';
import { seedCalendarIfEmpty } from '../modules/calendar/service.ts';
import { randomPassword } from './auth/passwords.ts';

export interface StartOptions {
  migrate?: boolean;
  /** Where to tell the operator the generated admin password (once). */
  announce?: (text: string) => void;
}

/**
 * Brings the platform up: crypto self-test, database and migrations, keys, first admin and the
 * official calendar. Everything that must be true before a request is served.
 */
export async function startPlatform(config: Config, logger: Logger, opts: StartOptions = {}): Promise<AppContext> {
  selfTestNationalCrypto();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir, poolSize: config.dbPoolSize });
  try {
    if (opts.migrate ?? true) await db.migrate();
    const keyring = await loadOrCreateKeyring(config, db, logger);
    const ctx: AppContext = { config, db, keyring, logger };
    await seedCalendarIfEmpty(ctx);
    const password = config.adminPassword ?? randomPassword();
    if (await bootstrapAdmin(ctx, password)) {
      if (config.adminPassword) logger.info('created the first administrator "admin" with the password from CARDFLOW_ADMIN_PASSWORD');
      else (opts.announce ?? ((t) => process.stdout.write(`${t}\n`)))(`\n  First start: created user "admin" with password ${password}\n  It is shown only this once; change it after signing in.\n`);
    }
    return ctx;
  } catch (err) {
    await db.close();
    throw err;
  }
}

async function loadOrCreateKeyring(config: Config, db: Database, logger: Logger): Promise<Keyring> {
  if (config.keysJson) return keyringFromJson(config.keysJson);
  if (existsSync(config.keyFile)) return loadKeyringFromFile(config.keyFile);
  const [{ n } = { n: 0 }] = await db.orm.select({ n: count() }).from(users);
  if (n > 0) {
    throw new Error(
      `The key file ${config.keyFile} is missing but the database already holds data encrypted with it. ` +
        'Restore the key file (or set CARDFLOW_KEY_FILE / CARDFLOW_KEYS); a new key cannot read existing data.',
    );
  }
  // The default ./keys/ does not exist on a fresh clone.
  mkdirSync(dirname(config.keyFile), { recursive: true, mode: 0o700 });
  writeKeyFile(config.keyFile, generateKeyFile());
  logger.warn({ keyFile: config.keyFile }, 'created a new key file; back it up separately from the database');
  return loadKeyringFromFile(config.keyFile);
}
