import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * `column = any($1::type[])`: the whole list travels as one array parameter. Drizzle's inArray binds
 * one parameter per value, and building such a statement for thousands of values cost more CPU than
 * the database spent running it; it also caps a list at 65,535 values.
 */
export function anyOf(column: PgColumn, values: readonly unknown[]): SQL {
  return sql`${column} = any(${sql.param([...values])}::${sql.raw(column.getSQLType())}[])`;
}
