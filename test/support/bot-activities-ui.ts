// Bot Framework activities for Teams dialogs, the file consent flow and mentions outside the personal chat, shaped
// as Microsoft Teams sends them (the invoke names and value shapes of the Bot Framework's Teams schema).
import { randomUUID } from 'node:crypto';
import { type BotActivity, TEST_APP_ID, type TeamsActivityBase, messageActivity } from './bot-activities.js';

const invoke = (args: TeamsActivityBase, name: string, value: Record<string, unknown>, replyToId?: string): BotActivity => {
  const { text: _text, textFormat: _format, attachments: _attachments, ...base } = messageActivity({ ...args, text: '' });
  return {
    ...base,
    type: 'invoke',
    id: `f:${randomUUID()}`,
    name,
    value,
    ...(replyToId ? { replyToId } : {}),
    channelData: { ...(base.channelData as object), source: { name: 'message' } },
  } as BotActivity;
};

/** A button with `msteams: { type: 'task/fetch' }` clicked: Teams asks the bot for the dialog. */
export const taskFetchActivity = (args: TeamsActivityBase & { data: Record<string, unknown> }) => invoke(args, 'task/fetch', { type: 'task/fetch', data: args.data, context: { theme: 'default' } });

/** An Action.Submit inside a dialog: its data with the dialog's input values merged in. */
export const taskSubmitActivity = (args: TeamsActivityBase & { data: Record<string, unknown> }) => invoke(args, 'task/submit', { type: 'task/submit', data: args.data, context: { theme: 'default' } });

/** The person's answer to a file consent card (`context` is the card's acceptContext or declineContext). */
export const fileConsentActivity = (
  args: TeamsActivityBase & {
    action: 'accept' | 'decline';
    context: unknown;
    replyToId?: string;
    uploadInfo?: { name: string; uploadUrl: string; contentUrl: string; uniqueId: string; fileType: string };
  },
) => invoke(args, 'fileConsent/invoke', { type: 'fileUpload', action: args.action, context: args.context, ...(args.uploadInfo ? { uploadInfo: args.uploadInfo } : {}) }, args.replyToId);

/** "@dutydesk …" in a group chat (or a channel, with `channel`): the bot's mention is an `<at>` tag and an entity. */
export const groupMentionActivity = (args: TeamsActivityBase & { text: string; groupId: string; channel?: boolean; botName?: string }): BotActivity => {
  const botName = args.botName ?? 'dutydesk';
  const activity = messageActivity({ ...args, text: `<at>${botName}</at> ${args.text}` });
  const tenantId = String(activity.conversation.tenantId);
  return {
    ...activity,
    textFormat: 'plain',
    conversation: { id: args.groupId, conversationType: args.channel ? 'channel' : 'groupChat', tenantId, isGroup: true },
    entities: [...((activity.entities as object[]) ?? []), { type: 'mention', text: `<at>${botName}</at>`, mentioned: { id: `28:${args.appId ?? TEST_APP_ID}`, name: botName } }],
  };
};
