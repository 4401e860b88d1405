import type { App, types } from '@slack/bolt';
import { myQueue } from '../use-cases/cases.use-case.js';
import { messageBlocks } from './slack-blocks.js';
import { type SlackDeps, logRefusal, refusalText, timed } from './slack-deps.js';
import { mrkdwn } from './slack-text.js';
import { words } from '../words/catalogue.js';

const HOME_BLOCKS = 100;

/** The App Home tab: the same queue as /cases, published on app_home_opened. */
export const homeView = async (args: { deps: SlackDeps; slackUserId: string }): Promise<types.HomeView> => {
  const { deps } = args;
  const person = deps.ctx.directory.personBySlack(args.slackUserId);
  if (!person) {
    return {
      type: 'home',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'DutyDesk' } },
        { type: 'section', text: mrkdwn(words('directory.not_in_slack'), 3000) },
      ],
    };
  }
  try {
    const queue = await myQueue({ ctx: deps.ctx, personId: person.id });
    if (!deps.boardUrl) return { type: 'home', blocks: messageBlocks(queue, { maxBlocks: HOME_BLOCKS }) };
    // The managers' board: units, items and weekly reports in the browser (one block kept for it).
    const board: types.KnownBlock = {
      type: 'section',
      // A link, so not through mrkdwn() (which escapes < and >); the URL is our own configuration.
      text: { type: 'mrkdwn', text: `<${deps.boardUrl.replaceAll('&', '&amp;')}/board|Open the DutyDesk board> for your units, every item and the weekly reports.` },
    };
    return { type: 'home', blocks: [board, ...messageBlocks(queue, { maxBlocks: HOME_BLOCKS - 1 })] };
  } catch (error) {
    logRefusal(deps, 'home', error);
    return { type: 'home', blocks: [{ type: 'section', text: mrkdwn(refusalText(deps, error), 3000) }] };
  }
};

export const registerHome = (args: { app: App; deps: SlackDeps }) => {
  const { app, deps } = args;
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await timed(deps, 'home', async () => {
      await client.views.publish({ user_id: event.user, view: await homeView({ deps, slackUserId: event.user }) });
    });
  });
};
