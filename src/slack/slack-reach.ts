import type { ReachProvider } from '../delivery/reach.js';

/** Slack reaches anyone with a Slack user id, and a unit's Slack channel. */
export const slackReach: ReachProvider = {
  platform: 'slack',
  person: async ({ personId, entry }) => (entry.slack ? { platform: 'slack', kind: 'user', id: entry.slack, personId } : null),
  unitChannel: (unit) => (unit.channel.slack ? { platform: 'slack', kind: 'channel', id: unit.channel.slack } : null),
};
