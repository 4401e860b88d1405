import type { AddressInfo } from 'node:net';
import { App, isValidSlackRequest, LogLevel } from '@slack/bolt';
import { ErrorCode, LogLevel as WebLogLevel, WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkBlockKit } from '../support/block-kit-limits.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { blockActionPayload, interactionBody, postToSlack, signSlackBody, slashCommandBody, stateValue, viewSubmissionPayload } from '../support/slack-requests.js';

const quickRetries = { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 };
const logLevel = WebLogLevel.ERROR;
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('fake Slack Web API with the real WebClient', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeAll(async () => {
    fake = await startFakeSlack();
    client = new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: quickRetries, logLevel });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('records and decodes conversations.open and chat.postMessage with blocks', async () => {
    const opened = await client.conversations.open({ users: 'U123' });
    expect(opened.channel?.id).toBe('DU123');
    expect(fake.dmChannelFor('U123')).toBe('DU123');

    const blocks = [section('*Risk escalation* for case 42')];
    const posted = await client.chat.postMessage({ channel: 'DU123', text: 'Escalation', blocks });
    const second = await client.chat.postMessage({ channel: 'C1', text: '[not json' });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(second.ts).not.toBe(posted.ts);

    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.args).toMatchObject({ channel: 'DU123', text: 'Escalation', blocks });
    expect(call?.token).toBe('xoxb-test');
    expect(fake.messagesTo('U123')).toHaveLength(1);
    expect(fake.messagesTo('C1')[0]?.args.text).toBe('[not json');
    expect(fake.violations).toEqual([]);
  });

  it('answers auth.test, users.info and views like Slack', async () => {
    expect(await client.auth.test()).toMatchObject({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
    expect((await client.users.info({ user: 'U9' })).user).toMatchObject({ id: 'U9', tz: 'Europe/London', deleted: false });
    fake.setUser({ id: 'U9', deleted: true });
    expect((await client.users.info({ user: 'U9' })).user?.deleted).toBe(true);

    const view = { type: 'modal' as const, callback_id: 'refer', title: { type: 'plain_text' as const, text: 'Refer' }, blocks: [] };
    const opened = await client.views.open({ trigger_id: 't1', view });
    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view?.callback_id).toBe('refer');
    expect(fake.callsTo('views.open')[0]?.args.view).toEqual(view);
    expect((await client.apiCall('anything.else', { a: 1 })).ok).toBe(true);
  });

  it('retries after an injected 429 and the call lands', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const result = await client.chat.postMessage({ channel: 'C1', text: 'hello' });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const calls = fake.callsTo('chat.postMessage');
    expect(calls.map((c) => [c.failed, c.status])).toEqual([
      [true, 429],
      [false, 200],
    ]);
    expect(fake.messagesTo('C1')).toHaveLength(1);
  });

  it('surfaces Slack errors and HTTP 500s as WebClient errors', async () => {
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await expect(client.chat.postMessage({ channel: 'C404', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'channel_not_found' },
    });
    expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({ failed: true, error: 'channel_not_found' });

    fake.failAlways('users.info', { status: 500 });
    await expect(client.users.info({ user: 'U1' })).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    expect(fake.callsTo('users.info')).toHaveLength(3); // first try + 2 retries
    fake.clearFailures();
    expect((await client.users.info({ user: 'U1' })).ok).toBe(true);
  });

  it('delays responses with hang() so client timeouts fire', async () => {
    const impatient = new WebClient('xoxb-test', { slackApiUrl: fake.url, timeout: 100, retryConfig: { retries: 0 }, logLevel });
    fake.hang('chat.postMessage', 1000);
    await expect(impatient.chat.postMessage({ channel: 'C1', text: 'slow' })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
    });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('supports filesUploadV2 and response_url targets', async () => {
    const result = await client.filesUploadV2({ channel_id: 'C1', content: 'case,risk\n42,high\n', filename: 'report.csv' });
    expect(result.ok).toBe(true);
    const completed = fake.callsTo('files.completeUploadExternal')[0]?.args.files;
    expect(completed).toEqual([{ id: expect.stringMatching(/^F/), title: 'report.csv' }]);
    expect(fake.uploads[0]?.bytes.toString()).toBe('case,risk\n42,high\n');

    await fetch(fake.responseUrl('cmd-1'), { method: 'POST', body: JSON.stringify({ text: 'done' }), headers: { 'content-type': 'application/json' } });
    expect(fake.responsesTo('cmd-1')).toEqual([expect.objectContaining({ body: { text: 'done' } })]);
  });

  it('records Block Kit violations on received calls', async () => {
    // apiCall: the typed helper would (rightly) reject a mrkdwn header at compile time
    await client.apiCall('chat.postMessage', { channel: 'C1', text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] });
    expect(fake.violations).toEqual([expect.stringMatching(/^chat\.postMessage: blocks\[0\]\.text\.type: header text must be plain_text/)]);
  });
});

