/**
 * Bad requests to POST /slack/events and POST /api/messages: each refused with the right status, nothing stored,
 * nothing sent. Row counts of escalations, referrals, decisions, audit_log, outbox, deadlines, message_refs are
 * compared before and after every refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageActivity, postActivity } from '../support/bot-activities.js';
import { type FakeConnector, startFakeConnector } from '../support/fake-connector.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { blockActionPayload, interactionBody, signSlackBody, slashCommandBody, stateValue, viewSubmissionPayload } from '../support/slack-requests.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { SLACK } from '../support/test-org.js';
import { type Harness, escalationValues, openedView, submit } from '../slack/slack-harness.js';
import { SECRET, tableCounts, until } from './chaos-support.js';

const APP_ID = '00000000-0000-4000-8000-0000000c4a05';

describe('bad requests change nothing', () => {
  let fake: FakeSlack;
  let connector: FakeConnector;
  let t: TestApp;
  let h: Harness;
  const figures: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    connector = await startFakeConnector();
    t = await startTestApp({
      env: {
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: 'xoxb-chaos',
        SLACK_API_URL: fake.url,
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
        MICROSOFT_APP_TENANT_ID: '11111111-0000-4000-8000-000000000001',
      },
    });
    h = { t, fake, stop: async () => undefined };
  });
  afterAll(async () => {
    await t?.stop();
    await fake?.close();
    await connector?.close();
    console.info(`[figures] bad requests:\n  ${figures.join('\n  ')}`);
  });

  /** POST raw bytes to /slack/events with the given headers. */
  const raw = async (args: { body: string; headers: Record<string, string> }) => {
    const response = await fetch(`${t.baseUrl}/slack/events`, { method: 'POST', headers: args.headers, body: args.body });
    return { status: response.status, text: await response.text() };
  };
  const signed = (body: string, contentType = 'application/x-www-form-urlencoded', timestamp?: number) => ({
    'content-type': contentType,
    ...signSlackBody({ secret: SECRET, body, timestamp }),
  });

  /** Run a refusal; the store and the fake chat APIs must be exactly as before. */
  const refused = async (what: string, run: () => Promise<{ status: number }>, status: number) => {
    const before = await tableCounts(t.app);
    const calls = fake.calls.length;
    const sent = connector.requests.length;
    const answer = await run();
    expect(answer.status, what).toBe(status);
    await t.app.dispatcher.drain();
    expect(await tableCounts(t.app), what).toEqual(before);
    expect(fake.calls.length, what).toBe(calls);
    expect(connector.requests.length, what).toBe(sent);
    figures.push(`${what}: ${answer.status}, rows unchanged`);
  };

  const slashBody = slashCommandBody({ command: '/escalate', text: 'X123456', userId: SLACK.amara });
  const now = () => Math.floor(Date.now() / 1000);

  it('refuses forged, unsigned, stale and future-dated requests with 401', async () => {
    await refused('forged signature', () => raw({ body: slashBody, headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackBody({ secret: 'wrong', body: slashBody }) } }), 401);
    await refused('no signature', () => raw({ body: slashBody, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 401);
    await refused('stale timestamp (6 min)', () => raw({ body: slashBody, headers: signed(slashBody, undefined, now() - 6 * 60) }), 401);
    await refused('future timestamp (+6 min)', () => raw({ body: slashBody, headers: signed(slashBody, undefined, now() + 6 * 60) }), 401);
    await refused('signature of another body', () => raw({ body: slashBody.replace('X123456', 'X999999'), headers: signed(slashBody) }), 401);
  });

  it('refuses a replayed request (the identical signed body twice) and still passes Slack retries', async () => {
    const headers = signed(slashBody);
    const first = await raw({ body: slashBody, headers });
    expect(first.status).toBe(200);
    await fake.waitFor({ method: 'views.open', count: 1 });
    await refused('replayed slash command', () => raw({ body: slashBody, headers }), 401);
    expect(fake.callsTo('views.open')).toHaveLength(1);

    // A form submission replayed: the escalation is raised once.
    const view = await openedView(fake, 1);
    const body = interactionBody(
      viewSubmissionPayload({
        userId: SLACK.amara,
        callbackId: view.callbackId,
        privateMetadata: view.privateMetadata,
        values: Object.fromEntries(Object.entries(escalationValues({ crn: 'X123456' })).map(([k, v]) => [k, { value: typeof v === 'string' ? stateValue.text(v) : v }])),
      }),
    );
    const submissionHeaders = signed(body);
    const accepted = await raw({ body, headers: submissionHeaders });
    expect(JSON.parse(accepted.text)).toMatchObject({ response_action: 'update', view: { title: { text: 'Done' } } });
    await t.app.dispatcher.drain();
    await refused('replayed view_submission', () => raw({ body, headers: submissionHeaders }), 401);
    expect(await t.app.store.repos.items.escalationsByCrn('X123456')).toHaveLength(1);

    // Slack's own retry carries a new timestamp and signature (and x-slack-retry-num): it passes the guard.
    const event = JSON.stringify({
      token: 'verification-token',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'EvReplay',
      event_time: now(),
      event: { type: 'app_home_opened', user: SLACK.tom, channel: 'DU0TOM', tab: 'home', event_ts: '1700000000.000100' },
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    });
    expect((await raw({ body: event, headers: signed(event, 'application/json', now() - 2) })).status).toBe(200);
    const retry = await raw({ body: event, headers: { ...signed(event, 'application/json', now()), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    await fake.waitFor({ method: 'views.publish', count: 2 }); // both were handled (App Home published twice)
    figures.push('Slack retry of an event (new timestamp and signature, x-slack-retry-num: 1): 200, accepted');
  });

  it('refuses a body over 1 MB with 413 and malformed bodies with 400', async () => {
    const big = `payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission', junk: 'x'.repeat(1024 * 1024) }))}`;
    await refused('body of 1 MB + a little, signed', () => raw({ body: big, headers: signed(big) }), 413);
    const bigJson = JSON.stringify({ type: 'event_callback', junk: 'y'.repeat(2 * 1024 * 1024) });
    await refused('JSON body of 2 MB, signed', () => raw({ body: bigJson, headers: signed(bigJson, 'application/json') }), 413);
    await refused('malformed JSON, signed', () => raw({ body: '{"type": "event_callback", ', headers: signed('{"type": "event_callback", ', 'application/json') }), 400);
    const badForm = 'payload=%7B%22type%22%3A%22block_actions%22%2C';
    await refused('form with a truncated JSON payload, signed', () => raw({ body: badForm, headers: signed(badForm) }), 400);
    const badEncoding = 'payload=%E0%A4%A%ZZ';
    await refused('form with broken percent-encoding, signed', () => raw({ body: badEncoding, headers: signed(badEncoding) }), 400);
  });

  it('acks unknown action ids and changes nothing', async () => {
    const unknownDecision = interactionBody(blockActionPayload({ userId: SLACK.tom, actionId: 'escalation.launch', value: 'escalation:1:launch', responseUrl: fake.responseUrl('unknown-1') }));
    const before = await tableCounts(t.app);
    const answer = await raw({ body: unknownDecision, headers: signed(unknownDecision) });
    expect(answer.status).toBe(200);
    const reply = await until(() => fake.responsesTo('unknown-1')[0], 'the refusal');
    expect(JSON.stringify(reply.body)).toContain('not recognised any more. Nothing was changed');
    const foreign = interactionBody(blockActionPayload({ userId: SLACK.tom, actionId: 'some_other_app_button', value: 'x', responseUrl: fake.responseUrl('unknown-2') }));
    const acked = await raw({ body: foreign, headers: signed(foreign) });
    expect(acked.status).toBe(200);
    await t.app.dispatcher.drain();
    expect(await tableCounts(t.app)).toEqual(before);
    figures.push(`unknown decision action id: ${answer.status} + private "not recognised" reply; foreign action id: ${acked.status}; rows unchanged`);
  });

  it('refuses a view_submission for a view the bot never opened', async () => {
    const values = Object.fromEntries(Object.entries(escalationValues({ crn: 'X222222' })).map(([k, v]) => [k, { value: typeof v === 'string' ? stateValue.text(v) : v }]));
    for (const [what, privateMetadata] of [
      ['no private_metadata', ''],
      ['metadata with a forged MAC', JSON.stringify({ n: 'escalate', f: 'escalate', c: {}, u: SLACK.amara, s: 'forged' })],
      ['metadata that is not JSON', '{{{'],
    ] as const) {
      const body = interactionBody(viewSubmissionPayload({ userId: SLACK.amara, callbackId: 'escalate', privateMetadata, values }));
      let answer: { status: number; text: string } = { status: 0, text: '' };
      await refused(`view_submission, ${what}`, async () => (answer = await raw({ body, headers: signed(body) })), 200);
      expect(JSON.parse(answer.text)).toMatchObject({ response_action: 'update', view: { title: { text: 'Not saved' } } });
    }
    // A real form, submitted as somebody else.
    const view = await openedView(fake, 1);
    let stolen: { status: number; json?: unknown } = { status: 0 };
    await refused('view_submission of a form opened for another user', async () => (stolen = await submit(h, { userId: SLACK.ben, view, values: escalationValues({ crn: 'X333333' }) })), 200);
    expect(stolen.json).toMatchObject({ response_action: 'update', view: { title: { text: 'Not saved' } } });
  });

  it('refuses Teams activities without a valid token when MICROSOFT_APP_ID is set', async () => {
    const activity = messageActivity({ serviceUrl: connector.url, userAadId: '3f1e9a52-7c4b-4d2e-9a61-0000000000a1', text: 'escalate X123456' });
    await refused('Teams activity, no token', () => postActivity({ baseUrl: t.baseUrl, activity }), 401);
    await refused('Teams activity, token not a JWT', () => postActivity({ baseUrl: t.baseUrl, activity, token: 'not.a.jwt' }), 401);
    await refused(
      'Teams activity, Basic auth instead of Bearer',
      async () => {
        const response = await fetch(`${t.baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic YTpi' }, body: JSON.stringify(activity) });
        return { status: response.status };
      },
      401,
    );
  });
});
