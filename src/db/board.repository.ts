import { and, eq, gt, gte, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import type { DeadlineRow } from './deadlines.repository.js';
import { escalationWorkflow } from '../domain/workflows/escalation.workflow.js';
import { referralWorkflow } from '../domain/workflows/referral.workflow.js';
import { auditLog, boardSessions, deadlines, referrals } from './schema.js';

export type BoardSessionRow = typeof boardSessions.$inferSelect;

export interface UnitPageRow {
  itemType: 'escalation' | 'referral';
  id: number;
  crn: string;
  state: string;
  senderUnitId: string;
  otherUnitId: string;
  nextKind: string | null;
  nextDueAt: Date | null;
  stateTotal: number;
  stateOverdue: number;
}

/** What a report needs of a deadline (narrow on purpose: the chase policy and owners are not read). */
export type ReportDeadline = Pick<DeadlineRow, 'kind' | 'startedAt' | 'dueAt' | 'metAt' | 'metBy'>;

const ESCALATION_DONE: string[] = [...escalationWorkflow.terminal];
const REFERRAL_DONE: string[] = [...referralWorkflow.terminal];

/** The managers' board: its sessions, and the reads its pages need (scoped by unit in SQL, so a page stays cheap). */
export const createBoardRepository = (db: Executor) => ({
  async insertSession(values: typeof boardSessions.$inferInsert): Promise<void> {
    await db.insert(boardSessions).values(values);
  },
  async session(args: { idHash: string; now: Date }): Promise<BoardSessionRow | undefined> {
    const [row] = await db
      .select()
      .from(boardSessions)
      .where(and(eq(boardSessions.idHash, args.idHash), gt(boardSessions.expiresAt, args.now)));
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

  /**
   * One unit's open items of one type for the units page, ranked in SQL so a unit with thousands of items
   * returns at most `perState` rows per state: overdue first, then by the next open deadline. `roleOf`
   * narrows to the items a person holds a role on (raiser, countersigner, acceptor, case manager, worker, or
   * duty officer of the receiving / provider unit); the caller checks the roles again on what comes back.
   */
  async unitPageRows(args: { itemType: 'escalation' | 'referral'; unitId: string; now: Date; perState: number; roleOf?: { personId: string; dutyUnitIds: string[] } }): Promise<UnitPageRow[]> {
    const esc = args.itemType === 'escalation';
    const table = esc ? sql`escalations` : sql`referrals`;
    const other = esc ? sql`receiving_unit_id` : sql`provider_unit_id`;
    const done = esc ? ESCALATION_DONE : REFERRAL_DONE;
    const me = args.roleOf?.personId ?? '';
    const duty = args.roleOf?.dutyUnitIds.length ? args.roleOf.dutyUnitIds : [''];
    const dutyList = sql.join(
      duty.map((id) => sql`${id}`),
      sql`, `,
    );
    const role = !args.roleOf
      ? sql`true`
      : esc
        ? sql`(i.raised_by = ${me} OR i.countersigner_id = ${me} OR i.accepted_by = ${me} OR i.new_case_manager_id = ${me} OR i.receiving_unit_id IN (${dutyList}))`
        : sql`(i.raised_by = ${me} OR i.assigned_worker_id = ${me} OR i.provider_unit_id IN (${dutyList}))`;
    const now = args.now.toISOString();
    const result = await db.execute(sql`
      WITH ranked AS (
        SELECT i.id, i.crn, i.state, i.sender_unit_id AS sender, i.${other} AS receiver, n.kind, n.due_at,
          count(*) OVER (PARTITION BY i.state) AS total,
          count(*) FILTER (WHERE n.due_at <= ${now}::timestamptz) OVER (PARTITION BY i.state) AS overdue,
          row_number() OVER (PARTITION BY i.state ORDER BY (n.due_at <= ${now}::timestamptz) DESC NULLS LAST, n.due_at NULLS LAST, i.id) AS rank
        FROM ${table} i
        LEFT JOIN LATERAL (
          SELECT d.kind, d.due_at FROM deadlines d
          WHERE d.item_type = ${args.itemType} AND d.item_id = i.id AND d.met_at IS NULL ORDER BY d.due_at LIMIT 1
        ) n ON true
        WHERE i.state NOT IN (${sql.join(
          done.map((state) => sql`${state}`),
          sql`, `,
        )})
          AND (i.sender_unit_id = ${args.unitId} OR i.${other} = ${args.unitId}) AND ${role}
      )
      SELECT * FROM ranked WHERE rank <= ${args.perState} ORDER BY state, rank`);
    return (result as unknown as { rows: Record<string, unknown>[] }).rows.map((row) => ({
      itemType: args.itemType,
      id: Number(row.id),
      crn: String(row.crn),
      state: String(row.state),
      senderUnitId: String(row.sender),
      otherUnitId: String(row.receiver),
      nextKind: row.kind === null ? null : String(row.kind),
      nextDueAt: row.due_at === null ? null : new Date(row.due_at as string),
      stateTotal: Number(row.total),
      stateOverdue: Number(row.overdue),
    }));
  },

  /** A unit's deadlines that were due, or met, in [from, to): the week a report covers. */
  async unitDeadlinesIn(args: { unitId: string; from: Date; to: Date }): Promise<ReportDeadline[]> {
    const { from, to } = args;
    return db
      .select({ kind: deadlines.kind, startedAt: deadlines.startedAt, dueAt: deadlines.dueAt, metAt: deadlines.metAt, metBy: deadlines.metBy })
      .from(deadlines)
      .where(and(eq(deadlines.unitId, args.unitId), or(and(gte(deadlines.dueAt, from), lt(deadlines.dueAt, to)), and(gte(deadlines.metAt, from), lt(deadlines.metAt, to)))));
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
  /**
   * The audit log's newest id outside the board's own events (views, exports, sign-ins): every decision,
   * reminder and new item writes one, so it versions a report.
   */
  async lastAuditId(): Promise<number> {
    const [row] = await db
      .select({ id: sql<number>`coalesce(max(${auditLog.id}), 0)` })
      .from(auditLog)
      .where(sql`${auditLog.event} NOT LIKE 'board.%'`);
    return Number(row?.id ?? 0);
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
