// `npm start` runs this first: it builds the web console and the server bundle when they are missing
// or older than their sources, so a fresh clone needs nothing but `npm install && npm start`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isFresh } from './freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => path.join(root, ...p);

// The console imports the shared validators and messages from src/platform.
const consoleInputs = [at('web/src'), at('web/index.html'), at('web/vite.config.ts'), at('src/platform/validators'), at('src/platform/errors')];
if (!isFresh(at('web/dist/index.html'), consoleInputs)) {
  process.stdout.write('building the web console…\n');
  const r = spawnSync(process.execPath, [at('node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('building the web console failed; see above\n');
    process.exit(1);
  }
}

export const SERVER_BUNDLE = at('dist/cardflow.mjs');
if (!isFresh(SERVER_BUNDLE, [at('src'), at('package.json')])) {
  process.stdout.write('bundling the server…\n');
  await build({
    entryPoints: [at('src/cli/main.ts')],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
