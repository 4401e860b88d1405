import type { OrgPerson } from '../config/org.schema.js';
import type { Repositories } from '../db/store.js';
import type { ReachProvider } from '../delivery/reach.js';
import type { Recipient } from '../domain/workflow.types.js';
import type { Target } from './chat-message.js';
import type { Directory } from './directory.js';
import { dutyAt } from './duty-rota.js';

/** Today's duty officers for a unit (dated change > weekly rota > default duty: see duty-rota.ts). */
export const dutyToday = async (args: { repos: Repositories; directory: Directory; unitId: string; now: Date }): Promise<string[]> => (await dutyAt(args)).personIds;

export interface ResolvedRecipient {
  personIds: string[];
  /** A unit whose channel is told (each platform's reach provider knows its address). */
  channelOf?: string;
  /** The duty desk had nobody on it: the unit manager was used instead. */
  uncovered?: boolean;
}

export const resolveRecipient = async (args: { repos: Repositories; directory: Directory; recipient: Recipient; now: Date }): Promise<ResolvedRecipient> => {
  const { recipient, directory } = args;
  if (recipient.kind === 'person') return { personIds: [recipient.personId] };
  const unit = directory.unit(recipient.unitId);
  if (!unit) return { personIds: [] };
  switch (recipient.kind) {
    case 'unitManager':
      return { personIds: [unit.manager] };
    case 'unitSeniorManager':
      return { personIds: [unit.seniorManager ?? unit.manager] };
    case 'unitChannel':
      return { personIds: [], channelOf: unit.id };
    case 'unitDuty': {
      const duty = await dutyToday({ repos: args.repos, directory, unitId: unit.id, now: args.now });
      return duty.length > 0 ? { personIds: duty } : { personIds: [unit.manager], uncovered: true };
    }
  }
};

/**
 * Where a person can be reached: every registered platform that can reach them (Slack if mapped, Teams if mapped
 * and the bot has a conversation with them). Someone no platform reaches is reported, and their message goes to
 * their manager instead.
 */
export const targetsForPerson = async (args: {
  repos: Repositories;
  directory: Directory;
  reach: readonly ReachProvider[];
  personId: string;
  depth?: number;
  /** The Teams ids the bot has a conversation with (repos.teams.reachable()), read once by a batch; else one lookup each. */
  teamsReachable?: ReadonlySet<string>;
}): Promise<{ targets: Target[]; unreachable: string[] }> => {
  const entry = args.directory.person(args.personId);
  const targets: Target[] = [];
  for (const provider of entry ? args.reach : []) {
    const target = await provider.person({ personId: args.personId, entry: entry as OrgPerson, repos: args.repos, teamsReachable: args.teamsReachable });
    if (target) targets.push(target);
  }
  if (targets.length > 0) return { targets, unreachable: [] };
  const manager = args.directory.managerOf(args.personId);
  if (!manager || manager === args.personId || (args.depth ?? 0) >= 2) return { targets: [], unreachable: [args.personId] };
  const fallback = await targetsForPerson({ ...args, personId: manager, depth: (args.depth ?? 0) + 1 });
  return { targets: fallback.targets, unreachable: [args.personId, ...fallback.unreachable] };
};
