import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { fromRoot } from '../paths.ts';

/** One template per PGlite version: a data directory from another version must never be reused. */
export function pgliteTemplatePath(): string {
  const version = (JSON.parse(readFileSync(fromRoot('node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
  return fromRoot('node_modules/.cache/cardflow', `pglite-${version}-initdb.tar.gz`);
}

/** The freshly initialised (empty, unmigrated) cluster made by `npm install`, if it is there. */
export function pgliteTemplate(): Blob | undefined {
  const file = pgliteTemplatePath();
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

/** Runs PGlite's initdb once and keeps the result (postinstall). */
export async function preparePgliteTemplate(): Promise<string> {
  const file = pgliteTemplatePath();
  if (existsSync(file)) return file;
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${file}.tmp`, file);
  return file;
}
