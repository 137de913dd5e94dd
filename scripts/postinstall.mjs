// After `npm install`: prepare the embedded database's initialised cluster, so that the first
// `npm start` does not pay PGlite's initdb. Failing here must not fail the install.
import { register } from 'tsx/esm/api';

register();
try {
  const { preparePgliteTemplate } = await import('../src/platform/db/pglite-template.ts');
  const file = await preparePgliteTemplate();
  process.stdout.write(`cardflow: embedded database template ready (${file})\n`);
} catch (err) {
  process.stderr.write(`cardflow: could not prepare the embedded database template (${err.message}); the first start will initialise it instead\n`);
}
