import type { App } from '@slack/bolt';
import { handleSubmit } from '../interaction/interaction.core.js';
import { words } from '../words/catalogue.js';
import { type SlackDeps, logReply, slackActor, timed } from './slack-deps.js';
import { errorsResponse, formValuesFromState, inputBlockIds, noticeView } from './slack-modals.js';
import { verifyViewMetadata } from './slack-view-metadata.js';

/**
 * Form submissions, translated to the interaction core. The answer is the HTTP response itself: field errors
 * (`response_action: "errors"`, nothing stored), or the modal updated to a confirmation or a refusal.
 */
export const registerViews = (args: { app: App; deps: SlackDeps }) => {
  const { app, deps } = args;
  app.view(/.*/, async ({ ack, body, view }) => {
    await timed(deps, 'submission', async () => {
      const userId = body.user.id;
      const metadata = verifyViewMetadata({ secret: deps.signingSecret, raw: view.private_metadata ?? '', userId, callbackId: view.callback_id });
      if (!metadata) {
        deps.ctx.logger.warn({ component: 'slack', code: 'view.unverified', callbackId: view.callback_id.slice(0, 64) }, 'view submission refused');
        await ack({ response_action: 'update', view: noticeView({ title: 'Not saved', text: words('form.out_of_date') }) });
        return;
      }
      const values = formValuesFromState(view.state.values as Parameters<typeof formValuesFromState>[0]);
      const blockIds = inputBlockIds(view as Parameters<typeof inputBlockIds>[0]);
      const reply = await handleSubmit({
        ctx: deps.ctx,
        platform: 'slack',
        actorId: slackActor(deps, userId),
        formId: metadata.command === 'decision' ? 'decision' : metadata.formId,
        command: metadata.command,
        context: metadata.context,
        values,
      });
      logReply(deps, `submission:${metadata.command}`, reply);
      if (reply.kind === 'form') await ack(errorsResponse({ fieldErrors: reply.errors ?? {}, blockIds }));
      else if (reply.kind === 'refusal' && reply.field && blockIds.includes(reply.field)) await ack(errorsResponse({ fieldErrors: { [reply.field]: reply.words }, blockIds }));
      else if (reply.kind === 'refusal') await ack({ response_action: 'update', view: noticeView({ title: 'Not done', text: reply.words }) });
      else if (reply.kind === 'done') await ack({ response_action: 'update', view: noticeView({ title: 'Done', text: reply.words, message: reply.message }) });
      else await ack();
    });
  });
};
