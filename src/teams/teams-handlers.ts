// What the Teams bot does with each activity: typed commands → forms/messages from the commands registry, card
// submits and decision buttons → the same use cases as Slack. Routing and rendering only, no workflow rules.
import { decisionForm, runDecision } from '../../commands/decide.command.js';
import { COMMANDS, findCommand } from '../../commands/index.js';
import { isDomainError } from '../domain/errors.js';
import type { ItemType } from '../domain/workflow.types.js';
import type { Metrics } from '../http/metrics.js';
import { type ChatAction, decodeActionValue } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { checkDecision } from '../use-cases/decision-check.js';
import { refuseWithoutRole } from '../use-cases/case-access.use-case.js';
import type { FormDefinition } from '../use-cases/form.types.js';
import { renderItemStatus } from '../use-cases/item-status.js';
import { type AdaptiveCard, FORM_SUBMIT_VERB, formCard, formSubmissionOf, formValuesOf, messageCard, noticeCard } from './teams-cards.js';
import type { TeamsHandlers, TeamsUser } from './teams-endpoint.js';
import { NOT_IN_DIRECTORY, isMovedOn, teamsFailureWords } from './teams-errors.js';
import { recordTeamsReference } from './teams-references.js';

type CardAnswer = { card?: object; message?: string };

