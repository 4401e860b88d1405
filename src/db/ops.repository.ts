import { desc, inArray, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { auditLog } from './schema.js';

/** Reads for operations: org drift between replicas. */
export const createOpsRepository = (db: Executor) => ({
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
