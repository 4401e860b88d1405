import cron, { type ScheduledTask } from 'node-cron';
import { atLocalTime, isWorkingDay, isWorkingTime, localDate } from '../domain/time/working-time.js';
import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { sweepDeadlines } from './deadline-sweeper.js';
import { rotaTick } from '../use-cases/rota-tick.js';
import { runDigests } from './digest.service.js';

/** setTimeout's ceiling is ~24.8 days; the timer is re-armed after every sweep anyway. */
const MAX_TIMER_MS = 60 * 60_000;

/** The first time of day the digest cron fires ("HH:MM"), or null when the expression has no fixed time. */
export const digestTimeOfDay = (expression: string): string | null => {
  try {
    const fields = cron.parse(expression);
    const hour = Math.min(...fields.hour);
    const minute = Math.min(...fields.minute);
    if (!Number.isFinite(hour) || !Number.isFinite(minute)) return null;
    return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  } catch {
    return null;
  }
};

/**
 * The chase's triggers. Correctness lives in PostgreSQL (deadline rows, outbox keys); this only decides when to
 * look: a node-cron sweep as the safety net, one punctual timer per process armed at the earliest next check,
 * and the digest cron in the organisation's time zone (plus a catch-up at start for a bot that was down at 09:00).
 */
export const createChaseScheduler = (args: { ctx: UseCaseContext; sweepCron: string; digestCron: string; metrics: Metrics }) => {
  const { ctx, metrics } = args;
  const { logger } = ctx;
  let started = false;
  let tasks: ScheduledTask[] = [];
  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<{ reminders: number }> | null = null;
  let sweepAgain = false;
  /** Deadlines the last sweep claimed: 0 with a check still due means another replica holds them. */
  let lastClaimed = -1;
  let lastSweepAt: Date | null = null;
  /** Each arm() call takes a number; only the latest may set the timer (an older read may be stale). */
  let armGeneration = 0;

  const clearTimer = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };

  /** Arm the one punctual timer at the earliest next check of any open deadline. */
  const arm = async () => {
    if (!started) return;
    const generation = ++armGeneration;
    const next = await ctx.store.repos.deadlines.nextCheckAt();
    if (!started || generation !== armGeneration) return;
    clearTimer();
    if (!next) return;
    let wait = Math.min(MAX_TIMER_MS, Math.max(0, next.getTime() - ctx.clock.now().getTime()));
    // Already due at the last sweep, yet that sweep claimed nothing: another replica holds it. Look again in a
    // second rather than spin.
    if (wait === 0 && lastClaimed === 0 && lastSweepAt && next.getTime() <= lastSweepAt.getTime()) wait = 1_000;
    timer = setTimeout(() => {
      timer = null;
      // A timer may fire a hair early by the wall clock: then wait out the remainder.
      if (ctx.clock.now().getTime() < next.getTime() && wait < MAX_TIMER_MS) return rearm();
      void scheduler.sweepOnce().catch((error: unknown) => logger.error({ code: codeOf(error) }, 'timed sweep failed'));
    }, wait);
    timer.unref?.();
  };

  const rearm = () => {
    if (!started) return;
    void arm().catch((error: unknown) => logger.error({ code: codeOf(error) }, 'could not arm the chase timer'));
  };

  const runSweep = async (): Promise<{ reminders: number }> => {
    let reminders = 0;
    do {
      sweepAgain = false;
      lastSweepAt = ctx.clock.now();
      await rotaTick({ ctx }); // duty desks follow the rota at the day's turn; handover meetings an hour ahead
      const result = await sweepDeadlines({ ctx, metrics });
      reminders += result.reminders;
      lastClaimed = result.deadlines;
    } while (sweepAgain);
    metrics.ops.sweepFinished(ctx.clock.now());
    return { reminders };
  };

  const catchUpDigest = async () => {
    const time = digestTimeOfDay(args.digestCron);
    const now = ctx.clock.now();
    const { calendar } = ctx.directory;
    if (!time || !isWorkingDay({ calendar, at: now })) return;
    const digestAt = atLocalTime({ timeZone: ctx.directory.org.timezone, date: localDate({ calendar, at: now }), time });
    // Catch up only within the same working day: a bot started in the evening does not post the morning digest.
    if (now.getTime() >= digestAt.getTime() && isWorkingTime({ calendar, at: now })) await scheduler.digestOnce();
  };

  const scheduler = {
    /** Sweep now; concurrent calls in one process share one sweep (and trigger one more pass). */
    async sweepOnce(): Promise<{ reminders: number }> {
      if (sweeping) {
        sweepAgain = true;
        return sweeping;
      }
      sweeping = runSweep();
      try {
        return await sweeping;
      } finally {
        sweeping = null;
        rearm();
      }
    },
    async digestOnce(options?: { force?: boolean }): Promise<{ digests: number }> {
      return runDigests({ ctx, force: options?.force });
    },
    /** Start the crons and the timer; the returned promise settles when the start-up sweep and catch-up are done. */
    start(): Promise<void> {
      if (started) return Promise.resolve();
      started = true;
      const onError = (what: string) => (error: unknown) => logger.error({ code: codeOf(error) }, `${what} failed`);
      tasks = [
        cron.schedule(args.sweepCron, () => scheduler.sweepOnce().catch(onError('sweep')), { name: 'dutydesk-sweep', noOverlap: true }),
        cron.schedule(args.digestCron, () => scheduler.digestOnce().catch(onError('digest')), {
          name: 'dutydesk-digest',
          timezone: ctx.directory.org.timezone,
          noOverlap: true,
        }),
      ];
      // What fell due while the bot was down goes out now; today's digest too if 09:00 has passed.
      return Promise.all([scheduler.sweepOnce().catch(onError('start-up sweep')), catchUpDigest().catch(onError('catch-up digest'))]).then(() => undefined);
    },
    rearm,
    /** Stop the triggers; the promise settles when a sweep already running has committed (its row locks released). */
    stop(): Promise<void> {
      started = false;
      clearTimer();
      for (const task of tasks) void task.destroy();
      tasks = [];
      return (sweeping ?? Promise.resolve()).then(
        () => undefined,
        () => undefined,
      );
    },
  };
  return scheduler;
};

const codeOf = (error: unknown) => (error as { code?: unknown })?.code ?? (error instanceof Error ? error.name : 'unknown');
