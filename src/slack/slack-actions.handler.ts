import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { handleButton } from '../interaction/interaction.core.js';
import { actionIdOf } from './slack-blocks.js';
import { type SlackDeps, logReply, openForm, replyPrivately, slackActor, timed } from './slack-deps.js';

/** action_id of every decision button: `escalation.countersign`, `referral.assess`, … */
export const DECISION_ACTION_ID = /^[a-z_]+\.[a-z_]+(:\d+)?$/;
const OTHER_ACTION_ID = /^(?![a-z_]+\.[a-z_]+(:\d+)?$)/;

/**
 * Decision buttons, translated to the interaction core and back: a form opens as a modal, anything else is a
 * private reply. Refusals are private and change nothing.
 */
export const registerActions = (args: { app: App; deps: SlackDeps }) => {
  const { app, deps } = args;
  // Any other interaction (a link button, an old or foreign action id) is acked and changes nothing; without
  // this Bolt answers 404 after 3 s and Slack shows the person an error.
  app.action({ action_id: OTHER_ACTION_ID }, async ({ ack }) => {
    await ack();
  });
  app.action<BlockAction<ButtonAction>>(DECISION_ACTION_ID, async ({ ack, body, action, client, respond }) => {
    await ack();
    await deps.settle?.(); // a decision changes something: this click's ledger row is stored first
    await timed(deps, 'action', async () => {
      const userId = body.user.id;
      const channelId = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
      const reply = await handleButton({
        ctx: deps.ctx,
        platform: 'slack',
        actorId: slackActor(deps, userId),
        value: action.value ?? '',
        actionId: actionIdOf(action.action_id),
      });
      logReply(deps, `action:${action.action_id}`, reply);
      if (reply.kind === 'form') {
        await openForm({ deps, client, triggerId: body.trigger_id, userId, command: reply.command, form: reply.form });
        return;
      }
      const text = reply.kind === 'done' || reply.kind === 'refusal' ? reply.words : '';
      await replyPrivately({ deps, client, respond: body.response_url ? respond : undefined, userId, channelId, triggerId: body.trigger_id, text });
    });
  });
};
