import type { BoardRepository } from '../db/board.repository.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { type UnitWeekReport, buildUnitWeekReport, weekRange } from './board-reports.js';

const CACHE_SIZE = 100;

export type ReportLoader = (args: { unitId: string; week: string }) => Promise<UnitWeekReport>;

/**
 * One unit's week: three scoped reads, then the pure report. Reports are read far more often than anything
 * changes, so a computed one is kept (per board, i.e. per database) while the audit log has no newer row outside
 * the board's own events (every decision, reminder and new item writes one, on any replica) and for at most a
 * minute of the clock (what has fallen due moves with time).
 */
export const createReportLoader = (args: { ctx: UseCaseContext; repo: BoardRepository }): ReportLoader => {
  const { ctx, repo } = args;
  const cache = new Map<string, UnitWeekReport>();
  return async ({ unitId, week }) => {
    const now = ctx.clock.now();
    const key = `${unitId}|${week}|${await repo.lastAuditId()}|${Math.floor(now.getTime() / 60_000)}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const { from, to } = weekRange({ timeZone: ctx.directory.org.timezone, week });
    const [deadlines, reminders, referrals] = await Promise.all([repo.unitDeadlinesIn({ unitId, from, to }), repo.remindersPerRung({ unitId, from, to }), repo.referralsSentIn({ unitId, from, to })]);
    const report = buildUnitWeekReport({ calendar: ctx.directory.calendar, unitId, week, from, to, now, deadlines, reminders, referrals });
    cache.set(key, report);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return report;
  };
};
