// What the bot keeps when it is installed in a team: the team's service URL and its channels, so a unit's
// `channel.teams` can be posted to. Posts that waited for the install go at once; a removal is said in the log
// and the channel is named again (start-up, /metrics, digest) until the app is back.
import type { UseCaseContext } from '../use-cases/context.js';
import type { TeamEventHandlers } from './teams-team-events.js';

export const createTeamChannelHandlers = (args: { ctx: UseCaseContext }): TeamEventHandlers => {
  const { ctx } = args;
  const log = ctx.logger;
  /** The org's units whose Teams channel is among these ids. */
  const unitsOn = (channelIds: ReadonlySet<string>) => ctx.directory.org.units.filter((unit) => unit.channel.teams && channelIds.has(unit.channel.teams));

  const reachable = async (channelIds: Set<string>, why: string) => {
    const now = ctx.clock.now();
    const woken = await ctx.store.repos.teamsChannels.wakeWaitingPosts({ channelIds: [...channelIds], at: now });
    for (const unit of unitsOn(channelIds)) {
      log.info({ component: 'teams', unitId: unit.id, channel: unit.channel.teams, why }, `unit ${unit.id}: Teams channel ${unit.channel.teams} is reachable now`);
    }
    if (woken > 0) ctx.onCommitted?.({ outbox: true, deadlines: false });
  };
  const unreachable = (channelIds: Set<string>, why: string) => {
    for (const unit of unitsOn(channelIds)) {
      log.warn(
        { component: 'teams', unitId: unit.id, channel: unit.channel.teams, why },
        `unit ${unit.id}: Teams channel ${unit.channel.teams} cannot be posted to: the app is not installed in its team`,
      );
    }
  };

  return {
    async onTeamInstalled({ teamId, teamName, serviceUrl, tenantId, channels }) {
      const now = ctx.clock.now();
      await ctx.store.transaction(async (repos) => {
        await repos.teamsChannels.saveTeam({ teamId, name: teamName, serviceUrl, tenantId, channels, at: now });
        await repos.records.audit({ at: now, actorId: null, event: 'teams.team_installed', details: { teamId, channels: channels.length } });
      });
      log.info({ component: 'teams', teamId, channels: channels.length }, 'teams: app installed in a team');
      await reachable(new Set([teamId, ...channels.map((channel) => channel.id)]), 'team installed');
    },
    async onTeamRemoved({ teamId }) {
      const configured = ctx.directory.org.units.flatMap((unit) => (unit.channel.teams ? [unit.channel.teams] : []));
      const lost = new Set<string>();
      const now = ctx.clock.now();
      await ctx.store.transaction(async (repos) => {
        for (const channel of configured) if ((await repos.teamsChannels.place(channel))?.teamId === teamId) lost.add(channel);
        await repos.teamsChannels.removeTeam(teamId);
        await repos.records.audit({ at: now, actorId: null, event: 'teams.team_removed', details: { teamId } });
      });
      log.warn({ component: 'teams', teamId }, 'teams: app removed from a team');
      unreachable(lost, 'team removed');
    },
    async onChannelAdded({ teamId, channel }) {
      const added = await ctx.store.repos.teamsChannels.addChannel({ teamId, channelId: channel.id, name: channel.name, at: ctx.clock.now() });
      if (added) await reachable(new Set([channel.id]), 'channel created');
    },
    async onChannelRemoved({ teamId, channelId }) {
      await ctx.store.repos.teamsChannels.removeChannel({ teamId, channelId });
      unreachable(new Set([channelId]), 'channel deleted');
    },
  };
};
