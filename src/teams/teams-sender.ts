// The Teams side of the outbox: a ChatMessage becomes an Adaptive Card sent proactively into the person's 1:1
// conversation (stored reference, keyed by Entra object id); updates replace that activity in place.
import { DeliveryError, type ChatSender } from '../delivery/sender.types.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { messageCard } from './teams-cards.js';
import { type TeamsBot, TeamsDeliveryError } from './teams-endpoint.js';

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

export const createTeamsSender = (args: { ctx: UseCaseContext; bot: TeamsBot }): ChatSender => {
  const { ctx, bot } = args;
  const referenceFor = async (aadObjectId: string) => {
    const reference = await ctx.store.repos.teams.reference(aadObjectId.toLowerCase());
    if (!reference) {
      throw new DeliveryError({ code: 'no_conversation', retryable: false, message: 'no Teams conversation with this person yet (app not installed / never written to)' });
    }
    return reference;
  };
  return {
    platform: 'teams',
    async send({ target, message }) {
      if (target.platform !== 'teams' || target.kind !== 'user') {
        throw new DeliveryError({ code: 'unsupported_target', retryable: false, message: `Teams cannot send to a ${target.platform} ${target.kind}` });
      }
      const aad = target.id.toLowerCase();
      const reference = await referenceFor(aad);
      try {
        const { activityId } = await bot.sendProactive({ reference, message: { card: messageCard(message) } });
        // Delivered either way; without an id the message simply cannot be refreshed later.
        return { channel: aad, messageId: activityId ?? '' };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    async update({ channel, messageId, message }) {
      const reference = await referenceFor(channel);
      try {
        await bot.updateProactive({ reference, activityId: messageId, message: { card: messageCard(message) } });
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
};
