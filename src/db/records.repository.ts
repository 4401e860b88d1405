import { and, asc, desc, eq, gte, inArray, or } from 'drizzle-orm';
import { insertAuditRows } from './bulk-writes.js';
import type { Executor } from './executor.js';
import { auditLog, decisions } from './schema.js';

export type DecisionRow = typeof decisions.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;

/** Decisions and the append-only audit log. */
export const createRecordsRepository = (db: Executor) => ({
  async insertDecision(values: typeof decisions.$inferInsert): Promise<DecisionRow> {
    const [row] = await db.insert(decisions).values(values).returning();
    return row as DecisionRow;
  },
  async audit(values: NewAuditRow): Promise<void> {
    await db.insert(auditLog).values(values);
  },
  /** Many audit rows in one set-based INSERT, in the order given. */
  async auditMany(rows: NewAuditRow[]): Promise<void> {
    await insertAuditRows(db, rows);
  },
  async lastDecision(args: { itemType: string; itemId: number }): Promise<DecisionRow | undefined> {
    const [row] = await db
      .select()
      .from(decisions)
      .where(and(eq(decisions.itemType, args.itemType), eq(decisions.itemId, args.itemId)))
      .orderBy(desc(decisions.id))
      .limit(1);
    return row;
  },
  async decisionsFor(items: { itemType: string; itemId: number }[]): Promise<DecisionRow[]> {
    if (items.length === 0) return [];
    const byType = (type: string) => items.filter((item) => item.itemType === type).map((item) => item.itemId);
    const clauses = ['escalation', 'referral'].filter((type) => byType(type).length > 0).map((type) => and(eq(decisions.itemType, type), inArray(decisions.itemId, byType(type))));
    return db
      .select()
      .from(decisions)
      .where(or(...clauses))
      .orderBy(asc(decisions.decidedAt), asc(decisions.id));
  },
  async auditForCrn(crn: string): Promise<AuditRow[]> {
    return db.select().from(auditLog).where(eq(auditLog.crn, crn)).orderBy(asc(auditLog.id));
  },
  async auditEvents(event: string): Promise<AuditRow[]> {
    return db.select().from(auditLog).where(eq(auditLog.event, event)).orderBy(asc(auditLog.id));
  },
  /** Events of one kind since a time (audit_event_at_idx): bounded by the window, not by the log's history. */
  async auditEventsSince(args: { event: string; since: Date }): Promise<AuditRow[]> {
    return db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.event, args.event), gte(auditLog.at, args.since)))
      .orderBy(asc(auditLog.id));
  },
});
