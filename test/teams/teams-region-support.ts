// A Teams-only region for tests: every person of the example org on Teams only (no Slack id), every unit's channel a
// Teams channel in one team, the real app on loopback in the explicit emulator mode, and helpers that post real Bot
// Framework activities (personal installs, the team install, typed commands, card clicks) over HTTP.
import { expect } from 'vitest';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { actionExecuteActivity, installActivity, messageActivity, postActivity, teamInstallActivity } from '../support/bot-activities.js';
import { taskFetchActivity, taskSubmitActivity } from '../support/bot-activities-ui.js';
import { type FakeConnector, type SentActivity, startFakeConnector } from '../support/fake-connector.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { SLACK, exampleOrg } from '../support/test-org.js';

export type RegionPerson = keyof typeof SLACK;
export const aadOf = (who: RegionPerson) => `5a7e0c11-2d3b-4c4d-8e5f-${Object.keys(SLACK).indexOf(who).toString(16).padStart(12, '0')}`;
export const TEAM_ID = '19:general-north-region@thread.tacv2';
export const CHANNEL = {
  'north-3': '19:north-team-3@thread.tacv2',
  'north-5': '19:north-team-5@thread.tacv2',
  'north-pp': '19:north-ppu@thread.tacv2',
  'gateway-resettle': '19:gateway-resettlement@thread.tacv2',
} as const;
const SLACK_CHANNEL: Record<keyof typeof CHANNEL, string> = { 'north-3': 'C0NORTH3', 'north-5': 'C0NORTH5', 'north-pp': 'C0NORTHPP', 'gateway-resettle': 'C0GATEWAY' };

/** The example org with Teams ids instead of Slack ids, and `channel.teams` instead of `channel.slack`. */
export const teamsOnlyOrg = (options: { channels?: readonly (keyof typeof CHANNEL)[] } = {}) =>
  exampleOrg((text) => {
    let out = text.replace(/\{ id: ([a-z]+), name: ([^,]+), slack: U0[A-Z]+/g, (_, id: string, name: string) => `{ id: ${id}, name: ${name}, teams: ${aadOf(id as RegionPerson)}`);
    for (const unit of options.channels ?? (Object.keys(CHANNEL) as (keyof typeof CHANNEL)[])) {
      out = out.replace(`channel: { slack: ${SLACK_CHANNEL[unit]} }`, `channel: { teams: "${CHANNEL[unit]}" }`);
    }
    return out;
  });

export const personalConversation = (who: RegionPerson) => `a:personal-1${aadOf(who)}`;
type Json = Record<string, unknown>;

export interface Region {
  t: TestApp;
  fake: FakeConnector;
  /** The app added to the team holding every unit channel (the fake connector lists its channels). */
  installInTeam(): Promise<void>;
  installFor(who: RegionPerson): Promise<void>;
  /** Type in the personal chat; the bot's replies in that chat. */
  say(who: RegionPerson, text: string): Promise<SentActivity[]>;
  /** An Action.Execute click; the invoke answer (a card or a message). */
  invoke(who: RegionPerson, verb: string, data: Json): Promise<{ type: string; value: unknown }>;
  /** A dialog button clicked (task/fetch) or a dialog submitted (task/submit): the task answer's body. */
  task(who: RegionPerson, kind: 'fetch' | 'submit', data: Json): Promise<{ task: { type: string; value: unknown } }>;
  /** Cards sent to this person's 1:1 chat, in order. */
  cardsTo(who: RegionPerson): Json[];
  expectAllCardsValid(): void;
  stop(): Promise<void>;
}

export const startRegion = async (
  options: { env?: Record<string, string>; org?: ReturnType<typeof teamsOnlyOrg>; now?: string; logDestination?: { write(chunk: string): void } } = {},
): Promise<Region> => {
  const fake = await startFakeConnector();
  fake.addTeam({
    teamId: TEAM_ID,
    channels: [{ id: TEAM_ID }, ...Object.entries(CHANNEL).map(([unit, id]) => ({ id, name: unit }))],
  });
  const t = await startTestApp({
    org: options.org ?? teamsOnlyOrg(),
    env: { TEAMS_EMULATOR: '1', ...options.env },
    ...(options.now ? { now: options.now } : {}),
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
  });
  const base = (who: RegionPerson) => ({ serviceUrl: fake.url, userAadId: aadOf(who), userName: who });
  const post = async (activity: object) => {
    const res = await postActivity({ baseUrl: t.baseUrl, activity });
    expect(res.status, res.text).toBe(200);
    return res;
  };
  return {
    t,
    fake,
    async installInTeam() {
      await post(teamInstallActivity({ serviceUrl: fake.url, teamId: TEAM_ID, teamName: 'North Region Probation' }));
    },
    async installFor(who) {
      await post(installActivity(base(who)));
    },
    async say(who, text) {
      const before = fake.activitiesTo(personalConversation(who)).length;
      await post(messageActivity({ ...base(who), text }));
      return fake.activitiesTo(personalConversation(who)).slice(before);
    },
    async invoke(who, verb, data) {
      const res = await post(actionExecuteActivity({ ...base(who), verb, data }));
      const answer = res.json as { type: string; value: unknown };
      if (answer.type === 'application/vnd.microsoft.card.adaptive') fake.recordCard(answer.value as object);
      return answer;
    },
    async task(who, kind, data) {
      const res = await post((kind === 'fetch' ? taskFetchActivity : taskSubmitActivity)({ ...base(who), data }));
      const answer = res.json as { task: { type: string; value: unknown } };
      if (answer.task.type === 'continue') fake.recordCard((answer.task.value as { card: { content: object } }).card.content);
      return answer;
    },
    cardsTo(who) {
      return fake
        .activitiesTo(personalConversation(who))
        .flatMap((activity) => activity.attachments ?? [])
        .filter((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')
        .map((attachment) => attachment.content as Json);
    },
    expectAllCardsValid() {
      const problems = fake.cards().flatMap((card, index) => validateAdaptiveCard(card).map((problem) => `card ${index}: ${problem}`));
      expect(problems).toEqual([]);
    },
    async stop() {
      await t.stop();
      await fake.close();
    },
  };
};

/** The cards of a channel post or update (create-conversation body.activity, or a PUT body). */
export const cardsOfActivity = (activity: { attachments?: { contentType?: string; content?: unknown }[] }): Json[] =>
  (activity.attachments ?? []).filter((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive').map((attachment) => attachment.content as Json);
