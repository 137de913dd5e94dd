import { sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { decryptBytes, decryptField, encryptBytes, encryptField } from './field-cipher.ts';
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from './encrypted-columns.ts';

export interface RotationProgress {
  table: string;
  column: string;
  done: number;
  remaining: number;
}

/** The key id inside a stored value: "v1.<keyId>.…" for tokens; for bytes, after a version byte and a length byte. */
function keyIdOf(c: EncryptedColumn): SQL {
  const col = sql.identifier(c.column);
  return c.format === 'bytes' ? sql`convert_from(substring(${col} from 3 for get_byte(${col}, 1)), 'UTF8')` : sql`split_part(${col}, '.', 2)`;
}

function notActive(c: EncryptedColumn, activeKeyId: string): SQL {
  return sql`${sql.identifier(c.column)} is not null and ${keyIdOf(c)} <> ${activeKeyId}`;
}

async function remaining(ctx: AppContext, c: EncryptedColumn, activeKeyId: string): Promise<number> {
  const [row] = await ctx.db.rows<{ n: number }>(null, sql`select count(*)::int as n from ${sql.identifier(c.table)} where ${notActive(c, activeKeyId)}`);
  return row?.n ?? 0;
}

/**
 * Re-encrypts every value not under the active key, a batch per transaction. Rows already done are
 * skipped by their key id, so an interrupted run resumes where it stopped when started again.
 */
export async function reencryptAll(ctx: AppContext, batchSize: number, onProgress?: (p: RotationProgress) => void): Promise<number> {
  const activeKeyId = ctx.keyring.activeKeyId;
  let total = 0;
  for (const c of ENCRYPTED_COLUMNS) {
    const keyType = await columnType(ctx, c.table, c.key);
    let done = 0;
    for (;;) {
      const n = await ctx.db.orm.transaction(async (tx) => {
        const rows = await ctx.db.rows<{ k: string; v: string | Uint8Array }>(
          tx,
          sql`select ${sql.identifier(c.key)}::text as k, ${sql.identifier(c.column)} as v from ${sql.identifier(c.table)}
              where ${notActive(c, activeKeyId)}
              order by 1 limit ${batchSize} for update skip locked`,
        );
        if (rows.length === 0) return 0;
        const fresh = rows.map((r) =>
          c.format === 'bytes'
            ? encryptBytes(ctx.keyring, decryptBytes(ctx.keyring, Buffer.from(r.v as Uint8Array))).toString('hex')
            : encryptField(ctx.keyring, decryptField(ctx.keyring, r.v as string)),
        );
        // One statement per batch, matching rows by their key in its own type so the primary key index
        // serves it (a cast of the column to text made every row's update a scan of the whole table).
        const value = c.format === 'bytes' ? sql`decode(v.val, 'hex')` : sql`v.val`;
        await tx.execute(
          sql`update ${sql.identifier(c.table)} as t set ${sql.identifier(c.column)} = ${value}
              from unnest(${sql.param(rows.map((r) => r.k))}::text[], ${sql.param(fresh)}::text[]) as v(k, val)
              where t.${sql.identifier(c.key)} = v.k::${sql.raw(keyType)}`,
        );
        return rows.length;
      });
      if (n === 0) break;
      done += n;
      total += n;
      onProgress?.({ table: c.table, column: c.column, done, remaining: await remaining(ctx, c, activeKeyId) });
    }
  }
  return total;
}

/** The SQL type of a column, from the catalogue (so it is safe to splice into a cast). */
async function columnType(ctx: AppContext, table: string, column: string): Promise<string> {
  const [row] = await ctx.db.rows<{ type: string | null }>(
    null,
    sql`select format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
        where a.attrelid = ${table}::regclass and a.attname = ${column} and not a.attisdropped`,
  );
  if (!row?.type || !/^[a-z ]+$/.test(row.type)) throw new Error(`encrypted column registry: ${table}.${column} has no plain column type (${row?.type ?? 'missing'})`);
  return row.type;
}

/** Key ids still referenced by stored values, with counts: an old key can be dropped when it is absent here. */
export async function keyUsage(ctx: AppContext): Promise<Record<string, number>> {
  const usage: Record<string, number> = {};
  for (const c of ENCRYPTED_COLUMNS) {
    const rows = await ctx.db.rows<{ key_id: string; n: number }>(
      null,
      sql`select ${keyIdOf(c)} as key_id, count(*)::int as n from ${sql.identifier(c.table)}
          where ${sql.identifier(c.column)} is not null group by 1`,
    );
    for (const r of rows) usage[r.key_id] = (usage[r.key_id] ?? 0) + r.n;
  }
  return usage;
}
