import type { App } from '@slack/bolt';
import type { SubmitResult } from '../../commands/command.types.js';
import { runDecision } from '../../commands/decide.command.js';
import { findCommand } from '../../commands/index.js';
import { DomainError } from '../domain/errors.js';
import { refuseWithoutRole } from '../use-cases/case-access.use-case.js';
import { type SlackDeps, actorFor, logRefusal, refusalText, timed } from './slack-deps.js';
import { fieldForRefusal } from './slack-errors.js';
import { errorsResponse, formValuesFromState, inputBlockIds, noticeView } from './slack-modals.js';
import { verifyViewMetadata } from './slack-view-metadata.js';

const NOT_OURS =
  'This form was not opened by DutyDesk for you, or it is out of date. Nothing was saved: run the command or click the button again.';

/**
 * Form submissions. The answer is the HTTP response itself: field errors (`response_action: "errors"`,
 * nothing stored), or the modal updated to a confirmation or a refusal.
 */
export const registerViews = (args: { app: App; deps: SlackDeps }) => {
  const { app, deps } = args;
  app.view(/.*/, async ({ ack, body, view }) => {
    await timed(deps, 'submission', async () => {
      const userId = body.user.id;
      const metadata = verifyViewMetadata({ secret: deps.signingSecret, raw: view.private_metadata ?? '', userId, callbackId: view.callback_id });
      if (!metadata) {
        deps.ctx.logger.warn({ component: 'slack', code: 'view.unverified', callbackId: view.callback_id.slice(0, 64) }, 'view submission refused');
        await ack({ response_action: 'update', view: noticeView({ title: 'Not saved', text: NOT_OURS }) });
        return;
      }
      const values = formValuesFromState(view.state.values as Parameters<typeof formValuesFromState>[0]);
      const blockIds = inputBlockIds(view as Parameters<typeof inputBlockIds>[0]);
      let result: SubmitResult;
      try {
        const actorId = actorFor(deps, userId);
        if (metadata.command === 'decision') {
          const itemId = Number(metadata.context.itemId);
          const actionId = metadata.context.actionId;
          if (!actionId || !Number.isInteger(itemId)) throw new DomainError({ code: 'action.unknown' });
          const itemType = actionId.startsWith('referral.') ? 'referral' : 'escalation';
          await refuseWithoutRole({ ctx: deps.ctx, personId: actorId, actionId, itemType, itemId });
          result = await runDecision({ ctx: deps.ctx, actorId, actionId, itemId, values, platform: 'slack' });
        } else {
          const command = findCommand(metadata.command);
          if (!command || command.kind !== 'form') throw new DomainError({ code: 'action.unknown' });
          result = await command.submit({ ctx: deps.ctx, actorId, values, context: metadata.context, platform: 'slack' });
        }
      } catch (error) {
        logRefusal(deps, `submission:${metadata.command}`, error);
        const words = refusalText(deps, error);
        const field = fieldForRefusal(error);
        if (field && blockIds.includes(field)) await ack(errorsResponse({ fieldErrors: { [field]: words }, blockIds }));
        else await ack({ response_action: 'update', view: noticeView({ title: 'Not done', text: words }) });
        return;
      }
      if (!result.ok) {
        await ack(errorsResponse({ fieldErrors: result.fieldErrors, blockIds }));
        return;
      }
      await ack({ response_action: 'update', view: noticeView({ title: 'Done', text: result.reply, message: result.message }) });
    });
  });
};
