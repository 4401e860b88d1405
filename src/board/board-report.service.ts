import type { BoardRepository } from '../db/board.repository.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { type UnitWeekReport, buildUnitWeekReport, weekRange } from './board-reports.js';

/** One unit's week: three scoped reads, then the pure report. */
export const loadUnitWeekReport = async (args: { ctx: UseCaseContext; repo: BoardRepository; unitId: string; week: string }): Promise<UnitWeekReport> => {
  const { ctx, repo, unitId, week } = args;
  const { from, to } = weekRange({ timeZone: ctx.directory.org.timezone, week });
  const [deadlines, reminders, referrals] = await Promise.all([
    repo.unitDeadlinesIn({ unitId, from, to }),
    repo.remindersPerRung({ unitId, from, to }),
    repo.referralsSentIn({ unitId, from, to }),
  ]);
  return buildUnitWeekReport({ calendar: ctx.directory.calendar, unitId, week, from, to, now: ctx.clock.now(), deadlines, reminders, referrals });
};