describe('rate-limit mode', () => {
  it('answers 429 when a channel gets more than perChannelPerSecond posts', async () => {
    const fake = await startFakeSlack({ rateLimit: { perChannelPerSecond: 2, retryAfterSeconds: 3 } });
    try {
      const client = new WebClient('xoxb-test', { slackApiUrl: fake.url, rejectRateLimitedCalls: true, logLevel });
      await client.chat.postMessage({ channel: 'C1', text: '1' });
      await client.chat.postMessage({ channel: 'C1', text: '2' });
      await client.chat.postMessage({ channel: 'C2', text: 'other channel' });
      await expect(client.chat.postMessage({ channel: 'C1', text: '3' })).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
        retryAfter: 3,
      });
      expect(fake.rateLimited).toBe(1);
      expect(fake.messagesTo('C1')).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });
});

describe('checkBlockKit', () => {
  it('flags a 25-char modal title and a 101-option select', () => {
    const options = Array.from({ length: 101 }, (_, i) => ({ text: { type: 'plain_text', text: `Option ${i}` }, value: `v${i}` }));
    const violations = checkBlockKit('views.open', {
      trigger_id: 't',
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'x'.repeat(25) },
        submit: { type: 'plain_text', text: 'Save' },
        blocks: [{ type: 'input', block_id: 'b', label: { type: 'plain_text', text: 'Pick' }, element: { type: 'static_select', action_id: 'a', options } }],
      },
    });
    expect(violations).toEqual(['view.title.text: view title is 25 chars (max 24)', 'view.blocks[0].element.options: select options is 101 items (max 100)']);
  });

  it('passes a good message and catches other limits', () => {
    const good = {
      channel: 'C1',
      text: 'Referral due',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Referral due' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Case 42*' }, fields: [{ type: 'mrkdwn', text: 'Due: today' }] },
        { type: 'divider' },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Chased 2x' }] },
        { type: 'actions', elements: [{ type: 'button', action_id: 'ack', value: '42', text: { type: 'plain_text', text: 'Acknowledge' }, style: 'primary' }] },
      ],
    };
    expect(checkBlockKit('chat.postMessage', good)).toEqual([]);
    expect(checkBlockKit('chat.postMessage', { ...good, blocks: JSON.stringify(good.blocks) })).toEqual([]);
    expect(checkBlockKit('conversations.open', { users: 'U1' })).toEqual([]);

    const bad = checkBlockKit('chat.update', {
      text: 'x'.repeat(40001),
      blocks: [
        { type: 'sectionn' },
        { type: 'section', block_id: 'b'.repeat(256), text: { type: 'markdown', text: 'x'.repeat(3001) } },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'y'.repeat(76) }, value: 'v'.repeat(2001) }] },
      ],
    });
    expect(bad).toEqual([
      'text: text is 40001 chars (max 40000)',
      'blocks[0].type: unknown or malformed block type "sectionn"',
      'blocks[1].block_id: block_id is 256 chars (max 255)',
      'blocks[1].text.type: text object type must be plain_text or mrkdwn (got "markdown")',
      'blocks[1].text.text: section text is 3001 chars (max 3000)',
      'blocks[2].elements[0].text.text: button text is 76 chars (max 75)',
      'blocks[2].elements[0].value: button value is 2001 chars (max 2000)',
    ]);
    expect(checkBlockKit('chat.postMessage', { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toEqual(['blocks: message blocks is 51 items (max 50)']);
  });
});

