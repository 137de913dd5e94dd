// `npm start` runs this first: it builds the web console and the server bundle when they are missing
// or older than their sources, so a fresh clone needs nothing but `npm install && npm start`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFresh } from './freshness.mjs';
import { ensureServerBundle } from './server-bundle.mjs';

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

await ensureServerBundle(() => process.stdout.write('bundling the server…\n'));
