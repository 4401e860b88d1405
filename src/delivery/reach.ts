import type { OrgPerson, OrgUnit } from '../config/org.schema.js';
import type { Repositories } from '../db/store.js';
import type { Target } from '../use-cases/chat-message.js';

/**
 * How one platform reaches people and unit channels. Each adapter brings one (src/slack/slack-reach.ts,
 * src/teams/teams-reach.ts) and the app registers them at composition; delivery routing asks every provider and
 * knows no platform itself.
 */
export interface ReachProvider {
  platform: Target['platform'];
  /** This person's address on the platform, or null when the platform cannot reach them. */
  person(args: { personId: string; entry: OrgPerson; repos: Repositories; teamsReachable?: ReadonlySet<string> }): Promise<Target | null>;
  /** The unit's channel on the platform, or null. */
  unitChannel(unit: OrgUnit): Target | null;
  /** Org settings this platform accepts but cannot deliver to yet (said once at start, never silently ignored). */
  unsupported?(unit: OrgUnit): string | null;
  /**
   * Why the unit's channel on this platform cannot be posted to right now (e.g. the app is not installed in its
   * team), else null. Its posts wait; start-up, /metrics and the digest name the channel (src/delivery/channel-reach.ts).
   */
  channelProblem?(args: { unit: OrgUnit; repos: Repositories }): Promise<string | null>;
}

/** Tell once, at start, about org settings no registered provider delivers to. */
export const reachWarnings = (args: { reach: readonly ReachProvider[]; units: readonly OrgUnit[] }): string[] =>
  args.units.flatMap((unit) => args.reach.map((provider) => provider.unsupported?.(unit) ?? null).filter((line): line is string => line !== null));
