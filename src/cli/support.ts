import { createLogger } from '../platform/logging/logger.ts';
import { loadConfig, ConfigError } from '../platform/config/config.ts';
import { startPlatform } from '../platform/bootstrap.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors/app-error.ts';
import { ensureRootOrg } from '../modules/orgs/service.ts';
import { principalFor } from '../platform/auth/service.ts';
import type { Principal } from '../platform/auth/principal.ts';

/** Opens the platform for one CLI command, runs it and closes everything; errors become a clean exit 1. */
export async function withPlatform(fn: (ctx: AppContext) => Promise<void>): Promise<void> {
  let ctx: AppContext | null = null;
  try {
    const config = loadConfig();
    ctx = await startPlatform(config, createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr), {
      announce: (t) => process.stderr.write(`${t}\n`),
    });
    await fn(ctx);
  } catch (err) {
    reportError(err);
    process.exitCode = 1;
  } finally {
    await ctx?.db.close();
  }
}

export function reportError(err: unknown): void {
  if (err instanceof AppError) process.stderr.write(`error ${err.code}: ${err.messageIn('zh-CN')} / ${err.messageIn('en-US')}\n`);
  else if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`error: ${(err as Error).message}\n`);
}

export function fail(message: string): never {
  throw new Error(message);
}

/** The CLI acts as a platform administrator at the root organisation (it runs with the server's keys). */
export async function cliPrincipal(ctx: AppContext): Promise<Principal> {
  const root = await ensureRootOrg(ctx);
  return principalFor({ id: '00000000-0000-0000-0000-000000000000', username: 'cli', roles: ['ADMIN'] }, root, 'CLI');
}

/** One progress line on stderr, rewritten in place on a terminal; null ends it. */
export function progress(text: string | null): void {
  if (!process.stderr.isTTY) {
    if (text) process.stderr.write(`${text}\n`);
    return;
  }
  process.stderr.write(text === null ? '\n' : `\r${text}\x1b[K`);
}
