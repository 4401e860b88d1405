import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { type SweepAuditRow, writeSweepRows } from './bulk-writes.js';
import type { Executor } from './executor.js';
import type { NewOutboxRow } from './outbox.repository.js';
import { deadlines } from './schema.js';

export type DeadlineRow = typeof deadlines.$inferSelect;
export type NewDeadline = typeof deadlines.$inferInsert;

/** A deadline's chase state after a sweep looked at it. */
export interface ChaseState {
  id: number;
  nextCheckAt: Date;
  ownerRemindersSent: number;
  lastOwnerReminderAt: Date | null;
  managerRemindedAt: Date | null;
  seniorRemindedAt: Date | null;
}

/** Deadlines as rows; the sweep claims due rows with FOR UPDATE SKIP LOCKED so replicas share the work. */
export const createDeadlinesRepository = (db: Executor) => ({
  async insert(values: NewDeadline): Promise<DeadlineRow> {
    const [row] = await db.insert(deadlines).values(values).returning();
    return row as DeadlineRow;
  },
  /** Mark open deadlines of an item met (all, or those kinds). */
  async meet(args: { itemType: string; itemId: number; kinds: string[] | 'all'; at: Date; by: string | null }): Promise<DeadlineRow[]> {
    const conditions = [eq(deadlines.itemType, args.itemType), eq(deadlines.itemId, args.itemId), isNull(deadlines.metAt)];
    if (args.kinds !== 'all') {
      if (args.kinds.length === 0) return [];
      conditions.push(inArray(deadlines.kind, args.kinds));
    }
    return db
      .update(deadlines)
      .set({ metAt: args.at, metBy: args.by })
      .where(and(...conditions))
      .returning();
  },
  async openForItem(args: { itemType: string; itemId: number }): Promise<DeadlineRow[]> {
    return db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.itemType, args.itemType), eq(deadlines.itemId, args.itemId), isNull(deadlines.metAt)));
  },
  async forItem(args: { itemType: string; itemId: number }): Promise<DeadlineRow[]> {
    return db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.itemType, args.itemType), eq(deadlines.itemId, args.itemId)))
      .orderBy(asc(deadlines.id));
  },
  async reschedule(args: { id: number; dueAt: Date; nextCheckAt: Date }): Promise<void> {
    await db.update(deadlines).set({ dueAt: args.dueAt, nextCheckAt: args.nextCheckAt }).where(eq(deadlines.id, args.id));
  },
  async setOwners(args: { id: number; owners: DeadlineRow['owners'] }): Promise<void> {
    await db.update(deadlines).set({ owners: args.owners }).where(eq(deadlines.id, args.id));
  },
  /** Claim open deadlines whose next check is due; other replicas skip the rows this one holds. */
  async claimDue(args: { now: Date; limit: number }): Promise<DeadlineRow[]> {
    return db
      .select()
      .from(deadlines)
      .where(and(isNull(deadlines.metAt), lte(deadlines.nextCheckAt, args.now)))
      .orderBy(asc(deadlines.nextCheckAt))
      .limit(args.limit)
      .for('update', { skipLocked: true });
  },
  async saveChase(args: ChaseState): Promise<void> {
    const { id, ...values } = args;
    await db.update(deadlines).set(values).where(eq(deadlines.id, id));
  },
  /** A sweep batch's outbox rows, audit rows and chase states in one statement (src/db/bulk-writes.ts). */
  async writeSweepBatch(args: { outbox: NewOutboxRow[]; audits: SweepAuditRow[]; chase: ChaseState[] }): Promise<void> {
    await writeSweepRows(db, args);
  },
  /** Open deadlines of one kind falling due in (after, until]: e.g. meetings an hour ahead. */
  async openOfKindDueBetween(args: { kind: string; after: Date; until: Date }): Promise<DeadlineRow[]> {
    return db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.kind, args.kind), isNull(deadlines.metAt), sql`${deadlines.dueAt} > ${args.after.toISOString()}::timestamptz`, lte(deadlines.dueAt, args.until)))
      .orderBy(asc(deadlines.id));
  },
  async nextCheckAt(): Promise<Date | null> {
    const [row] = await db
      .select({ at: sql<Date | string | null>`min(${deadlines.nextCheckAt})` })
      .from(deadlines)
      .where(isNull(deadlines.metAt));
    return row?.at ? new Date(row.at) : null;
  },
  async open(): Promise<DeadlineRow[]> {
    return db.select().from(deadlines).where(isNull(deadlines.metAt)).orderBy(asc(deadlines.dueAt));
  },
  async overdueCounts(now: Date): Promise<{ kind: string; count: number }[]> {
    const rows = await db
      .select({ kind: deadlines.kind, count: sql<number>`count(*)::int` })
      .from(deadlines)
      .where(and(isNull(deadlines.metAt), lte(deadlines.dueAt, now)))
      .groupBy(deadlines.kind);
    return rows.map((row) => ({ kind: row.kind, count: Number(row.count) }));
  },
});
