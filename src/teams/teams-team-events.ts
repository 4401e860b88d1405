// Team-scope conversationUpdate activities → the channel handlers: the app installed in (or removed from) a team,
// and channels created, restored, renamed or deleted there. Translation only; what is stored is decided by the
// handlers (teams-channel-install.ts).
import type { AgentApplication, CloudAdapter, ConnectorClient, TurnContext, TurnState } from '@microsoft/agents-hosting';
import { ActivityTypes } from '@microsoft/agents-activity';
import { z } from 'zod';
import type { TeamsLogger } from './teams-endpoint.js';
import { errorSummary } from './teams-routes.js';

export interface TeamChannel {
  id: string;
  name: string | null;
}

export interface TeamEventHandlers {
  onTeamInstalled(args: { teamId: string; teamName: string | null; serviceUrl: string; tenantId: string | null; channels: TeamChannel[] }): Promise<void>;
  onTeamRemoved(args: { teamId: string }): Promise<void>;
  onChannelAdded(args: { teamId: string; channel: TeamChannel }): Promise<void>;
  onChannelRemoved(args: { teamId: string; channelId: string }): Promise<void>;
}

const teamData = z.object({
  eventType: z.string().optional(),
  team: z.object({ id: z.string().min(1), name: z.string().nullish() }),
  channel: z.object({ id: z.string().min(1), name: z.string().nullish() }).optional(),
  tenant: z.object({ id: z.string() }).optional(),
});

/** The connector's channel list of a team (`GET /v3/teams/{teamId}/conversations`). */
const channelList = z.object({ conversations: z.array(z.object({ id: z.string().min(1), name: z.string().nullish() })) });

const teamEventOf = (context: TurnContext) => (context.activity.type === ActivityTypes.ConversationUpdate ? teamData.safeParse(context.activity.channelData) : null);

export function registerTeamRoutes(args: { app: AgentApplication<TurnState>; adapter: CloudAdapter; handlers: TeamEventHandlers; log: TeamsLogger }): void {
  const { app, adapter, handlers, log } = args;

  /** Every channel of the team, asked of the connector with this turn's client; the General channel alone if that fails. */
  const channelsOf = async (context: TurnContext, teamId: string): Promise<TeamChannel[]> => {
    try {
      const client = context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
      const response = await client.httpClient.get(`/v3/teams/${encodeURIComponent(teamId)}/conversations`);
      const parsed = channelList.safeParse(response.data);
      if (parsed.success) return parsed.data.conversations.map((channel) => ({ id: channel.id, name: channel.name ?? null }));
      log.warn({ component: 'teams', code: 'team.channels_malformed' }, 'teams: the team channel list was not understood; only its General channel is known');
    } catch (error) {
      log.warn({ component: 'teams', code: 'team.channels_unavailable', err: errorSummary(error) }, 'teams: could not list the team channels; only its General channel is known');
    }
    return [{ id: teamId, name: null }];
  };

  app.onActivity(
    async (context) => teamEventOf(context)?.success === true,
    async (context) => {
      const event = teamEventOf(context);
      if (!event?.success) return;
      const { team, channel, eventType, tenant } = event.data;
      const activity = context.activity;
      const botId = activity.recipient?.id;
      const added = Boolean(botId) && (activity.membersAdded ?? []).some((member) => member.id === botId);
      const removed = Boolean(botId) && (activity.membersRemoved ?? []).some((member) => member.id === botId);
      if (added && activity.serviceUrl) {
        const channels = await channelsOf(context, team.id);
        await handlers.onTeamInstalled({ teamId: team.id, teamName: team.name ?? null, serviceUrl: activity.serviceUrl, tenantId: tenant?.id ?? activity.conversation?.tenantId ?? null, channels });
      } else if (removed || eventType === 'teamDeleted') {
        await handlers.onTeamRemoved({ teamId: team.id });
      } else if (channel && (eventType === 'channelCreated' || eventType === 'channelRestored' || eventType === 'channelRenamed')) {
        await handlers.onChannelAdded({ teamId: team.id, channel: { id: channel.id, name: channel.name ?? null } });
      } else if (channel && eventType === 'channelDeleted') {
        await handlers.onChannelRemoved({ teamId: team.id, channelId: channel.id });
      }
      // Anything else in a team (people joining, a team renamed) changes nothing the bot posts to.
    },
  );
}
