import { and, asc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { deadlines, digestRuns, dutyAssignments, escalations, referrals } from './schema.js';

/** States of a referral before its action plan: a release close by in one of these is called out. */
const BEFORE_PLAN = ['awaiting_acknowledgement', 'acknowledged', 'assessed'];

/**
 * What the morning digest reads, each in one statement for every unit at once: the open deadlines due by the end of
 * the day with their items, the referrals whose release is close and still have no action plan, the day's duty
 * changes and the digest runs.
 */
export const createDigestRepository = (db: Executor) => ({
  /** Every open deadline due before `before`, with its escalation or referral (one query, every unit). */
  async dueBefore(before: Date) {
    return db
      .select({ deadline: deadlines, escalation: escalations, referral: referrals })
      .from(deadlines)
      .leftJoin(escalations, and(eq(deadlines.itemType, 'escalation'), eq(escalations.id, deadlines.itemId)))
      .leftJoin(referrals, and(eq(deadlines.itemType, 'referral'), eq(referrals.id, deadlines.itemId)))
      .where(and(isNull(deadlines.metAt), lt(deadlines.dueAt, before)))
      .orderBy(asc(deadlines.dueAt), asc(deadlines.id));
  },
  /** Referrals with no action plan yet whose release falls in [from, before) (local dates). */
  async releaseWithoutPlan(args: { from: string; before: string }) {
    return db
      .select()
      .from(referrals)
      .where(and(inArray(referrals.state, BEFORE_PLAN), gte(referrals.releaseDate, args.from), lt(referrals.releaseDate, args.before)))
      .orderBy(asc(referrals.releaseDate), asc(referrals.id));
  },
  /** The newest duty change covering the day (a one-day change or a range) for every unit that has one. */
  async dutyChanges(day: string): Promise<Map<string, string[]>> {
    // A day's changes are few: read them in id order and let the latest per unit win.
    const rows = await db
      .select({ unitId: dutyAssignments.unitId, personIds: dutyAssignments.personIds })
      .from(dutyAssignments)
      .where(or(and(isNull(dutyAssignments.untilDate), eq(dutyAssignments.onDate, day)), and(lte(dutyAssignments.onDate, day), gte(dutyAssignments.untilDate, day))))
      .orderBy(asc(dutyAssignments.id));
    return new Map(rows.map((row) => [row.unitId, row.personIds]));
  },
  /** Units whose digest of `day` is already written, and each unit's latest run before it. */
  async runs(day: string): Promise<{ done: Set<string>; lastBefore: Map<string, Date> }> {
    const rows = await db
      .select({
        unitId: digestRuns.unitId,
        done: sql<boolean>`bool_or(${digestRuns.day} = ${day})`,
        last: sql<Date | string | null>`max(${digestRuns.ranAt}) filter (where ${digestRuns.day} < ${day})`,
      })
      .from(digestRuns)
      .groupBy(digestRuns.unitId);
    return {
      done: new Set(rows.filter((row) => row.done).map((row) => row.unitId)),
      lastBefore: new Map(rows.filter((row) => row.last).map((row) => [row.unitId, new Date(row.last as Date | string)])),
    };
  },
  /** Record the units' runs in one statement; a second replica's record of the same unit and day changes nothing. */
  async recordRuns(rows: { unitId: string; day: string; at: Date; messages: number }[]): Promise<void> {
    if (rows.length === 0) return;
    await db
      .insert(digestRuns)
      .values(rows.map((row) => ({ unitId: row.unitId, day: row.day, ranAt: row.at, messages: row.messages })))
      .onConflictDoNothing();
  },
});

export type DigestRepository = ReturnType<typeof createDigestRepository>;
export type DueRow = Awaited<ReturnType<DigestRepository['dueBefore']>>[number];
