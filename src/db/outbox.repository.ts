import { and, asc, eq, getTableColumns, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { ClearedPayload } from '../delivery/message-intent.js';
import { type NewMessageRef, insertMessageRefs, insertOutboxRows } from './bulk-writes.js';
import { chunksOf } from './chunks.js';
import type { Executor } from './executor.js';
import { messageRefs, outbox } from './schema.js';

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = typeof outbox.$inferInsert;
export type MessageRefRow = typeof messageRefs.$inferSelect;

/** Bind parameters per outbox row, counted generously (every column): what decides the chunk size. */
const OUTBOX_PARAMS = Object.keys(getTableColumns(outbox)).length;

/**
 * Insert the rows whose dedupe key is not there yet, one multi-row INSERT … ON CONFLICT DO NOTHING per chunk
 * (under PostgreSQL's bind-parameter limit); returns the dedupe keys that were new.
 */
const insertNew = async (db: Executor, rows: NewOutboxRow[]): Promise<string[]> => {
  const keys: string[] = [];
  for (const chunk of chunksOf({ rows, paramsPerRow: OUTBOX_PARAMS })) {
    const inserted = await db.insert(outbox).values(chunk).onConflictDoNothing({ target: outbox.dedupeKey }).returning({ key: outbox.dedupeKey });
    keys.push(...inserted.map((row) => row.key));
  }
  return keys;
};

/**
 * A dedupe-key prefix match without LIKE: with LIKE, `_` and `%` in a unit id are wildcards, so "north_3" also
 * matched "north-3"'s digest and one unit's digest suppressed another's.
 */
const startsWith = (prefix: string) => sql`starts_with(${outbox.dedupeKey}, ${prefix})`;

/**
 * Rows sent, each with its own time, found by primary key: `unnest` of two arrays tells the planner how many rows
 * come (a jsonb list does not, and it hash-joined the whole outbox for one row).
 */
const sentByKey = (rows: { id: number; at: Date }[]) => {
  const ids = `{${rows.map((row) => Math.trunc(row.id)).join(',')}}`;
  const ats = `{${rows.map((row) => `"${row.at.toISOString()}"`).join(',')}}`;
  return sql`
    UPDATE ${outbox} SET status = 'sent', sent_at = v.at, lease_until = NULL, last_error = NULL
    FROM unnest(${ids}::bigint[], ${ats}::timestamptz[]) AS v(id, at)
    WHERE ${outbox}.id = v.id`;
};
const markSentByKey = async (db: Executor, rows: { id: number; at: Date }[]): Promise<void> => {
  if (rows.length > 0) await db.execute(sentByKey(rows));
};

/** The notification outbox: unique dedupe keys, leases, retries, dead rows. */
export const createOutboxRepository = (db: Executor) => ({
  /** Insert unless the dedupe key exists; returns how many rows were new. */
  async enqueue(rows: NewOutboxRow[]): Promise<number> {
    return (await insertNew(db, rows)).length;
  },
  /** As `enqueue`, for many rows at once (a sweep's batch); returns the dedupe keys that were new. */
  async enqueueMany(rows: NewOutboxRow[]): Promise<Set<string>> {
    return insertOutboxRows(db, rows);
  },
  /** Claim due rows (pending, or sending with an expired lease) for this sender; others skip them. */
  async claim(args: { now: Date; leaseUntil: Date; limit: number }): Promise<OutboxRow[]> {
    const due = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(or(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, args.now)), and(eq(outbox.status, 'sending'), lt(outbox.leaseUntil, args.now))))
      .orderBy(asc(outbox.id))
      .limit(args.limit)
      .for('update', { skipLocked: true });
    // `= ANY(ARRAY(…))`, not `IN (…)`: the claimed ids are read first (through the due and lease indexes) and the
    // rows then found by primary key; with IN the planner hash-joined the whole outbox, sent history included.
    return db
      .update(outbox)
      .set({ status: 'sending', leaseUntil: args.leaseUntil, attempts: sql`${outbox.attempts} + 1` })
      .where(sql`${outbox.id} = ANY(ARRAY(${due}))`)
      .returning();
  },
  async markSent(args: { id: number; at: Date }): Promise<void> {
    await db.update(outbox).set({ status: 'sent', sentAt: args.at, leaseUntil: null, lastError: null }).where(eq(outbox.id, args.id));
  },
  /**
   * Many rows sent, and where their messages landed (the dispatcher's group commit): one statement, so atomic
   * without a transaction around it (on the embedded engine a BEGIN and a COMMIT are round trips of their own).
   */
  async markSentMany(args: { sent: { id: number; at: Date }[]; refs: NewMessageRef[] }): Promise<void> {
    if (args.refs.length === 0) return markSentByKey(db, args.sent);
    if (args.sent.length === 0) return insertMessageRefs(db, args.refs);
    // A data-modifying WITH runs exactly once whether or not the INSERT reads it.
    await db.execute(sql`
      WITH sent AS (${sentByKey(args.sent)})
      INSERT INTO ${messageRefs} (item_type, item_id, platform, person_id, channel, message_id, item_version, created_at)
      SELECT e.v->>'itemType', (e.v->>'itemId')::integer, e.v->>'platform', e.v->>'personId', e.v->>'channel', e.v->>'messageId',
        (e.v->>'itemVersion')::integer, coalesce((e.v->>'createdAt')::timestamptz, now())
      FROM jsonb_array_elements(${JSON.stringify(args.refs)}::jsonb) WITH ORDINALITY AS e(v, i)
      ORDER BY e.i`);
  },
  async markRetry(args: { id: number; nextAttemptAt: Date; error: string }): Promise<void> {
    await db.update(outbox).set({ status: 'pending', nextAttemptAt: args.nextAttemptAt, leaseUntil: null, lastError: args.error }).where(eq(outbox.id, args.id));
  },
  /** Put claimed rows back untried (their attempt is not counted), to be sent from `nextAttemptAt`. */
  async release(args: { ids: number[]; nextAttemptAt: Date; error?: string }): Promise<void> {
    if (args.ids.length === 0) return;
    await db
      .update(outbox)
      .set({
        status: 'pending',
        nextAttemptAt: args.nextAttemptAt,
        leaseUntil: null,
        attempts: sql`greatest(${outbox.attempts} - 1, 0)`,
        ...(args.error ? { lastError: args.error } : {}),
      })
      .where(and(inArray(outbox.id, args.ids), eq(outbox.status, 'sending')));
  },
  async markDead(args: { id: number; error: string }): Promise<void> {
    await db.update(outbox).set({ status: 'dead', leaseUntil: null, lastError: args.error }).where(eq(outbox.id, args.id));
  },
  async nextAttemptAt(): Promise<Date | null> {
    const [row] = await db
      .select({ at: sql<Date | string | null>`min(${outbox.nextAttemptAt})` })
      .from(outbox)
      .where(eq(outbox.status, 'pending'));
    return row?.at ? new Date(row.at) : null;
  },
  async countsByStatus(): Promise<Record<string, number>> {
    const rows = await db.select({ status: outbox.status, count: sql<number>`count(*)::int` }).from(outbox).groupBy(outbox.status);
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  },
  async dead(args: { since: Date }): Promise<OutboxRow[]> {
    return db
      .select()
      .from(outbox)
      .where(and(eq(outbox.status, 'dead'), sql`${outbox.createdAt} >= ${args.since}`))
      .orderBy(asc(outbox.id));
  },
  async byDedupePrefix(prefix: string): Promise<OutboxRow[]> {
    return db.select().from(outbox).where(startsWith(prefix)).orderBy(asc(outbox.id));
  },
  /** Whether any outbox row's dedupe key starts with this prefix (digest runs themselves are in digest_runs). */
  async existsWithPrefix(prefix: string): Promise<boolean> {
    const [row] = await db.select({ id: outbox.id }).from(outbox).where(startsWith(prefix)).limit(1);
    return row !== undefined;
  },
  /** Replace the payload of up to `limit` rows sent before `before` (not yet cleared); returns how many. */
  async clearSentPayloads(args: { before: Date; limit: number; cleared: ClearedPayload }): Promise<number> {
    const due = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.status, 'sent'), lt(outbox.sentAt, args.before), sql`${outbox.payload} <> ${JSON.stringify(args.cleared)}::jsonb`))
      .limit(args.limit);
    const rows = await db.update(outbox).set({ payload: args.cleared }).where(inArray(outbox.id, due)).returning({ id: outbox.id });
    return rows.length;
  },
  /** The refresh has brought this message up to `itemVersion`. */
  async setMessageRefVersion(args: { id: number; itemVersion: number }): Promise<void> {
    await db.update(messageRefs).set({ itemVersion: args.itemVersion }).where(eq(messageRefs.id, args.id));
  },
  async addMessageRef(values: typeof messageRefs.$inferInsert): Promise<void> {
    await db.insert(messageRefs).values(values);
  },
  async messageRefs(args: { itemType: string; itemId: number }): Promise<MessageRefRow[]> {
    return db
      .select()
      .from(messageRefs)
      .where(and(eq(messageRefs.itemType, args.itemType), eq(messageRefs.itemId, args.itemId)))
      .orderBy(asc(messageRefs.id));
  },
});
