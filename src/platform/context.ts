import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { Database } from './db/engine.ts';
import type { Keyring } from './crypto/keyring.ts';

/** What every service function receives: configuration, the database, the keys and the logger. */
export interface AppContext {
  config: Config;
  db: Database;
  keyring: Keyring;
  logger: Logger;
}
