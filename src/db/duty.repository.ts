import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { dutyAssignments } from './schema.js';

export type DutyRow = typeof dutyAssignments.$inferSelect;

/** The duty rota (latest change per unit and day wins) and Teams conversation references. */
export const createDutyRepository = (db: Executor) => ({
  async latest(args: { unitId: string; onDate: string }): Promise<DutyRow | undefined> {
    const [row] = await db
      .select()
      .from(dutyAssignments)
      .where(and(eq(dutyAssignments.unitId, args.unitId), eq(dutyAssignments.onDate, args.onDate)))
      .orderBy(desc(dutyAssignments.id))
      .limit(1);
    return row;
  },
  /** The latest change of every unit for one day, in one query (a sweep's snapshot of the rota). */
  async latestOnDate(args: { onDate: string }): Promise<DutyRow[]> {
    return db
      .select()
      .from(dutyAssignments)
      .where(sql`${dutyAssignments.id} IN (SELECT max(${dutyAssignments.id}) FROM ${dutyAssignments} WHERE ${dutyAssignments.onDate} = ${args.onDate} GROUP BY ${dutyAssignments.unitId})`);
  },
  async set(args: { unitId: string; onDate: string; personIds: string[]; setBy: string | null; at: Date }): Promise<DutyRow> {
    const [row] = await db.insert(dutyAssignments).values({ unitId: args.unitId, onDate: args.onDate, personIds: args.personIds, setBy: args.setBy, setAt: args.at }).returning();
    return row as DutyRow;
  },
  async history(args: { unitId: string }): Promise<DutyRow[]> {
    return db.select().from(dutyAssignments).where(eq(dutyAssignments.unitId, args.unitId)).orderBy(desc(dutyAssignments.id));
  },
});
