// The Teams side of the outbox: a ChatMessage becomes an Adaptive Card sent proactively into the person's 1:1
// conversation (stored reference, keyed by Entra object id) or posted as a new thread in a unit's Teams channel;
// updates replace that activity in place. A person without a conversation is reached by proactive installation
// when it is on (teams-install-send.ts).
import { DeliveryError, type ChatSender } from '../delivery/sender.types.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { channelOfThread } from './teams-channel-post.js';
import { messageCard } from './teams-cards.js';
import { type TeamsBot, TeamsDeliveryError } from './teams-endpoint.js';
import type { GraphInstaller } from './teams-graph-install.js';
import { installAndSend } from './teams-install-send.js';

/** A post to a channel whose team has not installed the app waits this long between looks (the install wakes it). */
const NOT_INSTALLED_WAIT_MS = 15 * 60_000;

/** Connector failures → retryable or permanent, as the outbox expects (429/5xx/network retry; 403/404 are final). */
export const toDeliveryError = (error: unknown): DeliveryError => {
  if (error instanceof DeliveryError) return error;
  if (error instanceof TeamsDeliveryError) {
    const status = error.status;
    if (status === 429) {
      return new DeliveryError({ code: 'rate_limited', retryable: true, retryAfterMs: (error.retryAfterSeconds ?? 1) * 1000, message: 'Teams connector: rate limited' });
    }
    if (status === 403) return new DeliveryError({ code: 'bot_blocked', retryable: false, message: 'Teams connector: the user removed or blocked the app' });
    if (status === 404) return new DeliveryError({ code: 'conversation_not_found', retryable: false, message: 'Teams connector: conversation or activity not found' });
    if (status === 400) return new DeliveryError({ code: 'bad_request', retryable: false, message: 'Teams connector refused the message (400)' });
    if (status === 401) return new DeliveryError({ code: 'unauthorized', retryable: true, message: 'Teams connector: unauthorized (check MICROSOFT_APP_ID/PASSWORD)' });
    return new DeliveryError({ code: status ? `http_${status}` : 'network', retryable: true, message: `Teams connector failure${status ? ` (${status})` : ''}` });
  }
  if (error instanceof TypeError && /reference/.test(error.message)) {
    return new DeliveryError({ code: 'bad_reference', retryable: false, message: 'stored Teams conversation reference is invalid' });
  }
  return new DeliveryError({ code: 'teams_error', retryable: true, message: error instanceof Error ? error.name : 'unknown Teams failure' });
};

/** Teams channel and thread ids start with `19:`; a person's messages are keyed by their Entra object id (a GUID). */
const isChannel = (id: string) => id.startsWith('19:');

export const createTeamsSender = (args: { ctx: UseCaseContext; bot: TeamsBot; installer?: GraphInstaller | null; tenantId?: string }): ChatSender => {
  const { ctx, bot } = args;
  const noConversation = () => new DeliveryError({ code: 'no_conversation', retryable: false, message: 'no Teams conversation with this person yet (app not installed / never written to)' });
  const referenceFor = async (aadObjectId: string) => {
    const reference = await ctx.store.repos.teams.reference(aadObjectId.toLowerCase());
    if (!reference) throw noConversation();
    return reference;
  };
  const placeOf = async (channelId: string) => {
    const place = await ctx.store.repos.teamsChannels.place(channelId);
    if (!place) {
      throw new DeliveryError({ code: 'teams.channel_not_installed', retryable: true, retryAfterMs: NOT_INSTALLED_WAIT_MS, message: 'the app is not installed in the team of this Teams channel' });
    }
    return place;
  };
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toDeliveryError(error);
    }
  };
  return {
    platform: 'teams',
    async send({ target, message }) {
      if (target.platform !== 'teams') {
        throw new DeliveryError({ code: 'unsupported_target', retryable: false, message: `Teams cannot send to a ${target.platform} ${target.kind}` });
      }
      const card = { card: messageCard(message) };
      if (target.kind === 'channel') {
        const place = await placeOf(target.id);
        const post = await guarded(() => bot.postToChannel({ serviceUrl: place.serviceUrl, tenantId: place.tenantId, channelId: target.id, message: card }));
        return { channel: post.conversationId, messageId: post.activityId };
      }
      const aad = target.id.toLowerCase();
      const reference = await ctx.store.repos.teams.reference(aad);
      if (!reference) {
        if (!args.installer) throw noConversation();
        const installer = args.installer;
        return guarded(() => installAndSend({ ctx, bot, installer, tenantId: args.tenantId, aad, personId: target.personId, message: card }));
      }
      const { activityId } = await guarded(() => bot.sendProactive({ reference, message: card }));
      // Delivered either way; without an id the message simply cannot be refreshed later.
      return { channel: aad, messageId: activityId ?? '' };
    },
    async update({ channel, messageId, message }) {
      const card = { card: messageCard(message) };
      if (isChannel(channel)) {
        const place = await ctx.store.repos.teamsChannels.place(channelOfThread(channel));
        // The app left the team: the post cannot be reached any more (the refresh skips it).
        if (!place) throw new DeliveryError({ code: 'conversation_not_found', retryable: false, message: 'the app is no longer installed in this channel’s team' });
        const reference = bot.threadReference({ serviceUrl: place.serviceUrl, tenantId: place.tenantId, conversationId: channel });
        await guarded(() => bot.updateProactive({ reference, activityId: messageId, message: card }));
        return;
      }
      const reference = await referenceFor(channel);
      await guarded(() => bot.updateProactive({ reference, activityId: messageId, message: card }));
    },
  };
};
