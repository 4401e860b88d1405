/**
 * Drives the real app over HTTP as Slack would: signed slash commands, button clicks and form submissions
 * to POST /slack/events, with the fake Slack Web API on loopback recording every call.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Button, InputBlock, KnownBlock } from '@slack/types';
import { type FakeSlack, type SlackCall, startFakeSlack } from '../support/fake-slack.js';
import { type StateValue, blockActionPayload, interactionBody, postToSlack, slashCommandBody, stateValue, viewSubmissionPayload } from '../support/slack-requests.js';
import { type TestApp, startTestApp } from '../support/test-app.js';

export const SECRET = 'test-signing-secret-0123456789';

export interface Harness {
  t: TestApp;
  fake: FakeSlack;
  stop(): Promise<void>;
}

/** The app signed for Slack against a new fake Web API; `options` as startTestApp's (its env added to Slack's). */
export const startHarness = async (options: Parameters<typeof startTestApp>[0] = {}): Promise<Harness> => {
  const fake = await startFakeSlack();
  const t = await startTestApp({ ...options, env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.url, ...options.env } });
  return {
    t,
    fake,
    stop: async () => {
      await t.stop();
      await fake.close();
    },
  };
};

/** Poll until `check` returns something truthy (no timing assertions: only a generous upper bound). */
export const until = async <T>(check: () => T | Promise<T>, what = 'condition', timeoutMs = 5000): Promise<NonNullable<T>> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
};

export const slash = (h: Harness, args: { command: string; text: string; userId: string; responseUrl?: string; channelId?: string }) =>
  postToSlack({ baseUrl: h.t.baseUrl, secret: SECRET, body: slashCommandBody(args) });

export const interact = (h: Harness, payload: Record<string, unknown>) => postToSlack({ baseUrl: h.t.baseUrl, secret: SECRET, body: interactionBody(payload) });

/** The Block Kit blocks of a message call, typed by Slack's own `@slack/types`. */
export const blocksOf = (call: SlackCall): KnownBlock[] => (call.args.blocks as KnownBlock[] | undefined) ?? [];

export const buttonsOf = (call: SlackCall): Button[] =>
  blocksOf(call).flatMap((block) => (block.type === 'actions' ? block.elements.filter((element): element is Button => element.type === 'button') : []));

/** The visible text of one block: section text and fields, header, context elements, button labels. */
const blockText = (block: KnownBlock): string[] => {
  switch (block.type) {
    case 'section':
      return [block.text?.text ?? '', ...(block.fields ?? []).map((field) => field.text)];
    case 'header':
      return [block.text.text];
    case 'context':
      return block.elements.map((element) => ('text' in element && typeof element.text === 'string' ? element.text : ''));
    case 'actions':
      return block.elements.map((element) => (element.type === 'button' ? element.text.text : ''));
    default:
      return [''];
  }
};

/** All visible text of a message call (text, sections, fields, context). */
export const textOf = (call: SlackCall): string => [String(call.args.text ?? ''), ...blocksOf(call).flatMap(blockText)].join('\n');

/** The input block with this block_id in a view's blocks. */
export const inputBlock = (blocks: KnownBlock[], blockId: string): InputBlock | undefined => blocks.find((block): block is InputBlock => block.type === 'input' && block.block_id === blockId);

/** Successful chat.postMessage calls to a user's DM. */
export const dmsTo = (fake: FakeSlack, userId: string) => fake.callsTo('chat.postMessage').filter((call) => !call.failed && call.args.channel === fake.dmChannelFor(userId));

/** Click a button from a delivered message, as that user, in that message's channel. */
export const click = async (h: Harness, args: { userId: string; message: SlackCall; actionId: string; responseId?: string }) => {
  const button = buttonsOf(args.message).find((element) => element.action_id === args.actionId);
  if (!button?.value) throw new Error(`no ${args.actionId} button on that message`);
  const payload = blockActionPayload({
    userId: args.userId,
    actionId: args.actionId,
    value: button.value,
    channelId: String(args.message.args.channel),
    responseUrl: args.responseId ? h.fake.responseUrl(args.responseId) : undefined,
  });
  return interact(h, payload);
};

export interface OpenedView {
  callbackId: string;
  privateMetadata: string;
  triggerId: string;
  blocks: KnownBlock[];
  view: Record<string, unknown>;
}

/** The `count`-th views.open call (1-based), waiting for it. */
export const openedView = async (fake: FakeSlack, count: number): Promise<OpenedView> => {
  const calls = await fake.waitFor({ method: 'views.open', count });
  const call = calls[count - 1] as SlackCall;
  const view = call.args.view as Record<string, unknown>;
  return { callbackId: String(view.callback_id), privateMetadata: String(view.private_metadata ?? ''), triggerId: String(call.args.trigger_id), blocks: view.blocks as KnownBlock[], view };
};

/** Submit an opened view with values by block id (strings are text inputs). */
export const submit = (h: Harness, args: { userId: string; view: OpenedView; values: Record<string, StateValue | string>; privateMetadata?: string }) =>
  interact(
    h,
    viewSubmissionPayload({
      userId: args.userId,
      callbackId: args.view.callbackId,
      privateMetadata: args.privateMetadata ?? args.view.privateMetadata,
      values: Object.fromEntries(Object.entries(args.values).map(([blockId, value]) => [blockId, { value }])),
    }),
  );

export const escalationValues = (overrides: Record<string, StateValue | string> = {}): Record<string, StateValue | string> => ({
  crn: 'X123456',
  noms: stateValue.text(null),
  roshCurrent: stateValue.select('HIGH'),
  roshNew: stateValue.select('HIGH'),
  mappaCategory: stateValue.select(null),
  mappaLevel: stateValue.select(null),
  reason: stateValue.select('breach_or_new_offence'),
  urgency: stateValue.select('standard'),
  receivingUnitId: stateValue.select('north-pp'),
  summary: 'Breached licence conditions; new intelligence from police.',
  oasysReviewed: stateValue.checkboxes(['done']),
  ...overrides,
});

/** Raise an escalation through Slack as `userId`; returns the escalation id. */
export const raiseViaSlack = async (h: Harness, args: { userId: string; crn: string; summary?: string }) => {
  const before = h.fake.callsTo('views.open').length;
  await slash(h, { command: '/escalate', text: args.crn, userId: args.userId });
  const view = await openedView(h.fake, before + 1);
  const response = await submit(h, { userId: args.userId, view, values: escalationValues({ crn: args.crn, ...(args.summary ? { summary: args.summary } : {}) }) });
  if ((response.json as { response_action?: string })?.response_action !== 'update') throw new Error(`escalation not raised: ${response.text}`);
  const [row] = await h.t.app.store.repos.items.recentEscalations(1);
  return row!.id;
};

/** A snapshot of what a refusal must not change. */
export const storeSnapshot = async (h: Harness, escalationId: number) => ({
  row: await h.t.app.store.repos.items.escalation(escalationId),
  decisions: await h.t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: escalationId }]),
  outbox: (await h.t.app.store.repos.outbox.byDedupePrefix(`escalation:${escalationId}:`)).map((row) => row.dedupeKey),
});

/** Click a button that opens a form, and return that form (counted before the click: the modal opens after the ack). */
export const clickForForm = async (h: Harness, args: Parameters<typeof click>[1]) => {
  const next = h.fake.callsTo('views.open').length + 1;
  await click(h, args);
  return openedView(h.fake, next);
};
