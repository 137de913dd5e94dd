import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database, Queryable } from './engine.ts';

function jsonValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `\\x${Buffer.from(v).toString('hex')}`;
  return v;
}

/**
 * Inserts many rows with one statement and one parameter: the rows travel as a JSON array that
 * PostgreSQL expands with jsonb_populate_recordset, typed by the table's own row type. Building a
 * multi-row INSERT with thousands of bound parameters costs more (in the query builder and the
 * protocol) than the database's work; this is several times faster on both engines. Every row must
 * have the same properties; columns not given take their defaults. Returns the inserted rows with
 * the schema's property names when asked.
 */
export async function insertJson<T extends PgTable>(
  db: Database,
  q: Queryable,
  table: T,
  rows: Partial<T['$inferInsert']>[],
  opts: { returning?: boolean; onConflictDoNothing?: PgColumn[] } = {},
): Promise<T['$inferSelect'][]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const props = Object.keys(rows[0]!).filter((p) => columns[p]);
  const names = props.map((p) => columns[p]!.name);
  const payload = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const p of props) o[columns[p]!.name] = jsonValue((r as Record<string, unknown>)[p]);
    return o;
  });
  const list = sql.raw(names.map((n) => `"${n}"`).join(', '));
  const selected = sql.raw(names.map((n) => `r."${n}"`).join(', '));
  const tableName = sql.raw(`"${getTableName(table)}"`);
  const returned = await db.rows<Record<string, unknown>>(
    q,
    sql`insert into ${tableName} (${list}) select ${selected} from jsonb_populate_recordset(null::${tableName}, ${JSON.stringify(payload)}::jsonb) r
        ${opts.onConflictDoNothing ? sql.raw(`on conflict (${opts.onConflictDoNothing.map((c) => `"${c.name}"`).join(', ')}) do nothing`) : sql``}
        ${opts.returning ? sql`returning *` : sql``}`,
  );
  if (!opts.returning) return [];
  const byName = Object.entries(columns).map(([prop, c]) => [prop, c.name] as const);
  return returned.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [prop, name] of byName) {
      const v = row[name];
      out[prop] = v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v) : v;
    }
    return out as T['$inferSelect'];
  });
}
