import { sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../platform/db/engine.ts';
import type { TableFingerprint } from './backup-format.ts';

/**
 * Row count and a content checksum of every table of cardflow's schema and of drizzle's record of
 * applied migrations, keyed "schema.table". The checksum hashes each row's
 * text form and combines the sorted hashes, so it does not depend on physical row order, which a restore
 * is free to change.
 */
export async function fingerprintTables(db: Database, q: Queryable | null = null): Promise<Record<string, TableFingerprint>> {
  const tables = await db.rows<{ schema: string; name: string }>(
    q,
    sql`select schemaname as schema, tablename as name from pg_tables where schemaname in ('public', 'drizzle') order by 1, 2`,
  );
  const out: Record<string, TableFingerprint> = {};
  for (const t of tables) {
    const [row] = await db.rows<{ rows: number; checksum: string }>(
      q,
      sql`select count(*)::int as rows, coalesce(md5(string_agg(h, '' order by h)), '') as checksum
            from (select md5(x::text) as h from ${sql.identifier(t.schema)}.${sql.identifier(t.name)} x) r`,
    );
    out[`${t.schema}.${t.name}`] = { rows: Number(row!.rows), checksum: row!.checksum };
  }
  return out;
}

/** The tables whose count or checksum differ between two fingerprints (or exist in only one). */
export function fingerprintDifferences(expected: Record<string, TableFingerprint>, actual: Record<string, TableFingerprint>): string[] {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...names].filter((n) => expected[n]?.rows !== actual[n]?.rows || expected[n]?.checksum !== actual[n]?.checksum).sort();
}
