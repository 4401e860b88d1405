import { and, eq, lt } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { teamsFileOffers } from './schema.js';

export type TeamsFileOffer = typeof teamsFileOffers.$inferSelect;

/** Files waiting for the person's consent in Teams; taken (deleted) on accept or decline, so a file goes once. */
export const createTeamsFileOffersRepository = (db: Executor) => ({
  async offer(row: typeof teamsFileOffers.$inferInsert): Promise<void> {
    await db.insert(teamsFileOffers).values(row);
  },
  /** The offer, removed in the same statement: a second accept of the same card finds nothing. */
  async take(args: { id: string; aadObjectId: string }): Promise<TeamsFileOffer | undefined> {
    const [row] = await db
      .delete(teamsFileOffers)
      .where(and(eq(teamsFileOffers.id, args.id), eq(teamsFileOffers.aadObjectId, args.aadObjectId)))
      .returning();
    return row;
  },
  /** Offers nobody answered: their bytes do not stay in the database. */
  async dropOlderThan(at: Date): Promise<number> {
    const rows = await db.delete(teamsFileOffers).where(lt(teamsFileOffers.createdAt, at)).returning({ id: teamsFileOffers.id });
    return rows.length;
  },
});
