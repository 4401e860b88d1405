import { and, eq, inArray, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { decisions, escalations, outbox, referrals } from './schema.js';

/** What replaces case narrative once the retention period after closing has passed. */
export const RETENTION_MARKER = '[removed after retention]';

export interface ExpiredItem {
  itemType: 'escalation' | 'referral';
  itemId: number;
  crn: string;
  closedAt: Date;
}

/**
 * Narrative retention. Claims closed items past the cut-off whose narrative is still there, with FOR UPDATE SKIP
 * LOCKED so replicas running the daily job at once share the work; then replaces only the narrative: the summary
 * or notes, the decisions' rationales (the one change the decisions trigger permits, migration 0003) and the text
 * of messages already sent about the item. Actors, times, states and deadlines are left as they are.
 */
export const createRetentionRepository = (db: Executor) => ({
  async claimExpired(args: { closedBefore: Date; limit: number }): Promise<ExpiredItem[]> {
    const escalationRows = await db
      .select({ id: escalations.id, crn: escalations.crn, closedAt: escalations.closedAt })
      .from(escalations)
      .where(and(isNotNull(escalations.closedAt), lt(escalations.closedAt, args.closedBefore), ne(escalations.summary, RETENTION_MARKER)))
      .orderBy(escalations.closedAt)
      .limit(args.limit)
      .for('update', { skipLocked: true });
    const left = args.limit - escalationRows.length;
    const referralRows =
      left <= 0
        ? []
        : await db
            .select({ id: referrals.id, crn: referrals.crn, closedAt: referrals.closedAt })
            .from(referrals)
            .where(and(isNotNull(referrals.closedAt), lt(referrals.closedAt, args.closedBefore), ne(referrals.notes, RETENTION_MARKER)))
            .orderBy(referrals.closedAt)
            .limit(left)
            .for('update', { skipLocked: true });
    return [
      ...escalationRows.map((row) => ({ itemType: 'escalation' as const, itemId: row.id, crn: row.crn, closedAt: row.closedAt as Date })),
      ...referralRows.map((row) => ({ itemType: 'referral' as const, itemId: row.id, crn: row.crn, closedAt: row.closedAt as Date })),
    ];
  },
  /** Replace one claimed item's narrative; returns how many rationales and sent messages were cleared. */
  async removeNarrative(item: ExpiredItem): Promise<{ rationales: number; messages: number }> {
    if (item.itemType === 'escalation') {
      await db.update(escalations).set({ summary: RETENTION_MARKER }).where(eq(escalations.id, item.itemId));
    } else {
      await db.update(referrals).set({ notes: RETENTION_MARKER }).where(eq(referrals.id, item.itemId));
    }
    const rationales = await db
      .update(decisions)
      .set({ rationale: RETENTION_MARKER })
      .where(and(eq(decisions.itemType, item.itemType), eq(decisions.itemId, item.itemId), isNotNull(decisions.rationale), ne(decisions.rationale, RETENTION_MARKER)))
      .returning({ id: decisions.id });
    // Messages already delivered (or given up on) keep their target and status; their rendered text goes.
    const messages = await db
      .update(outbox)
      .set({ payload: sql`${JSON.stringify({ text: RETENTION_MARKER, removed: true })}::jsonb` })
      .where(and(eq(outbox.itemType, item.itemType), eq(outbox.itemId, item.itemId), inArray(outbox.status, ['sent', 'dead'])))
      .returning({ id: outbox.id });
    return { rationales: rationales.length, messages: messages.length };
  },
});
