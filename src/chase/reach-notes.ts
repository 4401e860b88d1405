import type { OrgUnit } from '../config/org.schema.js';
import type { Repositories } from '../db/store.js';
import { INSTALL_REFUSED_EVENT, channelProblems } from '../delivery/channel-reach.js';
import type { UseCaseContext } from '../use-cases/context.js';
import type { DigestNotes } from '../use-cases/digest-messages.js';

const DAY_MS = 86_400_000;

type ReachNotes = Pick<DigestNotes, 'channelsNotReached' | 'teamsInstallRefused'>;

/**
 * The digest's reach notes for every unit of a run: its channels the bot cannot post to now, and its people the
 * Teams app could not be installed for since the unit's previous digest. The refusals are read once per run.
 */
export const reachNotes = async (args: { ctx: UseCaseContext; repos: Repositories; units: readonly OrgUnit[]; lastRun: ReadonlyMap<string, Date>; now: Date }): Promise<Map<string, ReachNotes>> => {
  const { ctx, repos, now } = args;
  const problems = await channelProblems({ reach: ctx.reach, units: args.units, repos });
  const refusals = await repos.records.auditEventsSince({ event: INSTALL_REFUSED_EVENT, since: new Date(now.getTime() - 7 * DAY_MS) });
  const notes = new Map<string, ReachNotes>();
  for (const unit of args.units) {
    const since = args.lastRun.get(unit.id) ?? new Date(now.getTime() - DAY_MS);
    const people = new Set([unit.manager, ...unit.members, ...unit.duty]);
    const refused = new Set<string>();
    for (const event of refusals) {
      if (event.at.getTime() < since.getTime()) continue;
      for (const id of (event.details.people as string[] | undefined) ?? []) if (people.has(id)) refused.add(ctx.directory.nameOf(id));
    }
    const channels = problems.filter((problem) => problem.unitId === unit.id).map((problem) => problem.problem);
    notes.set(unit.id, { channelsNotReached: channels, teamsInstallRefused: [...refused] });
  }
  return notes;
};
