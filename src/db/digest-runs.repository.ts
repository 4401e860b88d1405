import { and, desc, eq, lt } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { digestRuns } from './schema.js';

/** Which units' digests were written on which local day, and when (the previous run bounds the next one's notes). */
export const createDigestRunsRepository = (db: Executor) => ({
  async exists(args: { unitId: string; day: string }): Promise<boolean> {
    const [row] = await db
      .select({ day: digestRuns.day })
      .from(digestRuns)
      .where(and(eq(digestRuns.unitId, args.unitId), eq(digestRuns.day, args.day)));
    return Boolean(row);
  },
  /** Record a run; a second replica's record of the same unit and day changes nothing. */
  async record(args: { unitId: string; day: string; at: Date; messages: number }): Promise<void> {
    await db.insert(digestRuns).values({ unitId: args.unitId, day: args.day, ranAt: args.at, messages: args.messages }).onConflictDoNothing();
  },
  /** When this unit's latest digest before `day` ran. */
  async lastBefore(args: { unitId: string; day: string }): Promise<Date | null> {
    const [row] = await db
      .select({ ranAt: digestRuns.ranAt })
      .from(digestRuns)
      .where(and(eq(digestRuns.unitId, args.unitId), lt(digestRuns.day, args.day)))
      .orderBy(desc(digestRuns.day))
      .limit(1);
    return row?.ranAt ?? null;
  },
});