describe('signed requests against a real Bolt app', () => {
  const signingSecret = 'test-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let baseUrl: string;
  const seen: Record<string, unknown> = {};

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({ signingSecret, token: 'xoxb-test', clientOptions: { slackApiUrl: fake.url }, logLevel: LogLevel.ERROR });
    app.command('/duty', async ({ ack, command, client }) => {
      await ack('on it');
      await client.chat.postMessage({ channel: command.user_id, text: `you said ${command.text}` });
    });
    app.action('ack', async ({ ack, action }) => {
      await ack();
      seen.action = action;
    });
    app.view('refer', async ({ ack, view }) => {
      await ack();
      seen.view = view;
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.stop();
    await fake.close();
  });

  it('signs bodies the way Bolt verifies them', async () => {
    const body = slashCommandBody({ command: '/duty', text: 'status', userId: 'U123', responseUrl: fake.responseUrl('c1') });
    const headers = signSlackBody({ secret: signingSecret, body });
    expect(headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    const verify = (secret: string) =>
      isValidSlackRequest({
        signingSecret: secret,
        body,
        headers: { ...headers, 'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']) },
      });
    expect(verify(signingSecret)).toBe(true);
    expect(verify('another-secret')).toBe(false);

    const ok = await postToSlack({ baseUrl, secret: signingSecret, body });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('on it');
    const [message] = await fake.waitFor({ method: 'chat.postMessage' });
    expect(message?.args).toMatchObject({ channel: 'U123', text: 'you said status' });
    expect(fake.messagesTo('U123')).toHaveLength(1);

    expect((await postToSlack({ baseUrl, secret: 'wrong-secret', body })).status).toBe(401);
    expect((await postToSlack({ baseUrl, secret: signingSecret, body, signature: 'v0=deadbeef' })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 600;
    expect((await postToSlack({ baseUrl, secret: signingSecret, body, timestamp: stale })).status).toBe(401);
  });

  it('delivers block_actions and view_submission payloads Bolt understands', async () => {
    const action = blockActionPayload({ userId: 'U123', actionId: 'ack', value: 'case-42' });
    expect((await postToSlack({ baseUrl, secret: signingSecret, body: interactionBody(action) })).status).toBe(200);
    expect(seen.action).toMatchObject({ action_id: 'ack', value: 'case-42', type: 'button' });

    const submission = viewSubmissionPayload({
      userId: 'U123',
      callbackId: 'refer',
      privateMetadata: '{"caseId":42}',
      values: {
        reason: { reason_input: 'needs housing support' },
        due: { due_date: stateValue.date('2025-01-31') },
        risk: { risk_level: stateValue.select('high') },
        owner: { owner_user: stateValue.user('U777') },
        flags: { flag_boxes: stateValue.checkboxes(['urgent']) },
      },
    });
    expect((await postToSlack({ baseUrl, secret: signingSecret, body: interactionBody(submission) })).status).toBe(200);
    expect(seen.view).toMatchObject({
      private_metadata: '{"caseId":42}',
      state: {
        values: {
          reason: { reason_input: { type: 'plain_text_input', value: 'needs housing support' } },
          due: { due_date: { type: 'datepicker', selected_date: '2025-01-31' } },
          risk: { risk_level: { type: 'static_select', selected_option: { value: 'high' } } },
          owner: { owner_user: { selected_user: 'U777' } },
          flags: { flag_boxes: { selected_options: [{ value: 'urgent' }] } },
        },
      },
    });
  });
});
