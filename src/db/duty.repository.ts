import { and, asc, desc, eq, gte, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { deadlines, dutyAssignments, dutyHandovers } from './schema.js';

export type DutyRow = typeof dutyAssignments.$inferSelect;

/**
 * The duty rota's changes: each /duty change is a new row for one day or a range of days (history, never an
 * overwrite); for a given day the newest row covering it wins. Hand-overs are recorded once per cause.
 */
export const createDutyRepository = (db: Executor) => ({
  /** The newest change covering `onDate` (a one-day change on that date, or a range that includes it). */
  async latest(args: { unitId: string; onDate: string }): Promise<DutyRow | undefined> {
    const [row] = await db
      .select()
      .from(dutyAssignments)
      .where(
        and(
          eq(dutyAssignments.unitId, args.unitId),
          or(and(isNull(dutyAssignments.untilDate), eq(dutyAssignments.onDate, args.onDate)), and(lte(dutyAssignments.onDate, args.onDate), gte(dutyAssignments.untilDate, args.onDate))),
        ),
      )
      .orderBy(desc(dutyAssignments.id))
      .limit(1);
    return row;
  },
  /** The newest change covering one day (a one-day change or a range) for every unit, in one query (a sweep's snapshot of the rota). */
  async latestOnDate(args: { onDate: string }): Promise<DutyRow[]> {
    return db
      .select()
      .from(dutyAssignments)
      .where(
        sql`${dutyAssignments.id} IN (SELECT max(${dutyAssignments.id}) FROM ${dutyAssignments} WHERE (${dutyAssignments.onDate} = ${args.onDate} AND ${dutyAssignments.untilDate} IS NULL) OR (${dutyAssignments.onDate} <= ${args.onDate} AND ${dutyAssignments.untilDate} >= ${args.onDate}) GROUP BY ${dutyAssignments.unitId})`,
      );
  },
  async set(args: { unitId: string; onDate: string; untilDate?: string | null; personIds: string[]; setBy: string | null; at: Date }): Promise<DutyRow> {
    const untilDate = args.untilDate && args.untilDate !== args.onDate ? args.untilDate : null;
    const [row] = await db.insert(dutyAssignments).values({ unitId: args.unitId, onDate: args.onDate, untilDate, personIds: args.personIds, setBy: args.setBy, setAt: args.at }).returning();
    return row as DutyRow;
  },
  async history(args: { unitId: string }): Promise<DutyRow[]> {
    return db.select().from(dutyAssignments).where(eq(dutyAssignments.unitId, args.unitId)).orderBy(desc(dutyAssignments.id));
  },
  /** Record a hand-over; false when one with this key was already recorded (by this process or another). */
  async recordHandover(args: { key: string; unitId: string; onDate: string; fromIds: string[]; toIds: string[]; at: Date }): Promise<boolean> {
    const rows = await db.insert(dutyHandovers).values(args).onConflictDoNothing({ target: dutyHandovers.key }).returning({ key: dutyHandovers.key });
    return rows.length > 0;
  },
  /** Open deadlines owed by a unit's duty desk (what a new duty officer takes over), oldest first. */
  async openOwedByDuty(args: { unitId: string }) {
    const owner = JSON.stringify([{ kind: 'unitDuty', unitId: args.unitId }]);
    return db
      .select()
      .from(deadlines)
      .where(and(isNull(deadlines.metAt), sql`${deadlines.owners} @> ${owner}::jsonb`))
      .orderBy(asc(deadlines.id));
  },
  async handoverRecorded(args: { key: string }): Promise<boolean> {
    const rows = await db.select({ key: dutyHandovers.key }).from(dutyHandovers).where(eq(dutyHandovers.key, args.key)).limit(1);
    return rows.length > 0;
  },
});
