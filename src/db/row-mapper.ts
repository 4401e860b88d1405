import { type SQL, getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * One table's columns in a hand-written SELECT, each under `<prefix><column name>` so two joined tables' `id`s do
 * not collide, and the mapper that turns those raw values back into the row drizzle's own select would give: each
 * column's `mapFromDriverValue` (a timestamp's text becomes a Date), null stays null. The column list is worked
 * out once per table, not once per row: a set-based read of many rows maps each in one pass over a fixed list,
 * without drizzle's per-cell bookkeeping (which was most of the digest's CPU at 100,000 rows).
 */
export const prefixedColumns = <Row>(args: { table: PgTable; alias: string; prefix: string }): { select: SQL; map: (raw: Record<string, unknown>) => Row | null } => {
  const columns = Object.entries(getTableColumns(args.table)).map(([key, column]) => ({ key, field: `${args.prefix}${column.name}`, column }));
  const select = sql.join(
    columns.map(({ column, field }) => sql`${sql.identifier(args.alias)}.${sql.identifier(column.name)} AS ${sql.identifier(field)}`),
    sql`, `,
  );
  const primary = columns.find(({ column }) => column.primary)?.field ?? (columns[0]?.field as string);
  const map = (raw: Record<string, unknown>): Row | null => {
    // A left join that found nothing: every column null, as drizzle gives null for the whole table.
    if (raw[primary] === null || raw[primary] === undefined) return null;
    const row: Record<string, unknown> = {};
    for (const { key, field, column } of columns) {
      const value = raw[field];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as Row;
  };
  return { select, map };
};
