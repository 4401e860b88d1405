// One app with both platforms on loopback fakes, every person reachable on Slack and on Teams, and a driver that
// takes one decision through either platform over HTTP and says what the person saw.
import { expect } from 'vitest';
import { actionExecuteActivity, postActivity } from '../support/bot-activities.js';
import { type FakeConnector, startFakeConnector } from '../support/fake-connector.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type StateValue, blockActionPayload, interactionBody, postToSlack, stateValue, viewSubmissionPayload } from '../support/slack-requests.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { SLACK, exampleOrg } from '../support/test-org.js';
import type { AppOptions } from '../../src/app.js';

const SECRET = 'parity-test-slack-signing-secret';
export type Person = keyof typeof SLACK;
export const aadOf = (who: Person) => `3f1e9a52-7c4b-4d2e-9a61-${Object.keys(SLACK).indexOf(who).toString(16).padStart(12, '0')}`;

/** The example org with every person on Teams as well as Slack. */
export const bothPlatformsOrg = () =>
  exampleOrg((text) =>
    text.replace(/\{ id: ([a-z]+), name: ([^,]+), slack: (U0[A-Z]+)/g, (_, id: string, name: string, slack: string) => `{ id: ${id}, name: ${name}, slack: ${slack}, teams: ${aadOf(id as Person)}`),
  );

export interface Seen {
  /** The click opened a form (a Slack modal, a Teams card with inputs). */
  opensForm: boolean;
  /** The words of a refusal, when refused (at the click or at the submit). */
  refusal: string | null;
}

export interface Parity {
  t: TestApp;
  slack: FakeSlack;
  teams: FakeConnector;
  /** Click `actionId` on item `value` as `who`, then (when a form opens) submit `values`. */
  act(args: { platform: 'slack' | 'teams'; who: Person; value: string; actionId: string; values: Record<string, string> }): Promise<Seen>;
  stop(): Promise<void>;
}

const until = async <T>(check: () => T | undefined, what: string): Promise<T> => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const slackValue = (name: string, value: string): StateValue => (name === 'personId' ? stateValue.select(value) : name === 'releaseDate' ? stateValue.date(value) : stateValue.text(value));

export const startParity = async (options: Pick<AppOptions, 'workflows'> & { org?: AppOptions['org'] } = {}): Promise<Parity> => {
  const slack = await startFakeSlack();
  const teams = await startFakeConnector();
  const t = await startTestApp({
    org: options.org ?? bothPlatformsOrg(),
    env: { TEAMS_EMULATOR: '1', SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-parity', SLACK_API_URL: slack.url },
    ...(options.workflows ? { workflows: options.workflows } : {}),
  });
  const teamsBase = (who: Person) => ({ serviceUrl: teams.url, userAadId: aadOf(who), userName: who });
  const invoke = async (who: Person, verb: string, data: Record<string, unknown>) => {
    const res = await postActivity({ baseUrl: t.baseUrl, activity: actionExecuteActivity({ ...teamsBase(who), verb, data }) });
    expect(res.status).toBe(200);
    return res.json as { type: string; value: unknown };
  };
  const slackPost = (payload: unknown) => postToSlack({ baseUrl: t.baseUrl, secret: SECRET, body: interactionBody(payload) });

  const viaSlack = async (args: { who: Person; value: string; actionId: string; values: Record<string, string> }): Promise<Seen> => {
    const userId = SLACK[args.who];
    const opened = slack.callsTo('views.open').length;
    const replied = slack.callsTo('chat.postEphemeral').length;
    const click = await slackPost(blockActionPayload({ userId, actionId: args.actionId, value: args.value, channelId: slack.dmChannelFor(userId) }));
    expect(click.status).toBe(200);
    const answer = await until(() => {
      if (slack.callsTo('views.open').length > opened) return 'form' as const;
      const reply = slack.callsTo('chat.postEphemeral')[replied];
      return reply ? (String(reply.args.text) as string) : undefined;
    }, `Slack's answer to ${args.actionId}`);
    if (answer !== 'form') return { opensForm: false, refusal: /: done for /.test(answer) ? null : answer };
    const view = slack.callsTo('views.open')[opened]!.args.view as Record<string, unknown>;
    const blocks = (view.blocks as { type: string; block_id?: string }[]).filter((block) => block.type === 'input').map((block) => block.block_id as string);
    const values = Object.fromEntries(blocks.filter((name) => args.values[name]).map((name) => [name, { value: slackValue(name, args.values[name] as string) }]));
    const submitted = await slackPost(viewSubmissionPayload({ userId, callbackId: String(view.callback_id), privateMetadata: String(view.private_metadata), values }));
    const response = submitted.json as { response_action?: string; view?: { title?: { text: string }; blocks?: { text?: { text: string } }[] }; errors?: Record<string, string> };
    if (response.response_action === 'errors') return { opensForm: true, refusal: Object.values(response.errors ?? {}).join(' ') };
    const title = response.view?.title?.text;
    return { opensForm: true, refusal: title === 'Not done' ? (response.view?.blocks?.[0]?.text?.text ?? '') : null };
  };

  const viaTeams = async (args: { who: Person; value: string; actionId: string; values: Record<string, string> }): Promise<Seen> => {
    const answer = await invoke(args.who, args.actionId, { value: args.value, needsForm: false });
    if (answer.type === 'application/vnd.microsoft.activity.message') return { opensForm: false, refusal: String(answer.value) };
    const card = answer.value as { body: { type: string; id?: string }[]; actions?: { verb?: string; data?: Record<string, unknown> }[] };
    const inputs = card.body.filter((element) => element.type.startsWith('Input.')).map((element) => element.id as string);
    if (inputs.length === 0) return { opensForm: false, refusal: null };
    const submit = card.actions?.find((action) => action.verb === 'form.submit');
    const values = Object.fromEntries(inputs.filter((name) => args.values[name]).map((name) => [name, args.values[name]]));
    const done = await invoke(args.who, 'form.submit', { ...(submit?.data ?? {}), ...values });
    if (done.type === 'application/vnd.microsoft.activity.message') return { opensForm: true, refusal: String(done.value) };
    return { opensForm: true, refusal: null };
  };

  return {
    t,
    slack,
    teams,
    act: (args) => (args.platform === 'slack' ? viaSlack(args) : viaTeams(args)),
    async stop() {
      await t.stop();
      await slack.close();
      await teams.close();
    },
  };
};
