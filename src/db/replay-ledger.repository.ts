import { gte, lt, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { slackRequestLedger } from './schema.js';

/** Expired rows removed per accepted request: bounded work, and the table never grows past a window's traffic. */
const PRUNE_BATCH = 200;

/** The Slack replay ledger: one row per accepted signed request, for the replay window, shared by all replicas. */
export const createReplayLedgerRepository = (db: Executor) => ({
  /** The requests still inside their window (an embedded store loads them into memory at start). */
  async unexpired(now: Date): Promise<{ key: string; expiresAt: Date }[]> {
    return db.select({ key: slackRequestLedger.requestKey, expiresAt: slackRequestLedger.expiresAt }).from(slackRequestLedger).where(gte(slackRequestLedger.expiresAt, now));
  },
  /** True when the key is new (and is now recorded); false when a replica has already accepted it. */
  async remember(args: { key: string; expiresAt: Date; now: Date }): Promise<boolean> {
    await db.execute(
      sql`DELETE FROM ${slackRequestLedger} WHERE ${slackRequestLedger.requestKey} IN (SELECT ${slackRequestLedger.requestKey} FROM ${slackRequestLedger} WHERE ${lt(slackRequestLedger.expiresAt, args.now)} LIMIT ${PRUNE_BATCH})`,
    );
    const inserted = await db
      .insert(slackRequestLedger)
      .values({ requestKey: args.key, expiresAt: args.expiresAt })
      .onConflictDoNothing({ target: slackRequestLedger.requestKey })
      .returning({ key: slackRequestLedger.requestKey });
    return inserted.length === 1;
  },
  /**
   * The embedded engine's grouped write-behind: prune expired rows, then record many keys in one statement (a key
   * already there is left as it is). Only for a store this process alone uses: it answers nothing about replays.
   */
  async rememberAll(args: { rows: { key: string; expiresAt: Date }[]; now: Date }): Promise<void> {
    await db.execute(
      sql`DELETE FROM ${slackRequestLedger} WHERE ${slackRequestLedger.requestKey} IN (SELECT ${slackRequestLedger.requestKey} FROM ${slackRequestLedger} WHERE ${lt(slackRequestLedger.expiresAt, args.now)} LIMIT ${PRUNE_BATCH * 5})`,
    );
    if (args.rows.length === 0) return;
    await db
      .insert(slackRequestLedger)
      .values(args.rows.map((row) => ({ requestKey: row.key, expiresAt: row.expiresAt })))
      .onConflictDoNothing({ target: slackRequestLedger.requestKey });
  },
});
