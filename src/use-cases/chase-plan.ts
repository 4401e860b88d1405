import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { resolveOwners } from '../chase/chase-recipients.js';
import type { DeadlineRow } from '../db/deadlines.repository.js';
import type { Repositories } from '../db/store.js';
import { rungPeople } from '../domain/chase-rungs.js';
import { type Rung, chaseSchedule } from '../domain/reminder-ladder.js';
import type { DeadlineSpec } from '../domain/time/deadline-spec.js';
import type { UseCaseContext } from './context.js';
import { orgViewFor } from './org-view.js';
import { type ChasedItem, mayAnswerDeadline } from './reminder-messages.js';
import { snapshotPolicy } from './reminder-policy.js';
import { dutyUnitsOf, loadItem } from './workflows/workflow-module.js';

/** One rung of the plan: who is asked, from when. */
export interface ChasePlanStep {
  rung: Rung;
  people: string[];
  at: Date;
  repeat?: string;
}

const repeatText = (spec: DeadlineSpec): string => {
  if (spec.kind === 'workingHours') return `${spec.hours} working h`;
  if (spec.kind === 'workingDays') return spec.text;
  const minutes = spec.hours * 60 + spec.minutes + spec.days * 1440 + spec.weeks * 10080;
  if (spec.seconds && minutes === 0) return `${spec.seconds} s`;
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
};

/**
 * Who a deadline's chase will ask, and when, from who can act now (absences and duty as they stand): the same rung
 * choice the sweep makes (domain/chase-rungs.ts) on the same schedule (domain/reminder-ladder.ts chaseSchedule).
 */
export const chasePlanOf = async (args: { ctx: UseCaseContext; repos: Repositories; deadline: DeadlineRow; now: Date }): Promise<ChasePlanStep[]> => {
  const { ctx, repos, deadline, now } = args;
  const { directory, workflows } = ctx;
  const module = workflows.get(deadline.itemType);
  const row = module ? await loadItem(module, repos, deadline.itemId) : undefined;
  if (!module || !row) return [];
  const item = { itemType: deadline.itemType, row } as ChasedItem;
  const org = await orgViewFor({ repos, directory, now, dutyUnits: dutyUnitsOf(module, row) });
  const owed = await resolveOwners({ repos, directory, deadline, now });
  const canAct = (personId: string) => mayAnswerDeadline({ workflows, item, kind: deadline.kind, personId, org });
  const policy = snapshotPolicy({ directory, snapshot: deadline.policy });
  const schedule = chaseSchedule({ dueAt: deadline.dueAt, urgent: deadline.urgent, policy, calendar: directory.calendar });
  return schedule
    .map((step) => ({
      rung: step.rung,
      at: step.at,
      people: rungPeople({ rung: step.rung, owners: owed.personIds, unitId: deadline.unitId, org, canAct }),
      ...(step.rung === 'owner' ? { repeat: repeatText(policy.repeatEvery) } : {}),
    }))
    .filter((step) => step.people.length > 0);
};

/** "Tom Reyes by Wed 17:00, again every 2 h; then Sam Adeyemi from Thu 17:00". */
export const chasePlanText = (args: { ctx: Pick<UseCaseContext, 'directory'>; steps: readonly ChasePlanStep[] }): string => {
  const { directory } = args.ctx;
  const when = (at: Date) => format(new TZDate(at, directory.org.timezone), 'EEE HH:mm');
  return args.steps
    .map((step, index) => {
      const who = step.people.map((id) => directory.nameOf(id)).join(' and ');
      if (index === 0) return `${who} by ${when(step.at)}${step.repeat ? `, again every ${step.repeat}` : ''}`;
      return `then ${who} from ${when(step.at)}`;
    })
    .join('; ');
};

/** The chase plan of an item's open deadline of this kind, in words ('' when there is none). */
export const chasePlanFor = async (args: { ctx: UseCaseContext; itemType: string; itemId: number; kind?: string }): Promise<{ text: string; steps: ChasePlanStep[] }> => {
  const { ctx } = args;
  const repos = ctx.store.repos;
  const open = await repos.deadlines.openForItem({ itemType: args.itemType, itemId: args.itemId });
  const deadline = args.kind ? open.find((entry) => entry.kind === args.kind) : open[0];
  if (!deadline) return { text: '', steps: [] };
  const steps = await chasePlanOf({ ctx, repos, deadline, now: ctx.clock.now() });
  return { text: chasePlanText({ ctx, steps }), steps };
};

/** The timeline's line for an open deadline: "  Chase plan: Tom Reyes by Wed 17:00, …". */
export const chasePlanLine = async (args: { ctx: UseCaseContext; deadline: DeadlineRow }): Promise<string> => {
  const steps = await chasePlanOf({ ctx: args.ctx, repos: args.ctx.store.repos, deadline: args.deadline, now: args.ctx.clock.now() });
  return `    Chase plan: ${chasePlanText({ ctx: args.ctx, steps }) || 'nobody can act on it now'}`;
};
