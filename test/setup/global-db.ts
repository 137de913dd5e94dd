import { writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureServerBundle } from '../../scripts/server-bundle.mjs';
import { openDatabase } from '../../src/platform/db/engine.ts';
import { pgliteTemplate } from '../../src/platform/db/pglite-template.ts';
import { adminDatabaseUrl, databaseUrlFor, testEngine } from './engine.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: string;
  }
}

/**
 * Migrates one template database for the whole run; every test file then gets its own copy
 * (a PGlite data-dir dump, or CREATE DATABASE … TEMPLATE on PostgreSQL) instead of a cold start.
 */
export default async function setup(project: TestProject) {
  // The tests that run the real `cardflow` command (CLI, crash, shutdown) start it dozens of times:
  // from the bundle, as `npm start` does, each start takes a fraction of tsx's.
  await ensureServerBundle();
  if (testEngine() === 'pglite') {
    const db = await openDatabase({ databaseUrl: null, dataDir: null, loadDataDir: pgliteTemplate() });
    await db.migrate();
    const dump = await db.pglite!.dumpDataDir('none');
    await db.close();
    const dir = mkdtempSync(path.join(tmpdir(), 'cardflow-test-'));
    const file = path.join(dir, 'template.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    project.provide('dbTemplate', file);
    return () => rmSync(dir, { recursive: true, force: true });
  }
  const admin = adminDatabaseUrl();
  const name = `cardflow_tpl_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const db = await openDatabase({ databaseUrl: databaseUrlFor(admin, name), dataDir: null, poolSize: 1 });
  await db.migrate();
  await db.close();
  project.provide('dbTemplate', name);
  return async () => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
}
