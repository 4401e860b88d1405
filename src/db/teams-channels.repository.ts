import { and, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { outbox, teamsChannels, teamsConversations, teamsTeams } from './schema.js';

export interface TeamsChannelPlace {
  channelId: string;
  teamId: string;
  serviceUrl: string;
  tenantId: string | null;
}

/** The teams the app is installed in and their channels: where a unit's Teams channel posts are sent. */
export const createTeamsChannelsRepository = (db: Executor) => ({
  /** The install event: the team, its service URL and its channels (the General channel is the team id itself). */
  async saveTeam(args: { teamId: string; name: string | null; serviceUrl: string; tenantId: string | null; channels: { id: string; name: string | null }[]; at: Date }): Promise<void> {
    await db
      .insert(teamsTeams)
      .values({ teamId: args.teamId, name: args.name, serviceUrl: args.serviceUrl, tenantId: args.tenantId, installedAt: args.at, updatedAt: args.at })
      .onConflictDoUpdate({ target: teamsTeams.teamId, set: { name: args.name, serviceUrl: args.serviceUrl, tenantId: args.tenantId, updatedAt: args.at } });
    const channels = [...new Map([{ id: args.teamId, name: null }, ...args.channels].map((channel) => [channel.id, channel])).values()];
    // A channel deleted while the bot was away is not in the list any more: it is not one of this team's now.
    await db.delete(teamsChannels).where(
      and(
        eq(teamsChannels.teamId, args.teamId),
        notInArray(
          teamsChannels.channelId,
          channels.map((channel) => channel.id),
        ),
      ),
    );
    for (const channel of channels) {
      await db
        .insert(teamsChannels)
        .values({ channelId: channel.id, teamId: args.teamId, name: channel.name, updatedAt: args.at })
        .onConflictDoUpdate({ target: teamsChannels.channelId, set: { teamId: args.teamId, name: channel.name, updatedAt: args.at } });
    }
  },
  /** A channel created (or restored) in an installed team; nothing when the team is not known. */
  async addChannel(args: { teamId: string; channelId: string; name: string | null; at: Date }): Promise<boolean> {
    const [team] = await db.select({ teamId: teamsTeams.teamId }).from(teamsTeams).where(eq(teamsTeams.teamId, args.teamId));
    if (!team) return false;
    await db
      .insert(teamsChannels)
      .values({ channelId: args.channelId, teamId: args.teamId, name: args.name, updatedAt: args.at })
      .onConflictDoUpdate({ target: teamsChannels.channelId, set: { teamId: args.teamId, name: args.name, updatedAt: args.at } });
    return true;
  },
  async removeChannel(args: { teamId: string; channelId: string }): Promise<void> {
    await db.delete(teamsChannels).where(and(eq(teamsChannels.teamId, args.teamId), eq(teamsChannels.channelId, args.channelId)));
  },
  /** The app was removed from the team: its channels go with it (cascade). */
  async removeTeam(teamId: string): Promise<void> {
    await db.delete(teamsTeams).where(eq(teamsTeams.teamId, teamId));
  },
  async place(channelId: string): Promise<TeamsChannelPlace | undefined> {
    const [row] = await db
      .select({ channelId: teamsChannels.channelId, teamId: teamsTeams.teamId, serviceUrl: teamsTeams.serviceUrl, tenantId: teamsTeams.tenantId })
      .from(teamsChannels)
      .innerJoin(teamsTeams, eq(teamsChannels.teamId, teamsTeams.teamId))
      .where(eq(teamsChannels.channelId, channelId));
    return row;
  },
  /** Which of these channel ids the bot can post to. */
  async installed(channelIds: readonly string[]): Promise<Set<string>> {
    if (channelIds.length === 0) return new Set();
    const rows = await db
      .select({ id: teamsChannels.channelId })
      .from(teamsChannels)
      .where(inArray(teamsChannels.channelId, [...channelIds]));
    return new Set(rows.map((row) => row.id));
  },
  /** Posts that waited for the install are due now. */
  async wakeWaitingPosts(args: { channelIds: readonly string[]; at: Date }): Promise<number> {
    if (args.channelIds.length === 0) return 0;
    const woken = await db
      .update(outbox)
      .set({ nextAttemptAt: args.at })
      .where(and(eq(outbox.status, 'pending'), eq(outbox.platform, 'teams'), sql`${outbox.target}->>'kind' = 'channel'`, inArray(sql`${outbox.target}->>'id'`, [...args.channelIds])))
      .returning({ id: outbox.id });
    return woken.length;
  },
  /** A connector this tenant's conversations are on (latest team install, else latest personal conversation). */
  async knownConnector(): Promise<{ serviceUrl: string; tenantId: string | null } | null> {
    const [team] = await db.select({ serviceUrl: teamsTeams.serviceUrl, tenantId: teamsTeams.tenantId }).from(teamsTeams).orderBy(desc(teamsTeams.updatedAt)).limit(1);
    if (team) return team;
    const [row] = await db.select({ reference: teamsConversations.reference }).from(teamsConversations).orderBy(desc(teamsConversations.updatedAt)).limit(1);
    const reference = row?.reference as { serviceUrl?: unknown; conversation?: { tenantId?: unknown } } | undefined;
    if (typeof reference?.serviceUrl !== 'string') return null;
    return { serviceUrl: reference.serviceUrl, tenantId: typeof reference.conversation?.tenantId === 'string' ? reference.conversation.tenantId : null };
  },
});