export const createTeamsHandlers = (args: { ctx: UseCaseContext; metrics: Metrics }): TeamsHandlers => {
  const { ctx, metrics } = args;
  const log = ctx.logger;
  const words = (error: unknown) => {
    if (isDomainError(error)) metrics.ops.refusals.inc({ code: error.code, platform: 'teams' });
    return teamsFailureWords({ error, directory: ctx.directory, now: ctx.clock.now() });
  };

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

  /** The item as it stands now, no buttons; `notice` overrides the "who did what and when" line. */
  const statusCard = async (personId: string, itemType: ItemType, itemId: number, notice?: string): Promise<AdaptiveCard> => {
    const status = await renderItemStatus({ ctx, itemType, itemId, personId });
    if (!status) return noticeCard({ title: 'DutyDesk', text: notice ?? 'That item could not be found.' });
    return messageCard(notice ? { ...status, notice } : status);
  };

  const helpCard = (): AdaptiveCard =>
    messageCard({
      text: 'DutyDesk commands',
      title: 'DutyDesk commands',
      fields: [],
      actions: [],
      lines: [
        ...COMMANDS.map((command) => `${command.name}${command.usageHint ? ` ${command.usageHint}` : ''}: ${command.description}`),
        'help: this list',
        'Decisions arrive here as cards with buttons; every decision is recorded with your name and the time.',
      ],
    });

  const decisionAction = (context: Record<string, string>): ChatAction | null => {
    const itemId = Number(context.itemId);
    const itemType = context.itemType === 'escalation' || context.itemType === 'referral' ? context.itemType : null;
    if (!itemType || !Number.isInteger(itemId) || !context.actionId) return null;
    return { id: context.actionId, label: '', needsForm: true, itemType, itemId };
  };

  /** A decision from a button or a decision form; the clicked card becomes the item's new state. */
  const decide = async (personId: string, action: ChatAction, form: FormDefinition | null, data: Record<string, unknown>): Promise<CardAnswer> => {
    const values = form ? formValuesOf({ form, data }) : {};
    const result = await runDecision({ ctx, actorId: personId, actionId: action.id, itemId: action.itemId, values, platform: 'teams' });
    if (result.ok) return { card: await statusCard(personId, action.itemType, action.itemId) };
    const shown = form ?? (await decisionForm({ ctx, actorId: personId, action }));
    return { card: formCard({ form: shown, values, errors: result.fieldErrors }) };
  };

  const submitForm = async (personId: string, data: Record<string, unknown>): Promise<CardAnswer> => {
    const submission = formSubmissionOf(data);
    if (!submission) return { message: 'This form is out of date. Type the command again to get a new one.' };
    if (submission.formId === 'decision') {
      const action = decisionAction(submission.context);
      if (!action) return { message: 'This form is out of date. Nothing was changed.' };
      await refuseWithoutRole({ ctx, personId, actionId: action.id, itemType: action.itemType, itemId: action.itemId }); // roles before state
      const form = await decisionForm({ ctx, actorId: personId, action });
      return decide(personId, action, form, data);
    }
    const command = findCommand(submission.command ?? submission.formId);
    if (!command || command.kind !== 'form') return { message: 'This form is out of date. Type the command again to get a new one.' };
    const form = await command.form({ ctx, actorId: personId, text: submission.text ?? '' });
    const values = formValuesOf({ form, data });
    const result = await command.submit({ ctx, actorId: personId, values, context: submission.context, platform: 'teams' });
    if (!result.ok) return { card: formCard({ form, command: command.name, text: submission.text, values, errors: result.fieldErrors }) };
    return { card: result.message ? messageCard(result.message) : noticeCard({ title: form.title, text: result.reply, tone: 'good' }) };
  };

  const clickButton = async (personId: string, verb: string, data: Record<string, unknown>): Promise<CardAnswer> => {
    const decoded = typeof data.value === 'string' ? decodeActionValue(data.value) : null;
    if (!decoded || decoded.actionId !== verb) return { message: 'That button is not recognised any more. Nothing was changed.' };
    const action: ChatAction = { id: decoded.actionId, label: '', needsForm: data.needsForm === true, itemType: decoded.itemType, itemId: decoded.itemId };
    // Roles before state: a person with no role on the item gets the plain refusal, never its card.
    await refuseWithoutRole({ ctx, personId, actionId: action.id, itemType: action.itemType, itemId: action.itemId });
    try {
      if (action.needsForm) {
        await checkDecision({ ctx, actorId: personId, actionId: action.id, itemId: action.itemId });
        return { card: formCard({ form: await decisionForm({ ctx, actorId: personId, action }) }) };
      }
      return await decide(personId, action, null, data);
    } catch (error) {
      if (isMovedOn(error)) return { card: await statusCard(personId, action.itemType, action.itemId, words(error)) };
      throw error;
    }
  };

  return {
    async onInstall({ user, reference }) {
      await saveReference(user, reference, 'install');
    },

    async onMessage({ user, text, reference, conversationType, reply }) {
      await timed('message', async () => {
        if (conversationType && conversationType !== 'personal') {
          await reply({ text: 'Please talk to me in a 1:1 chat: case details stay in direct messages.' });
          return;
        }
        await saveReference(user, reference, 'message');
        const personId = personOf(user);
        if (!personId) {
          log.info({ platform: 'teams', known: false }, 'teams message from a person not in the org file');
          await reply({ text: NOT_IN_DIRECTORY });
          return;
        }
        const cleaned = text.replace(/^\s*<at>[^<]*<\/at>/, '').trim(); // a leading @DutyDesk; other mentions are arguments
        const [word = '', ...rest] = cleaned.split(/\s+/);
        const name = word.replace(/^\//, '').toLowerCase();
        const argsText = rest.join(' ');
        const command = name && name !== 'help' ? findCommand(name) : undefined;
        if (!command) {
          await reply({ card: helpCard() });
          return;
        }
        try {
          if (command.kind === 'form') {
            const form = await command.form({ ctx, actorId: personId, text: argsText });
            await reply({ card: formCard({ form, command: command.name, text: argsText }) });
          } else {
            const result = await command.run({ ctx, actorId: personId, text: argsText, platform: 'teams' });
            await reply({ card: messageCard(result.message) });
          }
        } catch (error) {
          if (!isDomainError(error)) log.error({ platform: 'teams', command: command.name, err: (error as Error)?.name }, 'teams command failed');
          await reply({ text: words(error) });
        }
      });
    },

    async onCardAction({ user, verb, data }) {
      return timed(verb === FORM_SUBMIT_VERB ? 'submit' : 'action', async () => {
        const personId = personOf(user);
        if (!personId) return { message: NOT_IN_DIRECTORY };
        try {
          return verb === FORM_SUBMIT_VERB ? await submitForm(personId, data) : await clickButton(personId, verb, data);
        } catch (error) {
          if (!isDomainError(error)) {
            log.error({ platform: 'teams', verb, err: (error as Error)?.name }, 'teams card action failed');
          }
          if (isMovedOn(error)) {
            const context = formSubmissionOf(data)?.context ?? {};
            const action = decisionAction(context);
            if (action) return { card: await statusCard(personId, action.itemType, action.itemId, words(error)) };
          }
          return { message: words(error) };
        }
      });
    },
  };
};
