import { type PGlite, type QueryOptions, type Transaction, types } from '@electric-sql/pglite';

/**
 * The type parsers drizzle's PGlite driver passes with every query (drizzle-orm/pglite/session.js): dates,
 * timestamps and intervals, and their arrays, come back as the server's text for drizzle's own column mapping.
 */
const DRIZZLE_RAW_TYPES = [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182];

type Queryable = Pick<PGlite | Transaction, 'query'>;
const ARRAY_ROWS: QueryOptions = { rowMode: 'array' };
const OBJECT_ROWS: QueryOptions = { rowMode: 'object' };

const leanQuery =
  (target: Queryable) =>
  <T>(text: string, params?: unknown[], options?: QueryOptions) =>
    target.query<T>(text, params, options?.rowMode === 'array' ? ARRAY_ROWS : options?.rowMode === 'object' ? OBJECT_ROWS : options);

/**
 * The PGlite client as drizzle sees it, with drizzle's per-query parsers installed once on the client instead.
 * PGlite merges a query's `parsers` into a copy of its whole parser table (a few hundred entries, array types
 * included) for every statement: about a tenth of a submission's CPU on the embedded engine, for the same rows.
 * Only drizzle queries this client (the migrator and the ping read no dates), so the results are the same.
 */
export const leanPgliteClient = (client: PGlite) => {
  const identity = (value: string) => value;
  for (const oid of DRIZZLE_RAW_TYPES) client.parsers[oid] = identity;
  return {
    query: leanQuery(client),
    transaction: <T>(callback: (tx: { query: ReturnType<typeof leanQuery> }) => Promise<T>) => client.transaction((tx) => callback({ query: leanQuery(tx) })),
  };
};
