import { Gauge, type Registry } from 'prom-client';
import type { OrgUnit } from '../config/org.schema.js';
import type { Store } from '../db/store.js';
import { channelProblems } from '../delivery/channel-reach.js';
import type { ReachProvider } from '../delivery/reach.js';

/**
 * dutydesk_unit_channel_unreachable{unit, platform, channel}: 1 for a configured unit channel the bot cannot post
 * to now (a Teams channel whose team has not installed the app), 0 once it can. Asked of the database on every
 * scrape, so it heals by itself when the install event arrives.
 */
export const registerChannelReachGauge = (args: { registry: Registry; store: Store; reach: readonly ReachProvider[]; units: () => readonly OrgUnit[] }) =>
  new Gauge({
    name: 'dutydesk_unit_channel_unreachable',
    help: 'Configured unit channels the bot cannot post to now (1), e.g. a Teams channel in a team without the app; 0 when reachable',
    labelNames: ['unit', 'platform', 'channel'] as const,
    registers: [args.registry],
    async collect() {
      this.reset();
      const units = args.units();
      const problems = await channelProblems({ reach: args.reach, units, repos: args.store.repos }).catch(() => null);
      if (!problems) return;
      const down = new Set(problems.map((problem) => `${problem.unitId}|${problem.platform}|${problem.channel}`));
      for (const unit of units) {
        for (const provider of args.reach) {
          const channel = provider.channelProblem ? provider.unitChannel(unit) : null;
          if (channel) this.set({ unit: unit.id, platform: provider.platform, channel: channel.id }, down.has(`${unit.id}|${provider.platform}|${channel.id}`) ? 1 : 0);
        }
      }
    },
  });
