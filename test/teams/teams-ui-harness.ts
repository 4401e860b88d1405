// Set-up for the Teams dialog, file, mention and home tests: the real app with every person on Slack and Teams (the
// parity org), the fake connector as serviceUrl, and helpers that post real Bot Framework activities.
import { expect } from 'vitest';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { botAddedActivity, installActivity, messageActivity, postActivity } from '../support/bot-activities.js';
import { fileConsentActivity, groupMentionActivity, taskFetchActivity, taskSubmitActivity } from '../support/bot-activities-ui.js';
import type { SentActivity } from '../support/fake-connector.js';
import { cardText, executeActions } from './teams-harness.js';
import { type Parity, type Person, aadOf, startParity } from '../interaction/parity-support.js';

type Json = Record<string, unknown>;
export const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
export const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

export const personalOf = (who: Person) => `a:personal-1${aadOf(who)}`;
export type TaskBody = { task: { type: 'continue'; value: { title: string; card: { contentType: string; content: Json } } } | { type: 'message'; value: string } };

export const startTeamsUi = async () => {
  const p: Parity = await startParity();
  const base = (who: Person) => ({ serviceUrl: p.teams.url, userAadId: aadOf(who), userName: who });
  const post = async (activity: object) => {
    const res = await postActivity({ baseUrl: p.t.baseUrl, activity });
    expect(res.status, res.text).toBe(200);
    return res.json;
  };
  /** New activities in a conversation while `work` runs. */
  const during = async (conversationId: string, work: () => Promise<unknown>): Promise<{ result: unknown; sent: SentActivity[] }> => {
    const before = p.teams.activitiesTo(conversationId).length;
    const result = await work();
    return { result, sent: p.teams.activitiesTo(conversationId).slice(before) };
  };
  return {
    p,
    base,
    /** installationUpdate then conversationUpdate, as Teams sends them for one install in the personal scope. */
    install: (who: Person) =>
      during(personalOf(who), async () => {
        await post(installActivity(base(who)));
        await post(botAddedActivity(base(who)));
      }),
    say: (who: Person, text: string) => during(personalOf(who), () => post(messageActivity({ ...base(who), text }))),
    mention: (who: Person, text: string, groupId: string, channel = false) => post(groupMentionActivity({ ...base(who), text, groupId, channel })),
    fetch: async (who: Person, data: Json) => (await post(taskFetchActivity({ ...base(who), data }))) as TaskBody,
    submit: (who: Person, data: Json) => during(personalOf(who), async () => (await post(taskSubmitActivity({ ...base(who), data }))) as TaskBody),
    consent: (who: Person, args: Omit<Parameters<typeof fileConsentActivity>[0], 'serviceUrl' | 'userAadId'>) => during(personalOf(who), () => post(fileConsentActivity({ ...base(who), ...args }))),
    stop: () => p.stop(),
  };
};

export const attachmentsOf = (sent: SentActivity[], contentType: string) => sent.flatMap((activity) => activity.attachments ?? []).filter((a) => a.contentType === contentType);
export const cardsOf = (sent: SentActivity[]) => attachmentsOf(sent, ADAPTIVE).map((a) => a.content as Json);

/** The dialog's card (fails when the dialog closed with a message). */
export const dialogCard = (body: TaskBody): Json => {
  expect(body.task.type, JSON.stringify(body)).toBe('continue');
  const card = (body.task as { value: { card: { contentType: string; content: Json } } }).value.card;
  expect(card.contentType).toBe(ADAPTIVE);
  expect(validateAdaptiveCard(card.content)).toEqual([]);
  return card.content;
};

/** Every button of a card: Action.Execute (verb) and Action.Submit (data), card-level and in ActionSets. */
export const buttonsOf = executeActions;

export const inputsOf = (card: Json) => ((card.body as Json[]) ?? []).filter((element) => String(element.type).startsWith('Input.'));

/** Every TextBlock text and fact in a card, joined (the main Teams harness's reading). */
export const textOf = cardText;
