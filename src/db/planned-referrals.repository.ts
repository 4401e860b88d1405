import { and, eq, inArray, ne } from 'drizzle-orm';
import { chunksOf } from './chunks.js';
import type { Executor } from './executor.js';
import type { NewDeadline } from './deadlines.repository.js';
import type { NewReferral, ReferralRow } from './items.repository.js';
import { deadlines, decisions, referrals } from './schema.js';

/** Rows per INSERT: well under the bind-parameter limit, and small enough that the embedded engine stays quick. */
const BATCH = 100;
const batches = <T>(rows: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < rows.length; start += BATCH) out.push(rows.slice(start, start + BATCH));
  return out;
};

/** Planned referrals in bulk (an import of upcoming releases): multi-row inserts, in the caller's transaction. */
export const createPlannedReferralsRepository = (db: Executor) => ({
  async insertReferrals(rows: NewReferral[]): Promise<ReferralRow[]> {
    const out: ReferralRow[] = [];
    for (const chunk of batches(rows)) out.push(...(await db.insert(referrals).values(chunk).returning()));
    return out;
  },
  async insertDecisions(rows: (typeof decisions.$inferInsert)[]): Promise<void> {
    for (const chunk of batches(rows)) await db.insert(decisions).values(chunk);
  },
  async insertDeadlines(rows: NewDeadline[]): Promise<void> {
    for (const chunk of batches(rows)) await db.insert(deadlines).values(chunk);
  },
  /** Referrals (planned or sent, not withdrawn) already on record for these CRNs. */
  async liveForCrns(crns: string[]): Promise<Pick<ReferralRow, 'id' | 'crn' | 'releaseDate' | 'state'>[]> {
    const out: Pick<ReferralRow, 'id' | 'crn' | 'releaseDate' | 'state'>[] = [];
    for (const chunk of chunksOf({ rows: [...new Set(crns)], paramsPerRow: 1 })) {
      out.push(
        ...(await db
          .select({ id: referrals.id, crn: referrals.crn, releaseDate: referrals.releaseDate, state: referrals.state })
          .from(referrals)
          .where(and(inArray(referrals.crn, chunk), ne(referrals.state, 'withdrawn')))),
      );
    }
    return out;
  },
  /** The open planned referrals of one CRN raised from a unit (a /refer for that CRN sends one of them). */
  async plannedFor(args: { crn: string; senderUnitId: string }): Promise<ReferralRow[]> {
    return db
      .select()
      .from(referrals)
      .where(and(eq(referrals.crn, args.crn), eq(referrals.senderUnitId, args.senderUnitId), eq(referrals.state, 'to_refer')))
      .orderBy(referrals.releaseDate);
  },
});
