import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTeamsBot, isLoopbackAddress, TeamsDeliveryError, type TeamsBot, type TeamsHandlers } from '../../src/teams/teams-endpoint.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { actionExecuteActivity, botAddedActivity, installActivity, messageActivity, postActivity } from '../support/bot-activities.js';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';

const AAD = '7f0c1d2e-0000-4000-8000-00000000a3a3';

function echoCard(text: string): object {
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    msteams: { width: 'Full' },
    body: [
      { type: 'TextBlock', text, wrap: true },
      { type: 'Input.Text', id: 'rationale', label: 'Rationale', isMultiline: true },
    ],
    actions: [{ type: 'Action.Execute', title: 'Decide', verb: 'decide', data: { itemId: 'i-1' } }],
  };
}

async function listen(bot: TeamsBot): Promise<{ server: Server; baseUrl: string }> {
  const app = express();
  app.post('/api/messages', express.json(), (req, res) => bot.handle(req, res));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('Teams endpoint on the Agents SDK (no app id, loopback)', () => {
  let fake: FakeConnector;
  let bot: TeamsBot;
  let server: Server;
  let baseUrl: string;
  const calls: Array<{ kind: string; args: Record<string, unknown> }> = [];
  let cardActionResult: { card?: object; message?: string } | Error = {};

  const handlers: TeamsHandlers = {
    async onMessage(args) {
      calls.push({ kind: 'message', args });
      await args.reply({ text: `echo: ${args.text}`, card: echoCard(args.text) });
    },
    async onCardAction(args) {
      calls.push({ kind: 'card', args });
      if (cardActionResult instanceof Error) throw cardActionResult;
      return cardActionResult;
    },
    async onInstall(args) {
      calls.push({ kind: 'install', args });
    },
  };

  beforeAll(async () => {
    fake = await startFakeConnector();
    bot = createTeamsBot({ handlers, botName: 'dutydesk', emulator: true });
    ({ server, baseUrl } = await listen(bot));
  });
  afterAll(async () => {
    await close(server);
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    calls.length = 0;
    cardActionResult = {};
  });

  it('is unauthenticated without an app id', () => {
    expect(bot.authenticated).toBe(false);
  });

  it('passes a message to onMessage and delivers the reply to the connector', async () => {
    const activity = messageActivity({ serviceUrl: fake.url, userAadId: AAD, userId: '29:1amara', text: '  cases  ' });
    const res = await postActivity({ baseUrl, activity });
    expect(res.status).toBe(200);
    expect(calls).toHaveLength(1);
    const args = calls[0]!.args as { text: string; user: object; reference: Record<string, any>; conversationType: string };
    expect(args.text).toBe('cases');
    expect(args.user).toEqual({ id: '29:1amara', aadObjectId: AAD, name: 'Test User' });
    expect(args.conversationType).toBe('personal');
    expect(args.reference.conversation.id).toBe(activity.conversation.id);
    expect(args.reference.serviceUrl).toBe(fake.url);
    expect(args.reference.activityId).toBeUndefined();
    expect(JSON.parse(JSON.stringify(args.reference))).toEqual(args.reference);

    const [sent] = fake.activitiesTo(activity.conversation.id);
    expect(sent?.text).toBe('echo: cases');
    expect(sent?.replyToId).toBe(activity.id);
    expect(fake.requests[0]!.activityId).toBe(activity.id);
    expect(sent?.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(fake.cards()).toHaveLength(1);
  });

  it('answers an Action.Execute invoke with the returned card in the HTTP response', async () => {
    const card = echoCard('decided');
    cardActionResult = { card };
    const activity = actionExecuteActivity({
      serviceUrl: fake.url,
      userAadId: AAD,
      userId: '29:1amara',
      verb: 'decide',
      data: { itemId: 'i-1', rationale: 'ok' },
      replyToId: '1700000000001',
    });
    const res = await postActivity({ baseUrl, activity });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card });
    fake.recordCard((res.json as { value: object }).value);
    const args = calls[0]!.args as { verb: string; data: object; user: { aadObjectId: string }; reference: { conversation: { id: string } } };
    expect(args.verb).toBe('decide');
    expect(args.data).toEqual({ itemId: 'i-1', rationale: 'ok' });
    expect(args.user.aadObjectId).toBe(AAD);
    expect(args.reference.conversation.id).toBe(activity.conversation.id);
    expect(fake.activities()).toHaveLength(0);
    expect(fake.cards()).toEqual([card]);
  });

  it('answers with a message, and with an error body when the handler throws', async () => {
    cardActionResult = { message: 'Already decided' };
    const ok = await postActivity({ baseUrl, activity: actionExecuteActivity({ serviceUrl: fake.url, userAadId: AAD, verb: 'x' }) });
    expect(ok.json).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Already decided' });
    cardActionResult = new Error('boom');
    const failed = await postActivity({ baseUrl, activity: actionExecuteActivity({ serviceUrl: fake.url, userAadId: AAD, verb: 'x' }) });
    expect(failed.status).toBe(200);
    expect(failed.json).toMatchObject({ statusCode: 500, type: 'application/vnd.microsoft.error' });
  });

  it('sends and updates proactive messages with a stored reference', async () => {
    await postActivity({ baseUrl, activity: installActivity({ serviceUrl: fake.url, userAadId: AAD, userId: '29:1amara' }) });
    expect(calls.map((c) => c.kind)).toEqual(['install']);
    const reference = JSON.parse(JSON.stringify(calls[0]!.args.reference)) as { conversation: { id: string } };
    fake.reset();

    const { activityId } = await bot.sendProactive({ reference, message: { text: 'Countersign needed', card: echoCard('Countersign') } });
    expect(activityId).toBe(fake.activities()[0]!.id);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', conversationId: reference.conversation.id, activityId: undefined });
    expect(fake.activities()[0]!.replyToId).toBeUndefined();

    await bot.updateProactive({ reference, activityId: activityId!, message: { text: 'Countersigned by Tom' } });
    const put = fake.requests[1]!;
    expect(put).toMatchObject({ method: 'PUT', conversationId: reference.conversation.id, activityId });
    expect(fake.updates()[0]).toMatchObject({ id: activityId, text: 'Countersigned by Tom' });
    expect(fake.updates()[0]!.attachments ?? []).toHaveLength(0);
  });

  it('reports connector failures of proactive sends with status and Retry-After', async () => {
    const reference = { channelId: 'msteams', serviceUrl: fake.url, conversation: { id: 'a:x' }, user: { id: '29:1' }, agent: { id: '28:b' } };
    fake.failNext(429, { retryAfterSeconds: 7 });
    const error = await bot.sendProactive({ reference, message: { text: 'hi' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TeamsDeliveryError);
    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 7 });
    await expect(bot.sendProactive({ reference: { nope: true }, message: { text: 'hi' } })).rejects.toThrow(/reference/);
  });

  it('treats the bot joining a personal chat as an install', async () => {
    const res = await postActivity({ baseUrl, activity: botAddedActivity({ serviceUrl: fake.url, userAadId: AAD }) });
    expect(res.status).toBe(200);
    expect(calls.map((c) => c.kind)).toEqual(['install']);
    await postActivity({ baseUrl, activity: installActivity({ serviceUrl: fake.url, userAadId: AAD, action: 'remove' }) });
    expect(calls).toHaveLength(1);
  });

  it('opens a first 1:1 conversation from an AAD object id', async () => {
    const out = await bot.createPersonalConversation({ serviceUrl: fake.url, tenantId: 't-1', userAadId: AAD, message: { text: 'Hello' } });
    const [create, send] = fake.requests;
    expect(create).toMatchObject({ method: 'POST', path: '/v3/conversations' });
    expect(create!.body).toMatchObject({ isGroup: false, members: [{ id: AAD }], tenantId: 't-1' });
    expect(send).toMatchObject({ method: 'POST', conversationId: create!.responseId, activityId: undefined });
    expect(out.activityId).toBe(send!.responseId);
    await bot.sendProactive({ reference: out.reference, message: { text: 'again' } });
    expect(fake.activitiesTo(create!.responseId!)).toHaveLength(2);
  });

  it('refuses non-loopback callers when no app id is configured', async () => {
    let status = 0;
    const res = {
      status(code: number) {
        status = code;
        return this;
      },
      json() {
        return this;
      },
      headersSent: false,
    };
    const req = { socket: { remoteAddress: '10.1.2.3' }, body: messageActivity({ serviceUrl: fake.url, userAadId: AAD, text: 'x' }), headers: {}, method: 'POST' };
    await bot.handle(req as never, res as never);
    expect(status).toBe(403);
    expect(calls).toHaveLength(0);
    expect(['127.0.0.1', '127.9.8.7', '::1', '::ffff:127.0.0.1'].every((a) => isLoopbackAddress(a))).toBe(true);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '128.0.0.1', undefined, ''].some((a) => isLoopbackAddress(a))).toBe(false);
  });

  it('refuses requests relayed by a proxy when no app id is configured', async () => {
    const res = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: JSON.stringify(messageActivity({ serviceUrl: fake.url, userAadId: AAD, text: 'x' })),
    });
    expect(res.status).toBe(403);
    expect(calls).toHaveLength(0);
  });

  it('apologises in chat when the message handler fails, and rejects a body that is not an activity', async () => {
    const failing = createTeamsBot({
      emulator: true,
      handlers: {
        ...handlers,
        onMessage: async () => {
          throw new Error('db down');
        },
      },
    });
    const local = await listen(failing);
    try {
      const activity = messageActivity({ serviceUrl: fake.url, userAadId: AAD, text: 'cases' });
      expect((await postActivity({ baseUrl: local.baseUrl, activity })).status).toBe(200);
      expect(fake.activities().map((a) => a.text)).toEqual(['Sorry, something went wrong. Please try again.']);
      expect((await postActivity({ baseUrl: local.baseUrl, activity: { type: 'message' } })).status).toBe(400);
      expect((await postActivity({ baseUrl: local.baseUrl, activity: [activity] })).status).toBe(400);
      expect((await postActivity({ baseUrl: local.baseUrl, activity: { ...activity, from: 5 } })).status).toBe(400);
    } finally {
      await close(local.server);
    }
  });

  it('every card the fake saw is a valid Adaptive Card 1.5', async () => {
    await postActivity({ baseUrl, activity: messageActivity({ serviceUrl: fake.url, userAadId: AAD, text: 'refer X123456' }) });
    expect(fake.cards().length).toBeGreaterThan(0);
    for (const card of fake.cards()) expect(validateAdaptiveCard(card)).toEqual([]);
  });
});

