import type { ReachProvider } from '../delivery/reach.js';

/**
 * Teams reaches a person with an Entra object id once the bot holds a conversation with them (the app installed,
 * or a first message) or, with proactive installation on (MICROSOFT_APP_CATALOG_ID), by installing the app for
 * them at send time (teams-sender.ts). A unit's Teams channel is posted to once the app is installed in its team;
 * until then its posts wait and `channelProblem` names it.
 */
export const createTeamsReach = (options: { proactiveInstall: boolean }): ReachProvider => ({
  platform: 'teams',
  person: async ({ personId, entry, repos, teamsReachable }) => {
    const aad = entry.teams?.toLowerCase();
    if (!aad) return null;
    const reachable = options.proactiveInstall || (teamsReachable ? teamsReachable.has(aad) : Boolean(await repos.teams.reference(aad)));
    return reachable ? { platform: 'teams', kind: 'user', id: aad, personId } : null;
  },
  unitChannel: (unit) => (unit.channel.teams ? { platform: 'teams', kind: 'channel', id: unit.channel.teams } : null),
  channelProblem: async ({ unit, repos }) => {
    const channel = unit.channel.teams;
    if (!channel || (await repos.teamsChannels.installed([channel])).has(channel)) return null;
    return `Teams channel ${channel} (${unit.name}): the app is not installed in its team; its posts wait until it is`;
  },
});

/** Teams reach without proactive installation (today's default). */
export const teamsReach: ReachProvider = createTeamsReach({ proactiveInstall: false });
