import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { pgliteTemplate, pgliteTemplatePath, preparePgliteTemplate } from './pglite-template.ts';

describe('the install-time PGlite cluster template', () => {
  it('is named after the installed PGlite version and loads as a working, empty cluster', async () => {
    const file = await preparePgliteTemplate();
    expect(file).toBe(pgliteTemplatePath());
    expect(existsSync(file)).toBe(true);
    const db = await PGlite.create({ loadDataDir: pgliteTemplate() });
    try {
      const tables = await db.query<{ n: number }>("select count(*)::int as n from information_schema.tables where table_schema = 'public'");
      expect(tables.rows[0]?.n).toBe(0);
      const version = await db.query<{ v: string }>("select current_setting('server_version') as v");
      expect(version.rows[0]?.v).toMatch(/^\d+/);
    } finally {
      await db.close();
    }
  });
});