describe('Teams endpoint with an app id', () => {
  it('rejects requests without a valid token before any handler runs', async () => {
    const fake = await startFakeConnector();
    let called = 0;
    const bot = createTeamsBot({
      appId: '00000000-0000-4000-8000-000000000abc',
      appPassword: 'not-a-real-secret',
      tenantId: '11111111-0000-4000-8000-000000000001',
      handlers: {
        onMessage: async () => {
          called++;
        },
        onCardAction: async () => {
          called++;
          return {};
        },
      },
    });
    const { server, baseUrl } = await listen(bot);
    try {
      expect(bot.authenticated).toBe(true);
      const activity = messageActivity({ serviceUrl: fake.url, userAadId: AAD, text: 'cases' });
      expect((await postActivity({ baseUrl, activity })).status).toBe(401);
      expect((await postActivity({ baseUrl, activity, token: 'not.a.jwt' })).status).toBe(401);
      expect(called).toBe(0);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await close(server);
      await fake.close();
    }
  });

  it('refuses incomplete credentials', () => {
    const handlers = { onMessage: async () => {}, onCardAction: async () => ({}) };
    expect(() => createTeamsBot({ appId: 'abc', handlers })).toThrow(/MICROSOFT_APP_PASSWORD/);
    expect(() => createTeamsBot({ appId: 'abc', appPassword: 'x', appType: 'SingleTenant', handlers })).toThrow(/TENANT_ID/);
    expect(() => createTeamsBot({ appId: 'abc', appPassword: 'x', appType: 'Weird', handlers })).toThrow(/MICROSOFT_APP_TYPE/);
  });
});

describe('Adaptive Card validation', () => {
  it('accepts a typical form card with Teams-only keys and rejects broken ones', () => {
    expect(validateAdaptiveCard(echoCard('ok'))).toEqual([]);
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', body: [] }).join()).toMatch(/version/);
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Carousel' }] }).join()).toMatch(/Carousel/);
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x', colour: 'good' }] }).join()).toMatch(/colour/);
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text' }] }).join()).toMatch(/id/);
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.5', actions: [{ type: 'Action.Execute', title: 'x' }] }).join()).toMatch(/verb/);
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.3', actions: [{ type: 'Action.Execute', verb: 'v' }] }).join()).toMatch(/1\.4/);
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x', size: 'huge' }] })).not.toEqual([]);
  });
});
