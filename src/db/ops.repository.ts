import { desc, inArray, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { auditLog, outbox, teamsConversations } from './schema.js';

/** Reads for operations: org drift between replicas, readiness. */
export const createOpsRepository = (db: Executor) => ({
  /** Migrations recorded as applied (drizzle's own table), for /readyz. */
  async appliedMigrations(): Promise<number> {
    const result = await db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
    const rows = (result as unknown as { rows: { n: number }[] }).rows;
    return Number(rows[0]?.n ?? 0);
  },
  /** When the oldest message not yet sent was written (pending or sending), for the backlog-age alert. */
  async oldestUnsentAt(): Promise<Date | null> {
    const [row] = await db
      .select({ at: sql<Date | string | null>`min(${outbox.createdAt})` })
      .from(outbox)
      .where(inArray(outbox.status, ['pending', 'sending']));
    return row?.at ? new Date(row.at) : null;
  },
  /** Entra object ids (lower case) the bot holds a conversation reference for. */
  async teamsReachableIds(): Promise<Set<string>> {
    const rows = await db.select({ id: teamsConversations.aadObjectId }).from(teamsConversations);
    return new Set(rows.map((row) => row.id.toLowerCase()));
  },
  /** The sha256 of the newest org load or reload any replica stored. */
  async newestOrgHash(): Promise<string | null> {
    const [row] = await db
      .select({ sha256: sql<string | null>`${auditLog.details} ->> 'sha256'` })
      .from(auditLog)
      .where(sql`${inArray(auditLog.event, ['config.loaded', 'config.reloaded'])} AND (${auditLog.details} ->> 'sha256') IS NOT NULL`)
      .orderBy(desc(auditLog.id))
      .limit(1);
    return row?.sha256 ?? null;
  },
});
