import type { Repositories } from '../db/store.js';
import type { ReachProvider } from '../delivery/reach.js';
import { addDays } from '../domain/duty-rota.js';
import { localDate } from '../domain/time/working-time.js';
import { words } from '../words/catalogue.js';
import type { UseCaseContext } from './context.js';
import type { Directory } from './directory.js';
import { dutyOn } from './duty-rota.js';
import { moveRequest } from './pass-request.js';
import type { WorkflowRegistry } from './workflows/workflow-module.js';

/**
 * When a unit's duty officer changes, the requests its duty desk owes (an escalation to accept, a referral to
 * assess) go to the new officer at once: a DM with the buttons, and the previous officer's messages about those
 * items are refreshed without buttons, with a line saying to whom it passed. Each hand-over is recorded once by
 * its cause (`key`), in the caller's transaction, so a second replica or a restart moves nothing twice.
 */

/** An empty desk is covered by the unit manager (as every duty message is). */
const covering = (directory: Directory, unitId: string, ids: readonly string[]) => (ids.length > 0 ? [...ids] : [directory.unit(unitId)?.manager].filter((id): id is string => Boolean(id)));

export const handOverDuty = async (args: {
  repos: Repositories;
  directory: Directory;
  workflows: WorkflowRegistry;
  reach: readonly ReachProvider[];
  unitId: string;
  onDate: string;
  /** Who was on duty (as set; an empty desk is covered by the manager) and who is now. */
  from: readonly string[];
  to: readonly string[];
  key: string;
  actorId: string | null;
  now: Date;
}): Promise<{ moved: number }> => {
  const { repos, directory, unitId, now } = args;
  const from = covering(directory, unitId, args.from);
  const to = covering(directory, unitId, args.to);
  if (!(await repos.duty.recordHandover({ key: args.key, unitId, onDate: args.onDate, fromIds: from, toIds: to, at: now }))) return { moved: 0 };
  const newcomers = to.filter((id) => !from.includes(id));
  const leavers = from.filter((id) => !to.includes(id));
  if (newcomers.length === 0 && leavers.length === 0) return { moved: 0 };
  const owed = await repos.duty.openOwedByDuty({ unitId });
  const seen = new Set<string>();
  let moved = 0;
  const notice = words('rota.passed_to', { people: to.map((id) => directory.nameOf(id)).join(', '), unit: directory.unit(unitId)?.name ?? unitId });
  for (const deadline of owed) {
    const itemKey = `${deadline.itemType}:${deadline.itemId}`;
    if (seen.has(itemKey)) continue;
    seen.add(itemKey);
    const passed = await moveRequest({
      deps: { directory, workflows: args.workflows, reach: args.reach },
      repos,
      deadline,
      to: newcomers,
      leaving: leavers,
      dedupe: () => `duty-handover:${args.key}:${itemKey}`,
      fromLine: notice,
      now,
    });
    if (!passed) continue;
    await repos.records.audit({
      at: now,
      actorId: args.actorId,
      event: 'duty.handed_over',
      itemType: deadline.itemType,
      itemId: passed.itemId,
      crn: passed.crn,
      details: { unitId, onDate: args.onDate, from, to, cause: args.key },
    });
    moved += 1;
  }
  return { moved };
};

/**
 * The day has turned: if today's duty for a unit (rota, default or a change set ahead) names someone other
 * than yesterday's, hand the desk over. Safe to call on every tick: recorded once per unit and day.
 */
export const turnDutyDay = async (args: { ctx: UseCaseContext; unitId: string; now: Date }): Promise<{ moved: number }> => {
  const { ctx, unitId, now } = args;
  const { directory } = ctx;
  const today = localDate({ calendar: directory.calendar, at: now });
  const key = `day:${unitId}:${today}`;
  if (await ctx.store.repos.duty.handoverRecorded({ key })) return { moved: 0 };
  const result = await ctx.store.transaction(async (repos) => {
    const yesterday = await dutyOn({ repos, directory, unitId, date: addDays(today, -1) });
    const current = await dutyOn({ repos, directory, unitId, date: today });
    return handOverDuty({ repos, directory, workflows: ctx.workflows, reach: ctx.reach, unitId, onDate: today, from: yesterday.personIds, to: current.personIds, key, actorId: null, now });
  });
  if (result.moved > 0) {
    ctx.logger.info({ event: 'duty.handed_over', unitId, cause: 'day', items: result.moved }, 'duty.handed_over');
    ctx.onCommitted?.({ outbox: true, deadlines: false });
  }
  return result;
};

/** Every unit's day turn, for the scheduler's tick. */
export const turnDutyDays = async (args: { ctx: UseCaseContext }): Promise<number> => {
  const now = args.ctx.clock.now();
  let moved = 0;
  for (const unit of args.ctx.directory.org.units) moved += (await turnDutyDay({ ctx: args.ctx, unitId: unit.id, now })).moved;
  return moved;
};
