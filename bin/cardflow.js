#!/usr/bin/env node
// Runs the server bundle made by `npm start` when it is up to date with the sources (it starts in
// a fraction of the time), otherwise the TypeScript sources directly through tsx.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFresh } from '../scripts/freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist/cardflow.mjs');
if (process.env.CARDFLOW_FROM_SOURCE !== '1' && isFresh(bundle, [path.join(root, 'src'), path.join(root, 'package.json')])) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
