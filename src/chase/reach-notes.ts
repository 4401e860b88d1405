import type { OrgUnit } from '../config/org.schema.js';
import type { Repositories } from '../db/store.js';
import { INSTALL_REFUSED_EVENT, channelProblems } from '../delivery/channel-reach.js';
import type { DigestNotes } from '../use-cases/digest-messages.js';
import type { UseCaseContext } from '../use-cases/context.js';

const DAY_MS = 86_400_000;

/**
 * The digest's reach notes for one unit: its channels the bot cannot post to now, and its people the Teams app
 * could not be installed for since the unit's previous digest.
 */
export const reachNotes = async (args: {
  ctx: UseCaseContext;
  repos: Repositories;
  unit: OrgUnit;
  now: Date;
  today: string;
}): Promise<Pick<DigestNotes, 'channelsNotReached' | 'teamsInstallRefused'>> => {
  const { ctx, repos, unit, now } = args;
  const channels = await channelProblems({ reach: ctx.reach, units: [unit], repos });
  const since = (await repos.digestRuns.lastBefore({ unitId: unit.id, day: args.today })) ?? new Date(now.getTime() - DAY_MS);
  const people = new Set([unit.manager, ...unit.members, ...unit.duty]);
  const refused = new Set<string>();
  for (const event of await repos.records.auditEvents(INSTALL_REFUSED_EVENT)) {
    if (event.at.getTime() < since.getTime()) continue;
    for (const id of (event.details.people as string[] | undefined) ?? []) if (people.has(id)) refused.add(ctx.directory.nameOf(id));
  }
  return { channelsNotReached: channels.map((problem) => problem.problem), teamsInstallRefused: [...refused] };
};
