import type { App } from '@slack/bolt';
import { COMMANDS, findCommand } from '../../commands/index.js';
import type { ChatMessage } from '../use-cases/chat-message.js';
import type { FormDefinition } from '../use-cases/form.types.js';
import { type SlackDeps, actorFor, logRefusal, openForm, refusalText, replyPrivately, timed } from './slack-deps.js';

/** A short help line for an unknown command (or `/dutydesk`). */
export const helpText = () =>
  `DutyDesk commands: ${COMMANDS.map((command) => `/${command.name}${command.usageHint ? ` ${command.usageHint}` : ''} (${command.description})`).join('; ')}.`;

const formOf = (result: unknown): FormDefinition | undefined => {
  const form = (result as { form?: FormDefinition } | null)?.form;
  return form && typeof form === 'object' && Array.isArray(form.fields) ? form : undefined;
};

/**
 * Slash commands: ack at once, then open the command's form with the trigger_id, or answer a text command
 * privately. Every command in commands/index.ts works here; anything else gets the help line.
 */
export const registerCommands = (args: { app: App; deps: SlackDeps }) => {
  const { app, deps } = args;
  app.command(/^\/.+/, async ({ command, ack, respond, client }) => {
    await ack();
    await timed(deps, 'command', async () => {
      const reply = (extra: { text?: string; message?: ChatMessage; inChannel?: boolean }) =>
        replyPrivately({ deps, client, respond, userId: command.user_id, channelId: command.channel_id, triggerId: command.trigger_id, ...extra });
      const found = findCommand(command.command);
      if (!found) return reply({ text: helpText() });
      try {
        const actorId = actorFor(deps, command.user_id);
        if (found.kind === 'form') {
          const form = await found.form({ ctx: deps.ctx, actorId, text: command.text ?? '' });
          await openForm({ deps, client, triggerId: command.trigger_id, userId: command.user_id, command: found.name, form });
          return;
        }
        const result = await found.run({ ctx: deps.ctx, actorId, text: command.text ?? '', platform: 'slack' });
        const form = formOf(result);
        if (form) {
          await openForm({ deps, client, triggerId: command.trigger_id, userId: command.user_id, command: found.name, form });
          return;
        }
        const { attachment, ...message } = result.message;
        if (attachment) {
          // Files go to the person's DM with the bot, never to the channel the command was typed in.
          const dm = await client.conversations.open({ users: command.user_id });
          if (dm.channel?.id) await client.filesUploadV2({ channel_id: dm.channel.id, filename: attachment.filename, title: attachment.filename, content: attachment.content });
        }
        await reply({ message, inChannel: !result.private });
      } catch (error) {
        logRefusal(deps, `command:${found.name}`, error);
        await reply({ text: refusalText(deps, error) });
      }
    });
  });
};
