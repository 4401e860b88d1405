import { and, asc, desc, eq, getTableColumns, inArray, or } from 'drizzle-orm';
import { chunksOf } from './chunks.js';
import type { Executor } from './executor.js';
import { auditLog, decisions } from './schema.js';

export type DecisionRow = typeof decisions.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;

const AUDIT_PARAMS = Object.keys(getTableColumns(auditLog)).length;

/** Decisions and the append-only audit log. */
export const createRecordsRepository = (db: Executor) => ({
  async insertDecision(values: typeof decisions.$inferInsert): Promise<DecisionRow> {
    const [row] = await db.insert(decisions).values(values).returning();
    return row as DecisionRow;
  },
  async audit(values: NewAuditRow): Promise<void> {
    await db.insert(auditLog).values(values);
  },
  /** Many audit rows in one multi-row INSERT per chunk (under the bind-parameter limit), in the order given. */
  async auditMany(rows: NewAuditRow[]): Promise<void> {
    for (const chunk of chunksOf({ rows, paramsPerRow: AUDIT_PARAMS })) await db.insert(auditLog).values(chunk);
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
});
