// Shared set-up for the Teams tests: the real app on loopback, the fake connector as serviceUrl, Tom and Dev
// Teams-only (Entra object ids in the org file, upper-case there to prove the lower-case match), and helpers that
// post real Bot Framework activities and check every card with Microsoft's Adaptive Cards SDK (Teams host config).
import { expect } from 'vitest';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { actionExecuteActivity, installActivity, messageActivity, postActivity } from '../support/bot-activities.js';
import { taskFetchActivity, taskSubmitActivity } from '../support/bot-activities-ui.js';
import { type FakeConnector, type SentActivity, startFakeConnector } from '../support/fake-connector.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { buttonsOf, escalationValues } from '../slack/slack-harness.js';
import { blockActionPayload, interactionBody, postToSlack, slashCommandBody, viewSubmissionPayload } from '../support/slack-requests.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { exampleOrg } from '../support/test-org.js';

export const AAD = {
  tom: '3f1e9a52-7c4b-4d2e-9a61-0000000000a1',
  dev: '3f1e9a52-7c4b-4d2e-9a61-0000000000d2',
  stranger: '3f1e9a52-7c4b-4d2e-9a61-0000000000ff',
} as const;
export type TeamsPerson = keyof typeof AAD;

export const teamsOrg = () =>
  exampleOrg((text) =>
    text
      .replace('{ id: tom, name: Tom Reyes, slack: U0TOM }', `{ id: tom, name: Tom Reyes, teams: ${AAD.tom.toUpperCase()} }`)
      .replace('{ id: dev, name: Dev Patel, slack: U0DEV }', `{ id: dev, name: Dev Patel, teams: ${AAD.dev} }`),
  );

export type InvokeAnswer = { statusCode: number; type: string; value: unknown };
export type TaskAnswer = { task: { type: string; value: unknown } };
type Json = Record<string, unknown>;

export const conversationOf = (who: TeamsPerson) => `a:personal-1${AAD[who]}`;

const SLACK_SECRET = 'teams-test-slack-signing-secret';

export interface TeamsHarness {
  t: TestApp;
  fake: FakeConnector;
  /** The fake Slack Web API, when started with `slack: true` (Amara and the others stay on Slack). */
  slack: FakeSlack | null;
  /** Amara-style: `/escalate CRN` over signed Slack HTTP, then the modal submitted; returns the escalation id. */
  raiseViaSlack(args: { slackUserId: string; crn: string; summary: string }): Promise<number>;
  /** Click the newest button `actionId` in the person's Slack DMs (answered after the ack: poll for the effect). */
  clickOnSlack(args: { slackUserId: string; actionId: string }): Promise<void>;
  base: (who: TeamsPerson) => { serviceUrl: string; userAadId: string; userName: string };
  install(who: TeamsPerson): Promise<number>;
  say(who: TeamsPerson, text: string): Promise<{ status: number; replies: SentActivity[] }>;
  invoke(who: TeamsPerson, verb: string, data: Json): Promise<InvokeAnswer>;
  /** A dialog button clicked (task/fetch) or a dialog submitted (task/submit): the task answer's body. */
  task(who: TeamsPerson, kind: 'fetch' | 'submit', data: Json): Promise<TaskAnswer>;
  /** The card of a dialog left open (fails when the dialog closed with a message). */
  dialogOf(answer: TaskAnswer): Json;
  /** The card of an invoke answer (fails when the answer is a message). */
  cardOf(answer: InvokeAnswer): Json;
  /** Cards the fake received in new messages to this person's 1:1 conversation, in order. */
  cardsTo(who: TeamsPerson): Json[];
  expectAllCardsValid(): void;
  stop(): Promise<void>;
}

const NAMES: Record<TeamsPerson, string> = { tom: 'Tom Reyes', dev: 'Dev Patel', stranger: 'Sam Stranger' };

