import { sub } from 'date-fns';
import cron, { type ScheduledTask } from 'node-cron';
import { RETENTION_MARKER } from '../db/retention.repository.js';
import type { UseCaseContext } from '../use-cases/context.js';

const BATCH = 100;

/** The cut-off: items closed before this have their narrative removed. */
export const retentionCutoff = (args: { now: Date; period: { years: number; months: number; weeks: number; days: number } }): Date =>
  sub(args.now, { years: args.period.years, months: args.period.months, weeks: args.period.weeks, days: args.period.days });

/**
 * Apply the org file's `retention`: for each item closed longer ago than the period, replace its narrative with
 * "[removed after retention]" and audit `retention.applied`. One transaction per batch; replicas share the work
 * (SKIP LOCKED) and an item already done is never claimed again. Teams file offers left unanswered for a day are
 * dropped too. Returns how many items were done.
 */
export const applyRetention = async (args: { ctx: Pick<UseCaseContext, 'store' | 'clock' | 'directory' | 'logger'> }): Promise<number> => {
  const { ctx } = args;
  const now = ctx.clock.now();
  const period = ctx.directory.org.retention;
  const closedBefore = retentionCutoff({ now, period });
  let done = 0;
  for (;;) {
    const count = await ctx.store.transaction(async (repos) => {
      const items = await repos.retention.claimExpired({ closedBefore, limit: BATCH });
      const audits = [];
      for (const item of items) {
        const removed = await repos.retention.removeNarrative(item);
        audits.push({
          at: now,
          actorId: null,
          event: 'retention.applied',
          itemType: item.itemType,
          itemId: item.itemId,
          crn: item.crn,
          details: {
            period: period.text,
            closedAt: item.closedAt.toISOString(),
            removed: [item.itemType === 'escalation' ? 'summary' : 'notes', 'rationales', 'sent message text'],
            rationales: removed.rationales,
            messages: removed.messages,
            replacedWith: RETENTION_MARKER,
          },
        });
      }
      await repos.records.auditMany(audits);
      return items.length;
    });
    done += count;
    if (count < BATCH) break;
  }
  if (done > 0) ctx.logger.info({ items: done, period: period.text, closedBefore: closedBefore.toISOString() }, 'retention applied');
  // Teams file offers nobody answered hold a case export's bytes: they go daily too, not only when a new offer is made.
  const offers = await ctx.store.repos.teamsFileOffers.dropStale(now);
  if (offers > 0) ctx.logger.info({ offers }, 'stale file offers dropped');
  return done;
};

/** The daily trigger (RETENTION_CRON); every replica may run it. */
export const scheduleRetention = (args: { ctx: Parameters<typeof applyRetention>[0]['ctx']; cronExpression: string }) => {
  let task: ScheduledTask | null = null;
  return {
    start() {
      task ??= cron.schedule(
        args.cronExpression,
        () =>
          applyRetention({ ctx: args.ctx }).catch((error: unknown) =>
            args.ctx.logger.error({ code: (error as { code?: string }).code ?? (error instanceof Error ? error.name : 'unknown') }, 'retention failed'),
          ),
        { name: 'dutydesk-retention', noOverlap: true, timezone: args.ctx.directory.org.timezone },
      );
    },
    stop() {
      void task?.destroy();
      task = null;
    },
  };
};
