// Posting to a Teams channel: a new thread through the connector's create-conversation for that channel (the way
// Teams starts a channel conversation), and later updates of that post in place. Knows nothing about workflows.
import type { CloudAdapter } from '@microsoft/agents-hosting';
import { TeamsDeliveryError, connectorFailure } from './teams-proactive.js';
import { toActivity } from './teams-routes.js';
import type { TeamsOutgoing } from './teams-endpoint.js';

const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

export interface ChannelPost {
  /** The thread's conversation id (`<channel id>;messageid=<activity id>`): where updates go. */
  conversationId: string;
  activityId: string;
}

export interface ChannelPoster {
  postToChannel(args: { serviceUrl: string; tenantId: string | null; channelId: string; message: TeamsOutgoing }): Promise<ChannelPost>;
  /** A reference for updating a post in its thread (teams-proactive's updateProactive takes it). */
  threadReference(args: { serviceUrl: string; tenantId: string | null; conversationId: string }): Record<string, unknown>;
}

/** Teams names a channel thread `<channel>;messageid=<root activity id>`: the root post's id is in the name. */
export const rootActivityOf = (conversationId: string): string | null => /;messageid=([^;]+)$/.exec(conversationId)?.[1] ?? null;
export const channelOfThread = (conversationId: string): string => conversationId.split(';')[0] ?? conversationId;

export function createChannelPoster(args: { adapter: CloudAdapter | null; appId: string; botName?: string }): ChannelPoster {
  const agent = { id: `28:${args.appId}`, name: args.botName };
  return {
    async postToChannel({ serviceUrl, tenantId, channelId, message }) {
      if (!args.adapter) throw new TeamsDeliveryError('Teams is off (no MICROSOFT_APP_ID and TEAMS_EMULATOR not set)');
      let conversationId: string | undefined;
      try {
        await args.adapter.createConversationAsync(
          args.appId,
          'msteams',
          serviceUrl,
          BOT_FRAMEWORK_SCOPE,
          {
            isGroup: true,
            agent,
            ...(tenantId ? { tenantId } : {}),
            channelData: { channel: { id: channelId }, ...(tenantId ? { tenant: { id: tenantId } } : {}) },
            activity: toActivity(message),
          },
          async (context) => {
            conversationId = context.activity.conversation?.id;
          },
        );
      } catch (error) {
        throw connectorFailure(error);
      }
      const activityId = conversationId ? rootActivityOf(conversationId) : null;
      if (!conversationId) throw new TeamsDeliveryError('the connector created no channel conversation');
      // Posted either way; without the root id the post simply cannot be refreshed later.
      return { conversationId, activityId: activityId ?? '' };
    },
    threadReference({ serviceUrl, tenantId, conversationId }) {
      return {
        serviceUrl,
        channelId: 'msteams',
        agent,
        user: agent,
        conversation: { id: conversationId, isGroup: true, conversationType: 'channel', ...(tenantId ? { tenantId } : {}) },
      };
    },
  };
}
