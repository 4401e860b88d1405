// DutyDesk wherever a Teams user is: a command @mentioned in a group chat or channel is answered in the person's
// personal chat (the stored conversation), with one line where it was asked — never anything of a case there;
// the welcome card when the app lands in the personal scope; the `home` card (the same queue as Slack's App Home).
import { helpLines } from '../interaction/interaction.core.js';
import { myQueue } from '../use-cases/cases.use-case.js';
import type { ChatMessage } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { words } from '../words/catalogue.js';
import type { TeamsOutgoing } from './teams-endpoint.js';
import { messageCard } from './teams-cards.js';

export const HOME_COMMAND = 'home';
/** `home` in the command list Teams shows (Slack has its App Home instead). */
export const homeLine = () => `${HOME_COMMAND}: ${words('teamsUi.home_help')}`;

export const welcomeCard = () =>
  messageCard({
    text: words('teamsUi.welcome_title'),
    title: words('teamsUi.welcome_title'),
    fields: [],
    actions: [],
    lines: [words('teamsUi.welcome_text'), words('teamsUi.welcome_home'), ...helpLines(), homeLine()],
  });

/** The person's queue as Slack's App Home shows it (same data, myQueue), with the board's address when there is one. */
export const homeMessage = async (args: { ctx: UseCaseContext; personId: string; boardUrl?: string }): Promise<ChatMessage> => {
  const queue = await myQueue({ ctx: args.ctx, personId: args.personId });
  const board = args.boardUrl ? [words('teamsUi.home_board', { url: args.boardUrl.replace(/\/+$/, '') })] : [];
  return { ...queue, title: words('teamsUi.home_title'), lines: [...board, ...(queue.lines ?? [])] };
};

/**
 * A command asked outside the personal chat: `answer` runs it with a sender into the personal chat; the one line
 * back where it was asked says where the answer went, or how to open the personal chat first.
 */
export const answerInPersonalChat = async (args: {
  ctx: UseCaseContext;
  aadObjectId: string | undefined;
  sendProactive: (reference: unknown, message: TeamsOutgoing) => Promise<void>;
  replyHere: (message: TeamsOutgoing) => Promise<void>;
  answer: (send: (message: TeamsOutgoing) => Promise<void>) => Promise<void>;
}): Promise<void> => {
  const aad = args.aadObjectId?.toLowerCase();
  const reference = aad ? await args.ctx.store.repos.teams.reference(aad) : undefined;
  if (!reference) {
    await args.replyHere({ text: words('teamsUi.open_personal_first') });
    return;
  }
  let first = true;
  await args.answer(async (message) => {
    // The first message says why it arrived here; what follows (a file offer, …) needs no repeat.
    const text = first && !message.text ? words('teamsUi.asked_elsewhere') : message.text;
    first = false;
    await args.sendProactive(reference, { ...message, ...(text ? { text } : {}) });
  });
  await args.replyHere({ text: words('teamsUi.answered_in_personal') });
};
