import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { escalations, referrals } from './schema.js';

export type EscalationRow = typeof escalations.$inferSelect;
export type NewEscalation = typeof escalations.$inferInsert;
export type ReferralRow = typeof referrals.$inferSelect;
export type NewReferral = typeof referrals.$inferInsert;

/** One item table as a workflow reads and changes it: by id, by ids, and a conditional update on the version. */
export interface ItemTable<Row> {
  get(id: number): Promise<Row | undefined>;
  byIds(ids: number[]): Promise<Row[]>;
  update(args: { id: number; expectedVersion: number; patch: Record<string, unknown> }): Promise<Row | undefined>;
}

/**
 * Escalations and referrals. Every change is a conditional update on the expected version: a second
 * identical call (double click, second replica) updates nothing and the caller learns who acted first.
 */
export const createItemsRepository = (db: Executor) => ({
  async insertEscalation(values: NewEscalation): Promise<EscalationRow> {
    const [row] = await db.insert(escalations).values(values).returning();
    return row as EscalationRow;
  },
  async escalation(id: number): Promise<EscalationRow | undefined> {
    const [row] = await db.select().from(escalations).where(eq(escalations.id, id));
    return row;
  },
  async updateEscalation(args: { id: number; expectedVersion: number; patch: Partial<NewEscalation> }): Promise<EscalationRow | undefined> {
    const [row] = await db
      .update(escalations)
      .set({ ...args.patch, version: sql`${escalations.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(escalations.id, args.id), eq(escalations.version, args.expectedVersion)))
      .returning();
    return row;
  },
  async escalationsByCrn(crn: string): Promise<EscalationRow[]> {
    return db.select().from(escalations).where(eq(escalations.crn, crn)).orderBy(escalations.id);
  },
  async escalationsByIds(ids: number[]): Promise<EscalationRow[]> {
    if (ids.length === 0) return [];
    return db.select().from(escalations).where(inArray(escalations.id, ids));
  },
  async insertReferral(values: NewReferral): Promise<ReferralRow> {
    const [row] = await db.insert(referrals).values(values).returning();
    return row as ReferralRow;
  },
  async referral(id: number): Promise<ReferralRow | undefined> {
    const [row] = await db.select().from(referrals).where(eq(referrals.id, id));
    return row;
  },
  async updateReferral(args: { id: number; expectedVersion: number; patch: Partial<NewReferral> }): Promise<ReferralRow | undefined> {
    const [row] = await db
      .update(referrals)
      .set({ ...args.patch, version: sql`${referrals.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(referrals.id, args.id), eq(referrals.version, args.expectedVersion)))
      .returning();
    return row;
  },
  async referralsByCrn(crn: string): Promise<ReferralRow[]> {
    return db.select().from(referrals).where(eq(referrals.crn, crn)).orderBy(referrals.id);
  },
  async referralsByIds(ids: number[]): Promise<ReferralRow[]> {
    if (ids.length === 0) return [];
    return db.select().from(referrals).where(inArray(referrals.id, ids));
  },
  async countsByState(): Promise<{ itemType: string; state: string; count: number }[]> {
    const count = sql<number>`count(*)::int`;
    const esc = await db.select({ state: escalations.state, count }).from(escalations).groupBy(escalations.state);
    const ref = await db.select({ state: referrals.state, count }).from(referrals).groupBy(referrals.state);
    return [...esc.map((row) => ({ itemType: 'escalation', state: row.state, count: Number(row.count) })), ...ref.map((row) => ({ itemType: 'referral', state: row.state, count: Number(row.count) }))];
  },
  async recentEscalations(limit: number): Promise<EscalationRow[]> {
    return db.select().from(escalations).orderBy(desc(escalations.id)).limit(limit);
  },
});
