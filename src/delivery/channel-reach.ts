import type { OrgUnit } from '../config/org.schema.js';
import type { Repositories } from '../db/store.js';
import type { ReachProvider } from './reach.js';

/** The audit event of a person the Teams app could not be installed for (read by the digest's notes). */
export const INSTALL_REFUSED_EVENT = 'teams.install_refused';

export interface ChannelProblem {
  unitId: string;
  platform: ReachProvider['platform'];
  channel: string;
  /** One line naming the channel and what is wrong (no case content). */
  problem: string;
}

/**
 * Configured unit channels a platform cannot post to now (a Teams channel whose team has not installed the app).
 * Read at start-up, on every /metrics scrape and in each digest, so a missing install is named, never skipped,
 * and the line goes away by itself once the install arrives.
 */
export const channelProblems = async (args: { reach: readonly ReachProvider[]; units: readonly OrgUnit[]; repos: Repositories }): Promise<ChannelProblem[]> => {
  const found: ChannelProblem[] = [];
  for (const unit of args.units) {
    for (const provider of args.reach) {
      const problem = await provider.channelProblem?.({ unit, repos: args.repos });
      const channel = provider.unitChannel(unit);
      if (problem && channel) found.push({ unitId: unit.id, platform: provider.platform, channel: channel.id, problem });
    }
  }
  return found;
};
