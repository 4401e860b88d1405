import { and, eq, lt } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { teamsFileOffers } from './schema.js';

export type TeamsFileOffer = typeof teamsFileOffers.$inferSelect;

/** An offer nobody answers is dropped after a day: its bytes do not stay in the database. */
export const FILE_OFFER_LIFETIME_MS = 24 * 60 * 60_000;

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
  /** Offers nobody answered within FILE_OFFER_LIFETIME_MS of `now`: their bytes do not stay in the database. */
  async dropStale(now: Date): Promise<number> {
    const rows = await db
      .delete(teamsFileOffers)
      .where(lt(teamsFileOffers.createdAt, new Date(now.getTime() - FILE_OFFER_LIFETIME_MS)))
      .returning({ id: teamsFileOffers.id });
    return rows.length;
  },
});
