import type { webApi } from '@slack/bolt';
import { DeliveryError, type ChatSender } from '../delivery/sender.types.js';
import type { Logger } from '../use-cases/context.js';
import { channelSafe, messagePayload } from './slack-blocks.js';

/** Slack errors that no retry can fix: the outbox parks the row at once. */
const PERMANENT = new Set([
  'channel_not_found',
  'user_not_found',
  'users_not_found',
  'account_inactive',
  'is_archived',
  'not_in_channel',
  'cannot_dm_bot',
  'user_disabled',
  'restricted_action',
  'msg_too_long',
  'invalid_blocks',
  'invalid_arguments',
  'no_text',
  'too_many_attachments',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'missing_scope',
]);
/**
 * Token problems are retryable on purpose: fixing SLACK_BOT_TOKEN and restarting recovers the queue, and the
 * outbox still parks the row after its maximum attempts.
 */
const AUTH = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive_token']);

type WebApiError = { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number; headers?: Record<string, unknown>; message?: string };

/** Classify a WebClient failure for the outbox: retryable (429 with Retry-After, 5xx, network, auth) or permanent. */
export const classifySlackError = (error: unknown): DeliveryError => {
  if (error instanceof DeliveryError) return error;
  const e = (error ?? {}) as WebApiError;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new DeliveryError({ code: 'ratelimited', retryable: true, retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 });
    case 'slack_webapi_platform_error': {
      const slackError = e.data?.error ?? 'unknown_error';
      if (slackError === 'ratelimited') return new DeliveryError({ code: slackError, retryable: true, retryAfterMs: 1000 });
      if (AUTH.has(slackError)) return new DeliveryError({ code: slackError, retryable: true });
      return new DeliveryError({ code: slackError, retryable: !PERMANENT.has(slackError) && /internal_error|fatal_error|service_unavailable|request_timeout/.test(slackError) });
    }
    case 'slack_webapi_http_error': {
      const status = e.statusCode ?? 0;
      const retryAfter = Number(e.headers?.['retry-after']);
      if (status === 429) return new DeliveryError({ code: 'ratelimited', retryable: true, retryAfterMs: (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1) * 1000 });
      return new DeliveryError({ code: `http_${status}`, retryable: status >= 500 || status === 408 });
    }
    case 'slack_webapi_request_error':
      return new DeliveryError({ code: 'request_error', retryable: true });
    default:
      return new DeliveryError({ code: 'unexpected', retryable: true, message: 'unexpected Slack client failure' });
  }
};

const isDmChannel = (channel: string) => channel.startsWith('D');

/**
 * The outbox's Slack side: DMs via conversations.open (cached per user) + chat.postMessage, channel posts,
 * and chat.update for earlier messages. No retries here: the outbox owns retrying.
 */
export const createSlackSender = (args: { client: webApi.WebClient; logger: Logger }): ChatSender => {
  const { client } = args;
  const dmChannels = new Map<string, string>();

  const openDm = async (userId: string): Promise<string> => {
    const cached = dmChannels.get(userId);
    if (cached) return cached;
    const opened = await client.conversations.open({ users: userId });
    const id = opened.channel?.id;
    if (!id) throw new DeliveryError({ code: 'channel_not_found', retryable: false });
    dmChannels.set(userId, id);
    return id;
  };

  const post = async (channel: string, payload: ReturnType<typeof messagePayload>) => {
    const result = await client.chat.postMessage({ channel, ...payload, unfurl_links: false, unfurl_media: false });
    if (!result.ts) throw new DeliveryError({ code: 'no_ts', retryable: true });
    return { channel: result.channel ?? channel, messageId: result.ts };
  };

  return {
    platform: 'slack',
    async send({ target, message }) {
      try {
        if (target.kind === 'channel') return await post(target.id, messagePayload(channelSafe(message)));
        const payload = messagePayload(message);
        const channel = await openDm(target.id);
        if (message.attachment) {
          // Files only ever go to a DM. Uploaded before the message so a retry never posts the message twice.
          const { filename, content, encoding } = message.attachment;
          const body = encoding === 'base64' ? { file: Buffer.from(content, 'base64') } : { content };
          await client.filesUploadV2({ channel_id: channel, filename, title: filename, ...body });
        }
        try {
          return await post(channel, payload);
        } catch (error) {
          const classified = classifySlackError(error);
          if (classified.code !== 'channel_not_found') throw error;
          dmChannels.delete(target.id); // a stale cached DM: open it again once
          return await post(await openDm(target.id), payload);
        }
      } catch (error) {
        const classified = classifySlackError(error);
        args.logger.warn({ component: 'slack', op: 'send', target: target.kind, code: classified.code, retryable: classified.retryable }, 'slack delivery failed');
        throw classified;
      }
    },
    async update({ channel, messageId, message }) {
      try {
        await client.chat.update({ channel, ts: messageId, ...messagePayload(isDmChannel(channel) ? message : channelSafe(message)) });
      } catch (error) {
        const classified = classifySlackError(error);
        args.logger.warn({ component: 'slack', op: 'update', code: classified.code, retryable: classified.retryable }, 'slack update failed');
        throw classified;
      }
    },
  };
};
