import type express from 'express';
import cron from 'node-cron';
import type { Env } from '../config/env.config.js';
import { createBoardRepository } from '../db/board.repository.js';
import type { Executor } from '../db/executor.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { boardSettings } from './board-config.js';
import { createReportLoader } from './board-report.service.js';
import { createBoardRouter } from './board-routes.js';
import { createSessions } from './board-sessions.js';
import { runWeeklyPictures } from './board-weekly.js';

/** The managers' board at /board and its Monday picture; null (with the reason) when not configured. */
export const createBoard = (args: { ctx: UseCaseContext; env: Env; db: Executor; http: express.Express }) => {
  const { ctx } = args;
  const { settings, whyNot } = boardSettings(args.env);
  if (!settings) return { board: null, description: `off: ${whyNot}` };
  const repo = createBoardRepository(args.db);
  const sessions = createSessions({ repo, settings });
  const loadReport = createReportLoader({ ctx, repo });
  args.http.use(createBoardRouter({ ctx, settings, repo, sessions, loadReport }));
  let task: ReturnType<typeof cron.schedule> | null = null;
  const board = {
    settings,
    repo,
    loadReport,
    runWeekly: () => runWeeklyPictures({ ctx, loadReport, settings }),
    start() {
      task = cron.schedule(
        settings.weeklyCron,
        () => void board.runWeekly().catch((error: unknown) => ctx.logger.error({ component: 'board', error: (error as Error)?.name }, 'weekly pictures failed')),
        { name: 'dutydesk-board-weekly', noOverlap: true, timezone: ctx.directory.org.timezone },
      );
    },
    stop() {
      void task?.stop();
      task = null;
    },
  };
  return { board, description: `${settings.baseUrl}/board (${settings.providers.map((p) => p.id).join(', ')})` };
};
