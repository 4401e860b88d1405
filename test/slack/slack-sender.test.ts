import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/delivery/sender.types.js';
import type { ChatMessage } from '../../src/use-cases/chat-message.js';
import { type Harness, startHarness } from './slack-harness.js';

const message: ChatMessage = {
  text: 'Countersign needed: ESC-000001',
  title: 'Countersign needed',
  fields: [{ label: 'CRN', value: 'X123456' }],
  details: [{ label: 'Summary', value: 'narrative' }],
  actions: [],
};

describe('Slack sender: DMs, channel posts, updates, failures classified for the outbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => h.fake.reset());
  afterAll(async () => {
    await h?.stop();
  });
  const sender = () => h.t.app.slack!.sender;
  const toUser = { platform: 'slack' as const, kind: 'user' as const, id: 'U0TOM', personId: 'tom' };

  it('opens a DM once per user and posts to it; channels get no details', async () => {
    const first = await sender().send({ target: toUser, message });
    await sender().send({ target: toUser, message });
    expect(first.channel).toBe('DU0TOM');
    expect(first.messageId).toMatch(/^\d+\.\d+$/);
    expect(h.fake.callsTo('conversations.open')).toHaveLength(1);
    await sender().send({ target: { platform: 'slack', kind: 'channel', id: 'C0NORTHPP' }, message });
    expect(JSON.stringify(h.fake.messagesTo('C0NORTHPP')[0]?.args)).not.toContain('narrative');
    await sender().update({ channel: first.channel, messageId: first.messageId, message });
    expect(h.fake.callsTo('chat.update')[0]?.args).toMatchObject({ channel: 'DU0TOM', ts: first.messageId });
    expect(h.fake.violations).toEqual([]);
  });

  it('makes one attempt per send and classifies failures', async () => {
    const failure = async () => {
      try {
        await sender().send({ target: { platform: 'slack', kind: 'channel', id: 'C1' }, message });
      } catch (error) {
        return error as DeliveryError;
      }
      throw new Error('expected a failure');
    };
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    expect(await failure()).toMatchObject({ code: 'ratelimited', retryable: true, retryAfterMs: 7000 });
    h.fake.failNext('chat.postMessage', { status: 500 });
    expect(await failure()).toMatchObject({ code: 'http_500', retryable: true });
    for (const code of ['channel_not_found', 'is_archived', 'not_in_channel', 'account_inactive']) {
      h.fake.failNext('chat.postMessage', { error: code });
      const error = await failure();
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ code, retryable: false });
    }
    h.fake.failNext('chat.postMessage', { error: 'invalid_auth' });
    expect(await failure()).toMatchObject({ code: 'invalid_auth', retryable: true });
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(7); // the client never retried on its own
  });

  it('reopens a DM whose cached channel went away', async () => {
    await sender().send({ target: toUser, message });
    h.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await sender().send({ target: toUser, message });
    expect(h.fake.callsTo('conversations.open').length).toBeGreaterThanOrEqual(1);
    expect(h.fake.messagesTo('U0TOM')).toHaveLength(2);
  });

  it('delivers queued messages through the outbox with retries honouring Retry-After', async () => {
    const toBen = { platform: 'slack' as const, kind: 'user' as const, id: 'U0BEN', personId: 'ben' };
    h.fake.failNext('conversations.open', { status: 429, retryAfter: 30 });
    await h.t.app.ctx.store.transaction(async (repos) =>
      repos.outbox.enqueue([{ dedupeKey: 'test:retry', platform: 'slack', target: toBen, payload: message as never, nextAttemptAt: h.t.clock.now(), createdAt: h.t.clock.now() }]),
    );
    await h.t.app.dispatcher.drain();
    expect(h.fake.messagesTo('U0BEN')).toHaveLength(0);
    h.t.clock.advance(31_000);
    await h.t.app.dispatcher.drain();
    expect(h.fake.messagesTo('U0BEN')).toHaveLength(1);
  });
});
