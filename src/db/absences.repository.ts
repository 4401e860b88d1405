import { and, asc, desc, eq, gt, isNull, lte } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { absences } from './schema.js';

export type AbsenceRow = typeof absences.$inferSelect;

/** Absences: inserted, ended and marked as passed on; never deleted. */
export const createAbsencesRepository = (db: Executor) => ({
  async insert(values: { personId: string; startsAt: Date; endsAt: Date; delegateId: string | null; recordedBy: string; recordedAt: Date }): Promise<AbsenceRow> {
    const [row] = await db.insert(absences).values(values).returning();
    return row as AbsenceRow;
  },
  /** Every absence not yet over at `at` (running now or ahead), earliest first: the snapshot policies read. */
  async notOverAt(at: Date): Promise<AbsenceRow[]> {
    return db.select().from(absences).where(gt(absences.endsAt, at)).orderBy(asc(absences.startsAt), asc(absences.id));
  },
  /** Absences that have started by `at`, are not over, and whose start has not been acted on yet. */
  async startedNotPassed(at: Date): Promise<AbsenceRow[]> {
    return db
      .select()
      .from(absences)
      .where(and(isNull(absences.passedAt), lte(absences.startsAt, at), gt(absences.endsAt, at)))
      .orderBy(asc(absences.id));
  },
  /** Mark the start as acted on, once: false when another sweep got there first. */
  async markPassed(args: { id: number; at: Date }): Promise<boolean> {
    const rows = await db
      .update(absences)
      .set({ passedAt: args.at })
      .where(and(eq(absences.id, args.id), isNull(absences.passedAt)))
      .returning({ id: absences.id });
    return rows.length === 1;
  },
  /** End an absence now (or cut a future one to nothing): the row stays, with who ended it. */
  async end(args: { id: number; by: string; at: Date }): Promise<AbsenceRow | undefined> {
    const [current] = await db.select().from(absences).where(eq(absences.id, args.id));
    if (!current) return undefined;
    const endsAt = current.startsAt.getTime() > args.at.getTime() ? current.startsAt : args.at;
    const [row] = await db
      .update(absences)
      .set({ endsAt, endedBy: args.by, endedAt: args.at, revision: current.revision + 1 })
      .where(eq(absences.id, args.id))
      .returning();
    return row;
  },
  async history(personId: string): Promise<AbsenceRow[]> {
    return db.select().from(absences).where(eq(absences.personId, personId)).orderBy(desc(absences.id));
  },
});
