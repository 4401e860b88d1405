import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlackSocket, startFakeSlackSocket } from '../support/fake-slack-socket.js';
import type { SlackCall } from '../support/fake-slack.js';
import { blockActionPayload, slashCommandBody, stateValue, viewSubmissionPayload } from '../support/slack-requests.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { SLACK } from '../support/test-org.js';
import { SECRET, buttonsOf, dmsTo, escalationValues, openedView, textOf, until, type OpenedView } from './slack-harness.js';

/** Slack without a public URL: the same journey as over HTTP, over a Socket Mode connection to the fake. */
describe('Slack over Socket Mode', () => {
  let socket: FakeSlackSocket;
  let t: TestApp;
  beforeAll(async () => {
    socket = await startFakeSlackSocket();
    t = await startTestApp({ env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-1-A1-test', SLACK_API_URL: socket.fake.url } });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await socket?.close();
  });

  const fake = () => socket.fake;
  const readyz = async () => {
    const response = await fetch(`${t.baseUrl}/readyz`);
    return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
  };
  const slash = (args: { command: string; text: string; userId: string }) => socket.deliver({ type: 'slash_commands', payload: Object.fromEntries(new URLSearchParams(slashCommandBody(args))) });
  const click = (args: { userId: string; message: SlackCall; actionId: string; responseId?: string; envelopeId?: string }) => {
    const button = buttonsOf(args.message).find((element) => element.action_id === args.actionId);
    if (!button?.value) throw new Error(`no ${args.actionId} button`);
    return socket.deliver({
      type: 'interactive',
      envelopeId: args.envelopeId,
      payload: blockActionPayload({
        userId: args.userId,
        actionId: args.actionId,
        value: button.value,
        channelId: String(args.message.args.channel),
        responseUrl: args.responseId ? fake().responseUrl(args.responseId) : undefined,
      }),
    });
  };
  const submit = (args: { userId: string; view: OpenedView; values: Record<string, unknown>; envelopeId?: string }) =>
    socket.deliver({
      type: 'interactive',
      envelopeId: args.envelopeId,
      payload: viewSubmissionPayload({
        userId: args.userId,
        callbackId: args.view.callbackId,
        privateMetadata: args.view.privateMetadata,
        values: Object.fromEntries(Object.entries(args.values).map(([blockId, value]) => [blockId, { value: value as string }])),
      }),
    });
  const reply = (id: string) => until(() => fake().responsesTo(id)[0], `a reply on ${id}`).then((r) => (r.body as { text: string }).text);
  const escalation = async () => (await t.app.store.repos.items.recentEscalations(5))[0]!;

  it('connects with the app token, then carries an escalation to closed through a refused click, a forced reconnect and double clicks', { timeout: 120_000 }, async () => {
    await socket.waitForConnection(1);
    expect(
      fake()
        .callsTo('apps.connections.open')
        .map((call) => call.token),
    ).toEqual(['xapp-1-A1-test']);
    await until(async () => (await readyz()).status === 200, '/readyz 200');
    expect((await readyz()).body.checks).toEqual({ database: 'ok', migrations: 'ok', org: 'ok', slackSocket: 'ok' });

    // /escalate: the command is acknowledged on the socket and the form opens.
    const command = await slash({ command: '/escalate', text: 'x123456', userId: SLACK.amara });
    expect(command.envelopeId).toMatch(/\S/);
    const form = await openedView(fake(), 1);
    const submitted = await submit({ userId: SLACK.amara, view: form, values: escalationValues() });
    expect(submitted.payload).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(submitted.payload)).toMatch(/ESC-000001 raised for X123456\. Tom Reyes has been asked to countersign/);
    await t.app.dispatcher.drain();
    const toTom = dmsTo(fake(), SLACK.tom)[0]!;
    expect(buttonsOf(toTom).map((button) => button.action_id)).toEqual(['escalation.countersign', 'escalation.return']);

    // A refused click: Amara cannot countersign her own escalation; nothing changes.
    await click({ userId: SLACK.amara, message: toTom, actionId: 'escalation.countersign', responseId: 'own' });
    expect(await reply('own')).toMatch(/^You raised this escalation, so you cannot countersign or return it yourself/);
    expect((await escalation()).state).toBe('awaiting_countersign');

    // Mid-flow Slack asks for a refresh: no socket for a moment (/readyz 503), then the client reconnects by itself.
    socket.requestRefresh();
    await until(async () => (await readyz()).status === 503, '/readyz 503 while no socket is open', 10_000);
    expect((await readyz()).body.checks.slackSocket).toBe('failing');
    await socket.waitForConnection(2);
    await until(async () => (await readyz()).status === 200, '/readyz 200 again', 10_000);
    expect(fake().callsTo('apps.connections.open')).toHaveLength(2);

    // Tom countersigns over the new connection.
    await click({ userId: SLACK.tom, message: toTom, actionId: 'escalation.countersign' });
    const rationale = await openedView(fake(), 2);
    await submit({ userId: SLACK.tom, view: rationale, values: { rationale: 'Agreed.' } });
    expect((await escalation()).state).toBe('awaiting_acceptance');
    await t.app.dispatcher.drain();

    // Dev accepts; the same form submitted twice at once (two envelopes) makes one transition.
    const toDev = dmsTo(fake(), SLACK.dev)[0]!;
    await click({ userId: SLACK.dev, message: toDev, actionId: 'escalation.accept' });
    const accept = await openedView(fake(), 3);
    const values = { personId: stateValue.select('omar'), rationale: 'Accepted.' };
    const both = await Promise.all([submit({ userId: SLACK.dev, view: accept, values }), submit({ userId: SLACK.dev, view: accept, values })]);
    const texts = both.map((ack) => JSON.stringify(ack.payload)).sort();
    expect(texts[0]).toMatch(/Accept: done for ESC-000001/);
    expect(texts[1]).toMatch(/Already done: accepted by Dev Patel at 10:00\./);
    const decisions = await t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: 1 }]);
    expect(decisions.filter((d) => d.action === 'accept')).toHaveLength(1);
    await t.app.dispatcher.drain();

    // A double click on Handover done: one success, one refusal, one transition.
    const toOmar = dmsTo(fake(), SLACK.omar).find((call) => buttonsOf(call).some((b) => b.action_id === 'escalation.confirm_handover'))!;
    await Promise.all([
      click({ userId: SLACK.omar, message: toOmar, actionId: 'escalation.confirm_handover', responseId: 'double-1' }),
      click({ userId: SLACK.omar, message: toOmar, actionId: 'escalation.confirm_handover', responseId: 'double-2' }),
    ]);
    const replies = await Promise.all([reply('double-1'), reply('double-2')]);
    expect(replies.filter((text) => /^Handover done: done for ESC-000001/.test(text))).toHaveLength(1);
    expect(replies.filter((text) => /^(You have already confirmed the handover|Already done: handover confirmed by Omar Haddad at 10:00\.)/.test(text))).toHaveLength(1);
    await t.app.dispatcher.drain();
    const toAmara = dmsTo(fake(), SLACK.amara).find((call) => buttonsOf(call).some((b) => b.action_id === 'escalation.confirm_handover'))!;
    await click({ userId: SLACK.amara, message: toAmara, actionId: 'escalation.confirm_handover', responseId: 'amara-handover' });
    expect(await reply('amara-handover')).toMatch(/^Handover done: done for ESC-000001/);
    expect((await escalation()).state).toBe('closed');
    expect(textOf(toTom)).toContain('X123456');
  });

  it('reconnects by itself after the connection drops, and handles an envelope redelivered after the reconnect once', { timeout: 120_000 }, async () => {
    const before = socket.connections;
    const opened = fake().callsTo('views.open').length;
    await slash({ command: '/escalate', text: 'X222222', userId: SLACK.ben });
    const form = await openedView(fake(), opened + 1);
    const envelopeId = 'envelope-redelivered-1';
    const first = await submit({ userId: SLACK.ben, view: form, values: escalationValues({ crn: 'X222222' }), envelopeId });
    expect(first.payload).toMatchObject({ response_action: 'update' });
    const raised = (await t.app.store.repos.items.recentEscalations(10)).filter((row) => row.crn === 'X222222');
    expect(raised).toHaveLength(1);

    // The network drops (no close handshake); the client notices, opens a new connection and says hello again.
    socket.drop();
    await until(async () => (await readyz()).status === 503, '/readyz 503 after the drop', 10_000);
    await socket.waitForConnection(before + 1);
    await until(async () => (await readyz()).status === 200, '/readyz 200 after reconnecting', 10_000);

    // Slack did not see the ack before the drop, so it redelivers the same envelope: acknowledged, not raised twice.
    const again = await submit({ userId: SLACK.ben, view: form, values: escalationValues({ crn: 'X222222' }), envelopeId });
    expect(again.envelopeId).toBe(envelopeId);
    expect((await t.app.store.repos.items.recentEscalations(10)).filter((row) => row.crn === 'X222222')).toHaveLength(1);
    expect(socket.acks.filter((ack) => ack.envelopeId === envelopeId)).toHaveLength(2);
  });
});
