import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOutboxDispatcher } from '../../src/delivery/outbox-dispatcher.js';
import { DeliveryError } from '../../src/delivery/sender.types.js';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { type ChaseHarness, startChase } from '../chase/chase-support.js';

const MINUTE = 60_000;

const outboxRows = async (h: ChaseHarness, prefix: string) => h.t.app.store.repos.outbox.byDedupePrefix(prefix);
const metricsText = async (h: ChaseHarness) => (await fetch(`${h.t.baseUrl}/metrics`)).text();
const blocksText = (call: { args: Record<string, unknown> }) => JSON.stringify(call.args.blocks ?? []);

// Each test starts the real app on a fresh database: generous time on a busy machine (no timing assertions).
describe('the outbox dispatcher against a fake Slack', { timeout: 120_000 }, () => {
  let h: ChaseHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('delivers once after a 500, retrying with backoff', async () => {
    h = await startChase();
    h.fake.failNext('chat.postMessage', { status: 500 }, 1, 'U0TOM');
    await h.raise({ crn: 'X500001' });
    const [request] = await outboxRows(h, 'escalation:1:v1:escalation.countersign_requested');
    expect(request).toMatchObject({ status: 'pending', attempts: 1, lastError: 'http_500' });
    expect(request!.nextAttemptAt.getTime()).toBeGreaterThan(h.t.clock.now().getTime());
    expect(await h.dispatcher.drain()).toBe(0); // not due yet

    h.t.clock.advance(MINUTE);
    await h.dispatcher.drain();
    const [after] = await outboxRows(h, 'escalation:1:v1:escalation.countersign_requested');
    expect(after).toMatchObject({ status: 'sent', attempts: 2 });
    expect(h.fake.messagesTo('U0TOM')).toHaveLength(1);
    expect(h.fake.messagesTo('U0AMARA')).toHaveLength(1);
    expect(await metricsText(h)).toMatch(/dutydesk_outbox_deliveries_total\{platform="slack",result="retry"\} 1/);
  });

  it('honours 429 Retry-After, then delivers exactly once', async () => {
    h = await startChase();
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 }, 1, 'U0TOM');
    await h.raise({ crn: 'X500002' });
    const [request] = await outboxRows(h, 'escalation:1:v1:escalation.countersign_requested');
    expect(request).toMatchObject({ status: 'pending', lastError: 'ratelimited' });
    expect(request!.nextAttemptAt).toEqual(new Date(h.t.clock.now().getTime() + 30_000));

    h.t.clock.advance(29_000);
    expect(await h.dispatcher.drain()).toBe(0);
    h.t.clock.advance(1_000);
    expect(await h.dispatcher.drain()).toBe(1);
    expect(h.fake.messagesTo('U0TOM')).toHaveLength(1);
    expect(await h.dispatcher.drain()).toBe(0);
    expect(h.fake.messagesTo('U0TOM')).toHaveLength(1);
  });

  it('parks a row that fails forever as dead after maxAttempts, counted in /metrics', async () => {
    h = await startChase({ maxAttempts: 3 });
    h.fake.failAlways('chat.postMessage', { status: 500 });
    await h.raise({ crn: 'X500003' });
    for (let i = 0; i < 5; i++) {
      h.t.clock.advance(10 * MINUTE);
      await h.dispatcher.drain();
    }
    const rows = await outboxRows(h, 'escalation:1:v1:');
    expect(rows.map((row) => [row.status, row.attempts, row.lastError])).toEqual([
      ['dead', 3, 'http_500'],
      ['dead', 3, 'http_500'],
    ]);
    expect(h.fake.messagesTo('U0TOM')).toHaveLength(0);
    const metrics = await metricsText(h);
    expect(metrics).toMatch(/dutydesk_outbox_rows\{status="dead"\} 2/);
    expect(metrics).toMatch(/dutydesk_outbox_deliveries_total\{platform="slack",result="dead"\} 2/);
  });

  it('sends recipients side by side: a rate-limited DM waits (its queue keeps its order and attempts) while others go', async () => {
    h = await startChase();
    const now = h.t.clock.now();
    const row = (key: string, user: string, personId: string) => ({
      dedupeKey: key,
      platform: 'slack',
      target: { platform: 'slack', kind: 'user', id: user, personId },
      payload: { kind: 'static' as const, message: { text: key, title: key, fields: [], actions: [] } },
      nextAttemptAt: now,
      createdAt: now,
    });
    await h.t.app.store.repos.outbox.enqueue([row('tom-1', 'U0TOM', 'tom'), row('tom-2', 'U0TOM', 'tom'), row('amara-1', 'U0AMARA', 'amara'), row('tom-3', 'U0TOM', 'tom')]);
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 }, 1, 'U0TOM');
    await h.dispatcher.drain();
    expect(h.fake.messagesTo('U0AMARA').map((call) => call.args.text)).toEqual(['amara-1']);
    expect(h.fake.messagesTo('U0TOM')).toHaveLength(0);
    const waiting = await h.t.app.store.repos.outbox.byDedupePrefix('tom-');
    expect(waiting.map((r) => [r.dedupeKey, r.status, r.attempts, r.nextAttemptAt.getTime() - now.getTime()])).toEqual([
      ['tom-1', 'pending', 0, 30_000], // a 429 spends no attempt
      ['tom-2', 'pending', 0, 30_000],
      ['tom-3', 'pending', 0, 30_000],
    ]);
    h.t.clock.advance(30_000);
    await h.dispatcher.drain();
    expect(h.fake.messagesTo('U0TOM').map((call) => call.args.text)).toEqual(['tom-1', 'tom-2', 'tom-3']);
  });

  it('never parks a message for being rate limited: 429s do not spend attempts', async () => {
    h = await startChase({ maxAttempts: 2 });
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 5, 'U0TOM');
    await h.raise({ crn: 'X500007' });
    for (let i = 0; i < 5; i += 1) {
      h.t.clock.advance(1_000);
      await h.dispatcher.drain();
    }
    const [request] = await outboxRows(h, 'escalation:1:v1:escalation.countersign_requested');
    expect(request).toMatchObject({ status: 'sent', attempts: 1 });
    expect(h.fake.messagesTo('U0TOM')).toHaveLength(1);
    expect(h.fake.callsTo('chat.postMessage').filter((call) => call.failed && call.args.channel === 'DU0TOM')).toHaveLength(5);
  });

  it('parks a permanent failure at once', async () => {
    h = await startChase();
    h.fake.failNext('chat.postMessage', { error: 'channel_not_found' }, 2, 'U0TOM');
    await h.raise({ crn: 'X500004' });
    const [request] = await outboxRows(h, 'escalation:1:v1:escalation.countersign_requested');
    expect(request).toMatchObject({ status: 'dead', attempts: 1, lastError: 'channel_not_found' });
  });

  it('retries a platform with no sender, then parks the row', async () => {
    h = await startChase();
    const dispatcher = createOutboxDispatcher({ ctx: h.t.app.ctx, senders: {}, maxAttempts: 2, metrics: h.t.app.metrics });
    const now = h.t.clock.now();
    await h.t.app.store.repos.outbox.enqueue([
      {
        dedupeKey: 'test:teams:1',
        platform: 'teams',
        target: { platform: 'teams', kind: 'user', id: 'aad-1', personId: 'amara' },
        payload: { kind: 'static', message: { text: 'x', title: 'x', fields: [], actions: [] } },
        nextAttemptAt: now,
        createdAt: now,
      },
    ]);
    await dispatcher.drain();
    expect((await outboxRows(h, 'test:teams:1'))[0]).toMatchObject({ status: 'pending', lastError: 'sender.not_connected' });
    h.t.clock.advance(MINUTE);
    await dispatcher.drain();
    expect((await outboxRows(h, 'test:teams:1'))[0]).toMatchObject({ status: 'dead', attempts: 2 });
  });

  it('updates earlier messages after a decision (buttons gone, who did it), and leaves the new request alone', async () => {
    h = await startChase();
    const id = await h.raise({ crn: 'X500005' });
    const [tomsRequest] = h.fake.messagesTo('U0TOM');
    expect(blocksText(tomsRequest!)).toContain('"actions"');
    h.t.clock.set('2026-11-24T10:32:00Z');
    await decideEscalation({ ctx: h.t.app.ctx, actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agreed.', platform: 'slack' });
    await h.dispatcher.drain();

    const updates = h.fake.callsTo('chat.update').filter((call) => !call.failed);
    expect(updates.map((call) => call.args.channel).sort()).toEqual([h.fake.dmChannelFor('U0AMARA'), h.fake.dmChannelFor('U0TOM')].sort());
    const toTom = updates.find((call) => call.args.channel === h!.fake.dmChannelFor('U0TOM'))!;
    expect(blocksText(toTom)).toContain('Countersigned by Tom Reyes, Tue 24 Nov 2026, 10:32');
    expect(blocksText(toTom)).not.toContain('"actions"');
    // Dev's acceptance request is the current version: it keeps its buttons and is not updated.
    expect(h.fake.messagesTo('U0DEV')).toHaveLength(1);
    expect(blocksText(h.fake.messagesTo('U0DEV')[0]!)).toContain('"actions"');
    const refs = await h.t.app.store.repos.outbox.messageRefs({ itemType: 'escalation', itemId: id });
    expect(refs.map((ref) => [ref.personId, ref.itemVersion]).sort()).toEqual(
      [
        ['amara', 2],
        ['tom', 2],
        ['amara', 2],
        ['dev', 2],
        [null, 2],
      ].sort(),
    );
    // A second drain changes nothing more.
    await h.dispatcher.drain();
    expect(h.fake.callsTo('chat.update')).toHaveLength(2);
  });

  it('strips the buttons from a queued message whose item moved on before it was sent', async () => {
    h = await startChase();
    h.fake.failNext('chat.postMessage', { status: 500 }, 1, 'U0TOM');
    const id = await h.raise({ crn: 'X500006' }); // the countersign request fails once and waits for a retry
    await decideEscalation({ ctx: h.t.app.ctx, actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agreed.', platform: 'slack' });
    h.t.clock.advance(MINUTE);
    await h.dispatcher.drain();
    const [late] = h.fake.messagesTo('U0TOM');
    expect(blocksText(late!)).not.toContain('"actions"');
    expect(blocksText(late!)).toContain('Moved on since this was sent: Countersigned by Tom Reyes');
  });

  it('rejects a sender error that is not a DeliveryError as retryable', async () => {
    h = await startChase();
    let calls = 0;
    const dispatcher = createOutboxDispatcher({
      ctx: h.t.app.ctx,
      senders: {
        slack: {
          platform: 'slack',
          send: async () => {
            calls += 1;
            if (calls === 1) throw new TypeError('boom');
            if (calls === 2) throw new DeliveryError({ code: 'http_503', retryable: true });
            return { channel: 'D1', messageId: '1.0' };
          },
          update: async () => undefined,
        },
      },
      maxAttempts: 5,
      metrics: h.t.app.metrics,
    });
    const now = h.t.clock.now();
    await h.t.app.store.repos.outbox.enqueue([
      {
        dedupeKey: 'test:slack:1',
        platform: 'slack',
        target: { platform: 'slack', kind: 'user', id: 'U0AMARA', personId: 'amara' },
        payload: { kind: 'static', message: { text: 'x', title: 'x', fields: [], actions: [] } },
        nextAttemptAt: now,
        createdAt: now,
      },
    ]);
    for (let i = 0; i < 3; i++) {
      await dispatcher.drain();
      h.t.clock.advance(10 * MINUTE);
    }
    expect((await outboxRows(h, 'test:slack:1'))[0]).toMatchObject({ status: 'sent', attempts: 3 });
    expect(calls).toBe(3);
  });
  it('runs as a loop: delivers without drain(), and stops cleanly', async () => {
    h = await startChase();
    h.dispatcher.start();
    try {
      await h.raise({ crn: 'X500007' });
      h.dispatcher.wake();
      await vi.waitFor(() => expect(h!.fake.messagesTo('U0TOM')).toHaveLength(1), { timeout: 10_000, interval: 50 });
    } finally {
      await h.dispatcher.stop();
    }
    expect(h.fake.messagesTo('U0AMARA')).toHaveLength(1);
  });
});
