// Teams dialogs (task modules) for DutyDesk's forms: `task/fetch` (a button with msteams task/fetch data, or
// "Open in a dialog" under a typed command's form) opens the form as an Adaptive Card dialog; `task/submit` re-shows
// it with the typed values and the field errors, or closes it with the confirmation, which also goes to the chat.
// Every decision is the interaction core's (handleButton, handleCommand, handleSubmit); this file only translates.
import { handleButton, handleCommand, handleSubmit } from '../interaction/interaction.core.js';
import type { Reply } from '../interaction/reply.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { words } from '../words/catalogue.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, type TeamsOutgoing } from './teams-endpoint.js';
import { formCard, formSubmissionOf, formValuesOf } from './teams-cards.js';

/** The body of a task invoke response. */
export type TaskAnswer = { task: { type: 'continue'; value: { title: string; width: 'medium'; card: { contentType: string; content: object } } } | { type: 'message'; value: string } };

const message = (value: string): TaskAnswer => ({ task: { type: 'message', value } });

export const createTeamsDialogs = (args: {
  ctx: UseCaseContext;
  /** The core's reply as the card the chat shows (teams-handlers.ts), for the confirmation after a dialog. */
  chatAnswer: (reply: Reply) => TeamsOutgoing;
  logged: (where: string, reply: Reply) => Reply;
}) => {
  const { ctx } = args;

  /** A form reply as a dialog; anything else closes (or never opens) the dialog with its words. */
  const toTask = async (reply: Reply, send: (message: TeamsOutgoing) => Promise<void>): Promise<TaskAnswer> => {
    switch (reply.kind) {
      case 'form': {
        const card = formCard({ form: reply.form, command: reply.command === 'decision' ? undefined : reply.command, text: reply.text, values: reply.values, errors: reply.errors, mode: 'dialog' });
        return { task: { type: 'continue', value: { title: reply.form.title, width: 'medium', card: { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card } } } };
      }
      case 'done':
        await send(args.chatAnswer(reply)); // the chat keeps the confirmation (and the item as it now stands)
        return message(reply.words);
      case 'refusal':
        if (reply.status) await send(args.chatAnswer(reply));
        return message(reply.words);
      case 'message':
      case 'help':
        await send(args.chatAnswer(reply));
        return message(words('teamsUi.answered_in_personal'));
    }
  };

  return {
    async fetch(io: { personId: string; data: Record<string, unknown>; send: (message: TeamsOutgoing) => Promise<void> }): Promise<TaskAnswer> {
      const { data } = io;
      if (typeof data.action === 'string' && typeof data.value === 'string') {
        return toTask(args.logged('dialog', await handleButton({ ctx, platform: 'teams', actorId: io.personId, value: data.value, actionId: data.action })), io.send);
      }
      const submission = formSubmissionOf(data);
      if (submission?.command) {
        return toTask(args.logged('dialog', await handleCommand({ ctx, platform: 'teams', actorId: io.personId, name: submission.command, text: submission.text ?? '' })), io.send);
      }
      return message(words('form.out_of_date'));
    },

    async submit(io: { personId: string; data: Record<string, unknown>; send: (message: TeamsOutgoing) => Promise<void> }): Promise<TaskAnswer> {
      const submission = formSubmissionOf(io.data);
      if (!submission) return message(words('form.out_of_date'));
      const reply = await handleSubmit({
        ctx,
        platform: 'teams',
        actorId: io.personId,
        formId: submission.formId,
        command: submission.command,
        text: submission.text,
        context: submission.context,
        values: (form) => formValuesOf({ form, data: io.data }),
      });
      return toTask(args.logged('dialog-submit', reply), io.send);
    },
  };
};
