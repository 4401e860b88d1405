// What the Teams bot does with each activity: typed commands, card buttons and card submits are translated to the
// interaction core (src/interaction/) and its neutral reply rendered as a card or a short message. No workflow rules.
import { handleButton, handleCommand, handleSubmit } from '../interaction/interaction.core.js';
import type { Reply } from '../interaction/reply.js';
import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { words } from '../words/catalogue.js';
import { type AdaptiveCard, FORM_SUBMIT_VERB, formCard, formSubmissionOf, formValuesOf, messageCard, noticeCard } from './teams-cards.js';
import type { TeamsBot, TeamsHandlers, TeamsOutgoing, TeamsUser } from './teams-endpoint.js';
import { normaliseTeamsMentions } from './teams-mentions.js';
import { recordTeamsReference } from './teams-references.js';
import { createTeamsDialogs } from './teams-dialogs.js';
import { HOME_COMMAND, answerInPersonalChat, homeLine, homeMessage, welcomeCard } from './teams-everywhere.js';
import { answerFileConsent, fileOf, offerFile } from './teams-files.js';

type CardAnswer = { card?: object; message?: string };

export const createTeamsHandlers = (args: { ctx: UseCaseContext; metrics: Metrics; bot?: () => TeamsBot | undefined; boardUrl?: string }): TeamsHandlers => {
  const { ctx, metrics } = args;
  const log = ctx.logger;

  /** The org person behind a Teams user (Entra object id, compared lower-case). */
  const personOf = (user: TeamsUser): string | undefined => {
    const aad = user.aadObjectId?.toLowerCase();
    return aad ? ctx.directory.personByTeams(aad)?.id : undefined;
  };

  const saveReference = async (user: TeamsUser, reference: unknown, why: string) => {
    await recordTeamsReference({ ctx, aadObjectId: user.aadObjectId, personId: personOf(user), reference, why });
  };

  const timed = async <T>(kind: string, work: () => Promise<T>): Promise<T> => {
    const stop = metrics.handlerSeconds.startTimer({ platform: 'teams', kind });
    try {
      return await work();
    } finally {
      stop();
    }
  };

  const helpCard = (lines: string[]): AdaptiveCard =>
    messageCard({ text: words('help.title'), title: words('help.title'), fields: [], actions: [], lines: [...lines, homeLine(), words('help.help_line'), words('help.decisions')] });

  /** The core's neutral reply as what Teams shows: a card in place of the clicked one, or a short message. */
  const answer = (reply: Reply): CardAnswer => {
    switch (reply.kind) {
      case 'form':
        return { card: formCard({ form: reply.form, command: reply.command === 'decision' ? undefined : reply.command, text: reply.text, values: reply.values, errors: reply.errors }) };
      case 'message':
        return { card: messageCard(reply.message) };
      case 'done':
        if (reply.status) return { card: messageCard(reply.status) };
        return { card: reply.message ? messageCard(reply.message) : noticeCard({ title: reply.title ?? 'DutyDesk', text: reply.words, tone: 'good' }) };
      case 'refusal':
        return reply.status ? { card: messageCard(reply.status) } : { message: reply.words };
      case 'help':
        return { card: helpCard(reply.lines) };
    }
  };

  const logged = (where: string, reply: Reply) => {
    if (reply.kind === 'refusal') metrics.ops.refusals.inc({ code: reply.code, platform: 'teams' });
    if (reply.kind === 'refusal' && reply.code === 'unexpected') log.error({ platform: 'teams', where }, 'teams interaction failed');
    return reply;
  };

  const outgoing = (shown: CardAnswer): TeamsOutgoing => (shown.card ? { card: shown.card } : { text: shown.message ?? '' });
  const dialogs = createTeamsDialogs({ ctx, chatAnswer: (reply) => outgoing(answer(reply)), logged });

  /** A typed command, answered through `send` (the personal chat, wherever it was asked). */
  const runTyped = async (user: TeamsUser, text: string, send: (message: TeamsOutgoing) => Promise<void>) => {
    const personId = personOf(user);
    if (!personId) {
      log.info({ platform: 'teams', known: false }, 'teams message from a person not in the org file');
      await send({ text: words('directory.not_in_teams') });
      return;
    }
    const cleaned = normaliseTeamsMentions({ text, directory: ctx.directory });
    const [word = '', ...rest] = cleaned.split(/\s+/);
    const name = word.replace(/^\//, '').toLowerCase();
    if (name === HOME_COMMAND) return send({ card: messageCard(await homeMessage({ ctx, personId, boardUrl: args.boardUrl })) });
    const reply = logged('command', await handleCommand({ ctx, platform: 'teams', actorId: personId, name, text: rest.join(' ') }));
    const file = reply.kind === 'message' ? fileOf(reply.message) : null;
    if (reply.kind === 'message' && file && (await offerFile({ ctx, aadObjectId: user.aadObjectId ?? '', personId, message: reply.message, file, summaryCard: messageCard, send }))) return;
    if (reply.kind === 'form') return send({ card: formCard({ form: reply.form, command: reply.command, text: reply.text, values: reply.values, errors: reply.errors, openInDialog: true }) });
    await send(outgoing(answer(reply)));
  };

  return {
    async onInstall({ user, reference, event, reply }) {
      await saveReference(user, reference, 'install');
      // Teams sends installationUpdate and conversationUpdate for one install: the welcome goes with the second only.
      if (event === 'conversationUpdate' && reply) await reply({ card: welcomeCard() });
    },

    async onMessage({ user, text, reference, conversationType, reply: reply_ }) {
      await timed('message', async () => {
        if (conversationType && conversationType !== 'personal') {
          const bot = args.bot?.();
          if (!bot) return reply_({ text: words('teams.personal_only') });
          await answerInPersonalChat({
            ctx,
            aadObjectId: user.aadObjectId,
            sendProactive: async (to, message) => void (await bot.sendProactive({ reference: to, message })),
            replyHere: reply_,
            answer: (send) => runTyped(user, text, send),
          });
          return;
        }
        await saveReference(user, reference, 'message');
        await runTyped(user, text, reply_);
      });
    },

    async onInvoke({ name, user, value, send }) {
      return timed(name, async () => {
        const personId = personOf(user);
        if (name === 'fileConsent/invoke') {
          await answerFileConsent({ ctx, aadObjectId: user.aadObjectId, personId, value, send });
          return { status: 200 };
        }
        const data = typeof value.data === 'object' && value.data !== null ? (value.data as Record<string, unknown>) : {};
        if (!personId) return { status: 200, body: { task: { type: 'message', value: words('directory.not_in_teams') } } };
        if (name === 'task/fetch') return { status: 200, body: await dialogs.fetch({ personId, data, send }) };
        if (name === 'task/submit') return { status: 200, body: await dialogs.submit({ personId, data, send }) };
        return null;
      });
    },

    async onCardAction({ user, verb, data }) {
      return timed(verb === FORM_SUBMIT_VERB ? 'submit' : 'action', async () => {
        const personId = personOf(user) ?? null;
        if (!personId) return { message: words('directory.not_in_teams') };
        if (verb !== FORM_SUBMIT_VERB) {
          const value = typeof data.value === 'string' ? data.value : '';
          return answer(logged('action', await handleButton({ ctx, platform: 'teams', actorId: personId, value, actionId: verb })));
        }
        const submission = formSubmissionOf(data);
        if (!submission) return { message: words('form.out_of_date') };
        return answer(
          logged(
            'submit',
            await handleSubmit({
              ctx,
              platform: 'teams',
              actorId: personId,
              formId: submission.formId,
              command: submission.command,
              text: submission.text,
              context: submission.context,
              values: (form) => formValuesOf({ form, data }),
            }),
          ),
        );
      });
    },
  };
};
