import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decisionForm, runDecision } from '../../commands/decide.command.js';
import { DomainError } from '../domain/errors.js';
import { type ChatAction, decodeActionValue } from '../use-cases/chat-message.js';
import { checkDecision } from '../use-cases/decision-check.js';
import { refuseWithoutRole } from '../use-cases/case-access.use-case.js';
import { actionIdOf } from './slack-blocks.js';
import { type SlackDeps, actorFor, logRefusal, openForm, refusalText, replyPrivately, timed } from './slack-deps.js';

/** action_id of every decision button: `escalation.countersign`, `referral.assess`, … */
export const DECISION_ACTION_ID = /^(escalation|referral)\.[a-z_]+(:\d+)?$/;
const OTHER_ACTION_ID = /^(?!(escalation|referral)\.[a-z_]+(:\d+)?$)/;

/**
 * Decision buttons. A decision that needs input (a rationale, a person) opens the decision form, after a
 * check that this person may take it now; a one-click decision runs at once. Refusals are private and
 * change nothing.
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
    await timed(deps, 'action', async () => {
      const userId = body.user.id;
      const channelId = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
      const reply = (text: string) =>
        replyPrivately({ deps, client, respond: body.response_url ? respond : undefined, userId, channelId, triggerId: body.trigger_id, text });
      try {
        const decoded = decodeActionValue(action.value ?? '');
        if (!decoded || decoded.actionId !== actionIdOf(action.action_id)) throw new DomainError({ code: 'action.unknown' });
        const actorId = actorFor(deps, userId);
        await refuseWithoutRole({ ctx: deps.ctx, personId: actorId, actionId: decoded.actionId, itemType: decoded.itemType, itemId: decoded.itemId }); // roles before state
        const chatAction: ChatAction = { id: decoded.actionId, label: '', needsForm: false, itemType: decoded.itemType, itemId: decoded.itemId };
        const form = await decisionForm({ ctx: deps.ctx, actorId, action: chatAction });
        if (form.fields.some((field) => !field.optional)) {
          await checkDecision({ ctx: deps.ctx, actorId, actionId: decoded.actionId, itemId: decoded.itemId });
          await openForm({ deps, client, triggerId: body.trigger_id, userId, command: 'decision', form });
          return;
        }
        const result = await runDecision({ ctx: deps.ctx, actorId, actionId: decoded.actionId, itemId: decoded.itemId, values: {}, platform: 'slack' });
        if (result.ok) await reply(result.reply);
        else await openForm({ deps, client, triggerId: body.trigger_id, userId, command: 'decision', form });
      } catch (error) {
        logRefusal(deps, `action:${action.action_id}`, error);
        await reply(refusalText(deps, error));
      }
    });
  });
};
