import type { App } from '@slack/bolt';
import { COMMANDS, findCommand } from '../../commands/index.js';
import { handleCommand } from '../interaction/interaction.core.js';
import type { ChatMessage } from '../use-cases/chat-message.js';
import { words } from '../words/catalogue.js';
import { normaliseSlackMentions } from './slack-mentions.js';
import { type SlackDeps, logReply, openForm, replyPrivately, slackActor, timed } from './slack-deps.js';

/** A short help line for an unknown command (or `/dutydesk`): Slack lists the commands on one line. */
export const helpText = () => words('help.slack', { commands: COMMANDS.map((command) => `/${command.name}${command.usageHint ? ` ${command.usageHint}` : ''} (${command.description})`).join('; ') });

/**
 * Slash commands, translated to the interaction core: ack at once, then open the command's form with the
 * trigger_id, or answer privately. Every command in commands/index.ts works here; anything else gets the help line.
 */
export const registerCommands = (args: { app: App; deps: SlackDeps }) => {
  const { app, deps } = args;
  app.command(/^\/.+/, async ({ command, ack, respond, client }) => {
    await ack();
    const name = command.command.replace(/^\//, '').toLowerCase();
    // A form command only opens its form (nothing stored): its ledger row may be written with others. Any other
    // command may change something, so its own row is stored first (replay-guard.ts).
    if (findCommand(name)?.kind !== 'form') await deps.settle?.();
    await timed(deps, 'command', async () => {
      const reply = (extra: { text?: string; message?: ChatMessage; inChannel?: boolean }) =>
        replyPrivately({ deps, client, respond, userId: command.user_id, channelId: command.channel_id, triggerId: command.trigger_id, ...extra });
      const answer = await handleCommand({
        ctx: deps.ctx,
        platform: 'slack',
        actorId: slackActor(deps, command.user_id),
        name,
        text: normaliseSlackMentions({ text: command.text ?? '', directory: deps.ctx.directory }),
      });
      logReply(deps, `command:${command.command.slice(0, 32)}`, answer);
      switch (answer.kind) {
        case 'help':
          return reply({ text: helpText() });
        case 'form':
          return openForm({ deps, client, triggerId: command.trigger_id, userId: command.user_id, command: answer.command, form: answer.form });
        case 'message': {
          const { attachment, ...message } = answer.message;
          if (attachment) {
            // Files go to the person's DM with the bot, never to the channel the command was typed in.
            const dm = await client.conversations.open({ users: command.user_id });
            if (dm.channel?.id) await client.filesUploadV2({ channel_id: dm.channel.id, filename: attachment.filename, title: attachment.filename, content: attachment.content });
          }
          return reply({ message, inChannel: !answer.private });
        }
        case 'refusal':
        case 'done':
          return reply({ text: answer.words });
      }
    });
  });
};
