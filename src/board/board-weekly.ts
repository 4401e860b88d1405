import type { ChatMessage } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { enqueueMessage } from '../use-cases/effects.js';
import { renderSvg, svgToPng, timesChartSpec } from './board-charts.js';
import type { BoardSettings } from './board-config.js';
import type { ReportLoader } from './board-report.service.js';
import { type UnitWeekReport, shiftWeek, weekOf } from './board-reports.js';

const fmt = (value: number | null) => (value === null ? 'no decisions' : `${value} working h`);

/** The manager's weekly picture: the chart as a PNG file, the figures as lines, and the link to the board. */
export const weeklyMessage = (args: { report: UnitWeekReport; unitName: string; png: Buffer; link: string }): ChatMessage => {
  const { report } = args;
  return {
    text: `Your week at ${args.unitName}: week of ${report.week}`,
    title: `${args.unitName}: week of ${report.week}`,
    fields: [],
    lines: [
      ...report.times.map((t) => `${t.measure}: median ${fmt(t.medianHours)}, 90th percentile ${fmt(t.p90Hours)} (${t.count} decided)`),
      `Overdue rate: ${report.overdue.rate === null ? 'nothing was due' : `${report.overdue.rate}% (${report.overdue.late} of ${report.overdue.due})`}`,
      `Reminders: ${report.reminders.map((r) => `${r.rung.toLowerCase()} ${r.count}`).join(', ')}`,
      `Referrals: ${report.referrals.sent} sent, ${report.referrals.late} after the refer-by date`,
      `The board: ${args.link}`,
    ],
    actions: [],
    attachment: { filename: `dutydesk-week-${report.unitId}-${report.week}.png`, mimeType: 'image/png', content: args.png.toString('base64'), encoding: 'base64' },
  };
};

/**
 * Each Monday: every unit manager gets last week's picture through the outbox. The dedupe key
 * `board-weekly:<unit>:<week>` makes a second replica, or a rerun, write nothing.
 */
export const runWeeklyPictures = async (args: { ctx: UseCaseContext; loadReport: ReportLoader; settings: BoardSettings }): Promise<{ written: number }> => {
  const { ctx, loadReport, settings } = args;
  const { directory } = ctx;
  const now = ctx.clock.now();
  const week = shiftWeek(weekOf({ calendar: directory.calendar, at: now }), -1);
  let written = 0;
  for (const unit of directory.org.units) {
    const prefix = `board-weekly:${unit.id}:${week}`;
    if (await ctx.store.repos.outbox.existsWithPrefix(prefix)) continue;
    const report = await loadReport({ unitId: unit.id, week });
    const png = await svgToPng(await renderSvg(timesChartSpec(report, `${unit.name}: time to act, week of ${week}`)));
    const link = `${settings.baseUrl}/board/reports?unit=${encodeURIComponent(unit.id)}&week=${week}`;
    const message = weeklyMessage({ report, unitName: unit.name, png, link });
    const result = await ctx.store.transaction((repos) =>
      enqueueMessage({ repos, directory, reach: ctx.reach, item: null, dedupePrefix: prefix, recipient: { personIds: [unit.manager] }, intent: () => ({ kind: 'static', message }), now }),
    );
    written += result.enqueued;
  }
  if (written > 0) ctx.onCommitted?.({ outbox: true, deadlines: false });
  ctx.logger.info({ component: 'board', written, week }, 'weekly pictures written');
  return { written };
};
