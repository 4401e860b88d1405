import { and, eq, gt, gte, inArray, isNull, lt, lte, notInArray, or, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import type { DeadlineRow } from './deadlines.repository.js';
import type { EscalationRow, ReferralRow } from './items.repository.js';
import { ESCALATION_TERMINAL } from '../domain/escalation.machine.js';
import { REFERRAL_TERMINAL } from '../domain/referral.machine.js';
import { auditLog, boardSessions, deadlines, escalations, referrals } from './schema.js';

export type BoardSessionRow = typeof boardSessions.$inferSelect;

const ESCALATION_DONE = [...ESCALATION_TERMINAL];
const REFERRAL_DONE = [...REFERRAL_TERMINAL];

/** The managers' board: its sessions, and the reads its pages need (scoped by unit in SQL, so a page stays cheap). */
export const createBoardRepository = (db: Executor) => ({
  async insertSession(values: typeof boardSessions.$inferInsert): Promise<void> {
    await db.insert(boardSessions).values(values);
  },
  async session(args: { idHash: string; now: Date }): Promise<BoardSessionRow | undefined> {
    const [row] = await db.select().from(boardSessions).where(and(eq(boardSessions.idHash, args.idHash), gt(boardSessions.expiresAt, args.now)));
    return row;
  },
  /** Take a sign-in in flight: it can be used once (a replayed callback finds nothing). */
  async takePending(args: { idHash: string; now: Date }): Promise<BoardSessionRow | undefined> {
    const [row] = await db
      .delete(boardSessions)
      .where(and(eq(boardSessions.idHash, args.idHash), isNull(boardSessions.personId), gt(boardSessions.expiresAt, args.now)))
      .returning();
    return row;
  },
  async deleteSession(idHash: string): Promise<void> {
    await db.delete(boardSessions).where(eq(boardSessions.idHash, idHash));
  },
  async deleteExpired(now: Date): Promise<number> {
    return (await db.delete(boardSessions).where(lte(boardSessions.expiresAt, now)).returning({ idHash: boardSessions.idHash })).length;
  },

  /** Open escalations sent by or to these units. */
  async openEscalations(unitIds: string[]): Promise<EscalationRow[]> {
    if (unitIds.length === 0) return [];
    return db
      .select()
      .from(escalations)
      .where(and(notInArray(escalations.state, ESCALATION_DONE), or(inArray(escalations.senderUnitId, unitIds), inArray(escalations.receivingUnitId, unitIds))));
  },
  async openReferrals(unitIds: string[]): Promise<ReferralRow[]> {
    if (unitIds.length === 0) return [];
    return db
      .select()
      .from(referrals)
      .where(and(notInArray(referrals.state, REFERRAL_DONE), or(inArray(referrals.senderUnitId, unitIds), inArray(referrals.providerUnitId, unitIds))));
  },
  /** The open deadlines of those same items, in one join per item type. */
  async openDeadlinesOfUnits(unitIds: string[]): Promise<DeadlineRow[]> {
    if (unitIds.length === 0) return [];
    const esc = await db
      .select({ d: deadlines })
      .from(deadlines)
      .innerJoin(escalations, and(eq(deadlines.itemType, 'escalation'), eq(deadlines.itemId, escalations.id)))
      .where(and(isNull(deadlines.metAt), or(inArray(escalations.senderUnitId, unitIds), inArray(escalations.receivingUnitId, unitIds))));
    const ref = await db
      .select({ d: deadlines })
      .from(deadlines)
      .innerJoin(referrals, and(eq(deadlines.itemType, 'referral'), eq(deadlines.itemId, referrals.id)))
      .where(and(isNull(deadlines.metAt), or(inArray(referrals.senderUnitId, unitIds), inArray(referrals.providerUnitId, unitIds))));
    return [...esc, ...ref].map((row) => row.d);
  },

  /** A unit's deadlines that were due, or met, in [from, to): the week a report covers. */
  async unitDeadlinesIn(args: { unitId: string; from: Date; to: Date }): Promise<DeadlineRow[]> {
    const { from, to } = args;
    return db
      .select()
      .from(deadlines)
      .where(
        and(
          eq(deadlines.unitId, args.unitId),
          or(and(gte(deadlines.dueAt, from), lt(deadlines.dueAt, to)), and(gte(deadlines.metAt, from), lt(deadlines.metAt, to))),
        ),
      );
  },
  /** Reminders sent in [from, to) about this unit's deadlines, counted per rung. */
  async remindersPerRung(args: { unitId: string; from: Date; to: Date }): Promise<{ rung: string; count: number }[]> {
    const rung = sql<string>`${auditLog.details}->>'rung'`;
    const rows = await db
      .select({ rung, count: sql<number>`count(*)::int` })
      .from(auditLog)
      .innerJoin(deadlines, sql`${deadlines.id} = (${auditLog.details}->>'deadlineId')::bigint`)
      .where(and(eq(auditLog.event, 'reminder.sent'), gte(auditLog.at, args.from), lt(auditLog.at, args.to), eq(deadlines.unitId, args.unitId)))
      .groupBy(rung);
    return rows.map((row) => ({ rung: String(row.rung), count: Number(row.count) }));
  },
  /** Referrals the unit sent in [from, to), with whether each was made after its refer-by date. */
  async referralsSentIn(args: { unitId: string; from: Date; to: Date }): Promise<{ id: number; crn: string; referBy: string; lateWeeks: number; createdAt: Date }[]> {
    return db
      .select({ id: referrals.id, crn: referrals.crn, referBy: referrals.referBy, lateWeeks: referrals.lateWeeks, createdAt: referrals.createdAt })
      .from(referrals)
      .where(and(eq(referrals.senderUnitId, args.unitId), gte(referrals.createdAt, args.from), lt(referrals.createdAt, args.to)));
  },
});

export type BoardRepository = ReturnType<typeof createBoardRepository>;
