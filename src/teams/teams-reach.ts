import type { ReachProvider } from '../delivery/reach.js';

/**
 * Teams reaches a person with an Entra object id once the bot holds a conversation with them (the app installed,
 * or a first message). Unit channels on Teams are not delivered yet: the org file may name one, and start-up says so.
 */
export const teamsReach: ReachProvider = {
  platform: 'teams',
  person: async ({ personId, entry, repos, teamsReachable }) => {
    const aad = entry.teams?.toLowerCase();
    if (!aad) return null;
    const reachable = teamsReachable ? teamsReachable.has(aad) : Boolean(await repos.teams.reference(aad));
    return reachable ? { platform: 'teams', kind: 'user', id: aad, personId } : null;
  },
  unitChannel: () => null,
  unsupported: (unit) => (unit.channel.teams ? `unit ${unit.id}: channel.teams is set, but Teams channel messages are not delivered yet (its people still get their DMs)` : null),
};
