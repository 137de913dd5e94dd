import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../platform/logging/logger.ts';
import { loadConfig } from '../platform/config/config.ts';
import { startPlatform } from '../platform/bootstrap.ts';
import { buildApp } from '../http/app.ts';
import { reportError } from './support.ts';
import { purgeExpiredSessions } from '../platform/auth/service.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than the console sources (npm start on a fresh clone). */
export function ensureConsoleBuilt(): void {
  const index = path.join(ROOT, 'web/dist/index.html');
  const sources = [path.join(ROOT, 'web/src'), path.join(ROOT, 'web/index.html'), path.join(ROOT, 'web/vite.config.ts')];
  const newestSource = Math.max(...sources.filter(existsSync).map((s) => (statSync(s).isDirectory() ? newestMtime(s) : statSync(s).mtimeMs)));
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource) return;
  process.stdout.write('building the web console (first start or sources changed)…\n');
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web console failed; see the output above');
}

export async function runServe(opts: { role: 'all' | 'api' | 'worker'; buildConsole?: boolean }): Promise<void> {
  try {
    const config = loadConfig();
    if (opts.buildConsole) ensureConsoleBuilt();
    const logger = createLogger(config.logLevel);
    const ctx = await startPlatform(config, logger);
    const app = await buildApp(ctx);
    const workers: NodeJS.Timeout[] = [];
    if (opts.role !== 'api') {
      // Housekeeping that needs no coordination: deleting expired sessions twice is harmless.
      workers.push(setInterval(() => void purgeExpiredSessions(ctx).catch((err: unknown) => logger.error({ err }, 'session purge failed')), 10 * 60_000));
    }
    if (opts.role !== 'worker') {
      const address = await app.listen({ host: config.host, port: config.port });
      const shown = address.replace('[::1]', 'localhost');
      process.stdout.write(`\ncardflow is running (${ctx.db.engine}${ctx.db.engine === 'pglite' ? `, data in ${config.dataDir}` : ''})\n  console:  ${shown}/\n  API docs: ${shown}/docs\n\n`);
    }
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      for (const w of workers) clearInterval(w);
      await app.close();
      await ctx.db.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  } catch (err) {
    reportError(err);
    process.exit(1);
  }
}
