import { and, asc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import type { EscalationRow, ReferralRow } from './items.repository.js';
import { prefixedColumns } from './row-mapper.js';
import { deadlines, digestRuns, dutyAssignments, escalations, referrals } from './schema.js';

/** States of a referral before its action plan: a release close by in one of these is called out. */
const BEFORE_PLAN = ['awaiting_acknowledgement', 'acknowledged', 'assessed'];

/** The columns of a due deadline the digest uses. */
export type DueDeadline = Pick<typeof deadlines.$inferSelect, 'id' | 'itemType' | 'itemId' | 'kind' | 'unitId' | 'owners' | 'dueAt'>;
/** A due deadline with its item (exactly one of the two is set when the item exists). */
export interface DueRow {
  deadline: DueDeadline;
  escalation: EscalationRow | null;
  referral: ReferralRow | null;
}

const escalationColumns = prefixedColumns<EscalationRow>({ table: escalations, alias: 'e', prefix: 'e_' });
const referralColumns = prefixedColumns<ReferralRow>({ table: referrals, alias: 'r', prefix: 'r_' });

/**
 * What the morning digest reads, each in one statement for every unit at once: the open deadlines due by the end of
 * the day with their items, the referrals whose release is close and still have no action plan, the day's duty
 * changes and the digest runs.
 */
export const createDigestRepository = (db: Executor) => ({
  /**
   * Every open deadline due before `before`, with its escalation or referral (one query, every unit). Only the
   * deadline columns the digest shows are read, and the rows are mapped without drizzle's per-cell bookkeeping:
   * a morning of 100,000 deadlines through drizzle's mapper (every column of three tables) cost two seconds of
   * CPU. The values are the same (test/chase/digest-fast-path.test.ts compares them with drizzle's select).
   */
  async dueBefore(before: Date): Promise<DueRow[]> {
    const result = await db.execute(sql`
      SELECT d.id AS d_id, d.item_type AS d_item_type, d.item_id AS d_item_id, d.kind AS d_kind, d.unit_id AS d_unit_id,
        d.owners AS d_owners, d.due_at AS d_due_at, ${escalationColumns.select}, ${referralColumns.select}
      FROM ${deadlines} d
      LEFT JOIN ${escalations} e ON d.item_type = 'escalation' AND e.id = d.item_id
      LEFT JOIN ${referrals} r ON d.item_type = 'referral' AND r.id = d.item_id
      WHERE d.met_at IS NULL AND d.due_at < ${before.toISOString()}::timestamptz
      ORDER BY d.due_at, d.id`);
    return (result as unknown as { rows: Record<string, unknown>[] }).rows.map((raw) => ({
      deadline: {
        id: Number(raw.d_id),
        itemType: raw.d_item_type as string,
        itemId: Number(raw.d_item_id),
        kind: raw.d_kind as string,
        unitId: raw.d_unit_id as string,
        owners: deadlines.owners.mapFromDriverValue(raw.d_owners) as DueDeadline['owners'],
        dueAt: deadlines.dueAt.mapFromDriverValue(raw.d_due_at) as Date,
      },
      escalation: escalationColumns.map(raw),
      referral: referralColumns.map(raw),
    }));
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