export const startTeamsHarness = async (options: { env?: Record<string, string>; slack?: boolean } = {}): Promise<TeamsHarness> => {
  const fake = await startFakeConnector();
  const slack = options.slack ? await startFakeSlack() : null;
  const slackEnv: Record<string, string> = slack ? { SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_BOT_TOKEN: 'xoxb-teams-test', SLACK_API_URL: slack.url } : {};
  // The unauthenticated loopback mode is an explicit choice (TEAMS_EMULATOR=1), as it is for a developer.
  const t = await startTestApp({ org: teamsOrg(), env: { TEAMS_EMULATOR: '1', ...slackEnv, ...options.env } });
  const base = (who: TeamsPerson) => ({ serviceUrl: fake.url, userAadId: AAD[who], userName: NAMES[who] });
  const cardOf = (answer: InvokeAnswer): Json => {
    expect(answer.type, `expected a card, got ${JSON.stringify(answer.value)}`).toBe('application/vnd.microsoft.card.adaptive');
    return answer.value as Json;
  };
  return {
    t,
    fake,
    slack,
    async raiseViaSlack({ slackUserId, crn, summary }) {
      if (!slack) throw new Error('start the harness with slack: true');
      const opened = slack.callsTo('views.open').length;
      const command = await postToSlack({ baseUrl: t.baseUrl, secret: SLACK_SECRET, body: slashCommandBody({ command: '/escalate', text: crn, userId: slackUserId }) });
      expect(command.status).toBe(200);
      const view = (await slack.waitFor({ method: 'views.open', count: opened + 1 }))[opened]!.args.view as Record<string, unknown>;
      const values = escalationValues({ crn, summary });
      const payload = viewSubmissionPayload({
        userId: slackUserId,
        callbackId: String(view.callback_id),
        privateMetadata: String(view.private_metadata ?? ''),
        values: Object.fromEntries(Object.entries(values).map(([blockId, value]) => [blockId, { value }])),
      });
      const submitted = await postToSlack({ baseUrl: t.baseUrl, secret: SLACK_SECRET, body: interactionBody(payload) });
      expect(submitted.status).toBe(200);
      const [row] = await t.app.store.repos.items.recentEscalations(1);
      expect(row?.crn).toBe(crn.toUpperCase());
      return row!.id;
    },
    async clickOnSlack({ slackUserId, actionId }) {
      if (!slack) throw new Error('start the harness with slack: true');
      const buttons = slack
        .callsTo('chat.postMessage')
        .filter((call) => !call.failed && call.args.channel === slack.dmChannelFor(slackUserId))
        .flatMap((call) => buttonsOf(call).map((element) => ({ element, channel: String(call.args.channel) })));
      const found = buttons.filter((button) => button.element.action_id === actionId).at(-1);
      expect(found?.element.value, `no ${actionId} button in ${slackUserId}'s DMs`).toBeDefined();
      const payload = blockActionPayload({ userId: slackUserId, actionId, value: found!.element.value!, channelId: found!.channel });
      const res = await postToSlack({ baseUrl: t.baseUrl, secret: SLACK_SECRET, body: interactionBody(payload) });
      expect(res.status).toBe(200);
    },
    base,
    async install(who) {
      const res = await postActivity({ baseUrl: t.baseUrl, activity: installActivity(base(who)) });
      return res.status;
    },
    async say(who, text) {
      const before = fake.activitiesTo(conversationOf(who)).length;
      const res = await postActivity({ baseUrl: t.baseUrl, activity: messageActivity({ ...base(who), text }) });
      return { status: res.status, replies: fake.activitiesTo(conversationOf(who)).slice(before) };
    },
    async invoke(who, verb, data) {
      const res = await postActivity({ baseUrl: t.baseUrl, activity: actionExecuteActivity({ ...base(who), verb, data }) });
      expect(res.status).toBe(200);
      const answer = res.json as InvokeAnswer;
      if (answer.type === 'application/vnd.microsoft.card.adaptive') fake.recordCard(answer.value as object);
      return answer;
    },
    async task(who, kind, data) {
      const activity = (kind === 'fetch' ? taskFetchActivity : taskSubmitActivity)({ ...base(who), data });
      const res = await postActivity({ baseUrl: t.baseUrl, activity });
      expect(res.status).toBe(200);
      const answer = res.json as TaskAnswer;
      const card = answer.task.type === 'continue' ? (answer.task.value as { card: { content: object } }).card.content : undefined;
      if (card) fake.recordCard(card);
      return answer;
    },
    dialogOf(answer) {
      expect(answer.task.type, `expected a dialog, got ${JSON.stringify(answer.task.value)}`).toBe('continue');
      return (answer.task.value as { card: { content: Json } }).card.content;
    },
    cardOf,
    cardsTo(who) {
      return fake
        .activitiesTo(conversationOf(who))
        .flatMap((activity) => activity.attachments ?? [])
        .filter((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')
        .map((attachment) => attachment.content as Json);
    },
    expectAllCardsValid() {
      const cards = fake.cards();
      const problems = cards.flatMap((card, index) => validateAdaptiveCard(card).map((problem) => `card ${index}: ${problem}`));
      expect(problems).toEqual([]);
    },
    async stop() {
      await t.stop();
      await fake.close();
      await slack?.close();
    },
  };
};

/** Poll until `check` holds (Slack answers after the ack); a generous bound, never a timing assertion. */
export const until = async (check: () => Promise<boolean>, what: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Every button in a card: Action.Execute, and Action.Submit (a dialog to open); card-level and in ActionSets. */
export const executeActions = (card: Json): Json[] => {
  const found: Json[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Json;
    if (record.type === 'Action.Execute' || record.type === 'Action.Submit') found.push(record);
    for (const [key, value] of Object.entries(record)) if (key !== 'data') walk(value);
  };
  walk(card);
  return found;
};

export const actionNamed = (card: Json, verb: string): Json => {
  const action = executeActions(card).find((candidate) => candidate.verb === verb || (candidate.data as Json | undefined)?.action === verb);
  expect(action, `no ${verb} button in ${JSON.stringify(executeActions(card).map((a) => a.verb))}`).toBeDefined();
  return action as Json;
};

/** Every TextBlock text and fact in a card, joined: for "the card says …" assertions. */
export const cardText = (card: Json): string => {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Json;
    if (record.type === 'TextBlock' && typeof record.text === 'string') parts.push(record.text);
    if (typeof record.title === 'string' && typeof record.value === 'string') parts.push(`${record.title}: ${record.value}`);
    for (const value of Object.values(record)) walk(value);
  };
  walk(card);
  return parts.join('\n');
};

/** Input ids of a form card. */
export const inputIds = (card: Json): string[] => ((card.body as Json[]) ?? []).filter((element) => String(element.type).startsWith('Input.')).map((element) => element.id as string);

/** A button's action id: the verb of an Action.Execute, or the `action` in a dialog button's (task/fetch) data. */
export const actionIdOf = (action: Json): string | undefined => (typeof action.verb === 'string' ? action.verb : ((action.data as Json | undefined)?.action as string | undefined));

/** Whether a button opens a Teams dialog (an Action.Submit whose data asks for `task/fetch`). */
export const opensDialog = (action: Json): boolean => action.type === 'Action.Submit' && ((action.data as Json | undefined)?.msteams as Json | undefined)?.type === 'task/fetch';
