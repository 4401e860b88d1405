import { desc, eq } from 'drizzle-orm';
import type { Executor } from './executor.js';
import type { EscalationRow, ReferralRow } from './items.repository.js';
import { escalations, referrals } from './schema.js';

/** What one person raised, newest first (`/cases mine`). */
export const createRaisedRepository = (db: Executor) => ({
  async escalationsRaisedBy(args: { personId: string; limit: number }): Promise<EscalationRow[]> {
    return db.select().from(escalations).where(eq(escalations.raisedBy, args.personId)).orderBy(desc(escalations.id)).limit(args.limit);
  },
  async referralsRaisedBy(args: { personId: string; limit: number }): Promise<ReferralRow[]> {
    return db.select().from(referrals).where(eq(referrals.raisedBy, args.personId)).orderBy(desc(referrals.id)).limit(args.limit);
  },
});
