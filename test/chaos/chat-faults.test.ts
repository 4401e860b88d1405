/**
 * Chat API faults through the fake Slack (and a proxy failing one channel or one user): 500s, a hung call that
 * times out, 429 with Retry-After, invalid_auth, channel_not_found, a user who left. Each retried, parked or
 * reported as fits; everyone else's messages still go out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDecision } from '../../commands/decide.command.js';
import { escalateCommand } from '../../commands/escalate.command.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { slashCommandBody, postToSlack } from '../support/slack-requests.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { SLACK } from '../support/test-org.js';
import { SECRET, metricValue, until } from './chaos-support.js';
import { type SelectiveSlack, startSelectiveSlack } from './selective-slack.js';

const MAX_ATTEMPTS = 4;

describe('chat API faults', () => {
  let fake: FakeSlack;
  let proxy: SelectiveSlack;
  let t: TestApp;
  let crn = 500000;
  const figures: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    proxy = await startSelectiveSlack({ upstream: fake.url });
    t = await startTestApp({
      env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-chaos', SLACK_API_URL: proxy.url, OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS) },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await proxy?.close();
    await fake?.close();
    console.info(`[figures] chat API faults:\n  ${figures.join('\n  ')}`);
  });

  const drain = () => t.app.dispatcher.drain();
  const raise = async () => {
    crn += 1;
    const result = await escalateCommand.submit({
      ctx: t.app.ctx,
      actorId: 'amara',
      values: {
        crn: `X${crn}`,
        roshCurrent: 'HIGH',
        roshNew: 'HIGH',
        reason: 'breach_or_new_offence',
        urgency: 'standard',
        receivingUnitId: 'north-pp',
        summary: 'Breached licence conditions; new intelligence from police.',
        oasysReviewed: ['done'],
      },
      context: {},
      platform: 'slack',
    });
    if (!result.ok) throw new Error('raise failed');
    const [row] = await t.app.store.repos.items.escalationsByCrn(`X${crn}`);
    return row!.id;
  };
  const countersign = async (itemId: number) => {
    const result = await runDecision({ ctx: t.app.ctx, actorId: 'tom', actionId: 'escalation.countersign', itemId, values: { rationale: 'Agreed.' }, platform: 'slack' });
    expect(result.ok).toBe(true);
  };
  const rowsOf = (id: number) => t.app.store.repos.outbox.byDedupePrefix(`escalation:${id}:`);
  const delivered = () => fake.callsTo('chat.postMessage').filter((call) => !call.failed);
  const dmTo = (userId: string) => delivered().filter((call) => call.args.channel === fake.dmChannelFor(userId));
  /** Move the clock past any backoff and send again, until nothing is pending or `rounds` run out. */
  const retryUntilSettled = async (rounds = 12) => {
    for (let round = 0; round < rounds; round++) {
      const pending = (await t.app.store.repos.outbox.countsByStatus()).pending ?? 0;
      if (pending === 0) return round;
      t.clock.advance(10 * 60_000);
      await drain();
    }
    return rounds;
  };

  it('retries 500s with backoff until the messages go out', async () => {
    fake.failNext('chat.postMessage', { status: 500 }, 3);
    const id = await raise();
    await drain();
    const afterFirst = await rowsOf(id);
    expect(afterFirst.some((row) => row.status === 'pending' && row.attempts > 0)).toBe(true);
    const rounds = await retryUntilSettled();
    const rows = await rowsOf(id);
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
    expect(dmTo(SLACK.tom)).toHaveLength(1);
    figures.push(`3 x HTTP 500 on chat.postMessage: ${rows.length} rows all sent after ${rounds} retry round(s), max attempts ${Math.max(...rows.map((r) => r.attempts))}, 0 dead`);
  });

  it('honours 429 Retry-After exactly, then sends', async () => {
    const before = dmTo(SLACK.tom).length;
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const id = await raise();
    const at = t.clock.now().getTime();
    await drain();
    const deferred = (await rowsOf(id)).find((row) => row.status === 'pending');
    expect(deferred).toBeDefined();
    expect(deferred!.nextAttemptAt.getTime() - at).toBe(7_000);
    t.clock.advance(6_000);
    await drain();
    expect((await rowsOf(id)).find((row) => row.id === deferred!.id)?.status).toBe('pending');
    t.clock.advance(1_000);
    await drain();
    expect((await rowsOf(id)).every((row) => row.status === 'sent')).toBe(true);
    expect(dmTo(SLACK.tom)).toHaveLength(before + 1);
    figures.push('429 with Retry-After: 7 on chat.postMessage: next attempt exactly 7 000 ms later; not retried at +6 s; sent at +7 s');
  });

  it('times out a hung call, keeps answering everyone else meanwhile, and retries it', async () => {
    const before = delivered().length;
    fake.hang('chat.postMessage', 11_000); // the Web API client gives up after 10 s
    const id = await raise();
    const draining = drain();
    // While the dispatcher waits on Slack, a slash command from someone else is answered at once.
    const posts = fake.callsTo('chat.postMessage').length;
    await until(() => fake.callsTo('chat.postMessage').length > posts, 'the hung call', 10_000);
    fake.hang('chat.postMessage', 0); // only that first call hangs
    const command = await postToSlack({
      baseUrl: t.baseUrl,
      secret: SECRET,
      body: slashCommandBody({ command: '/cases', text: '', userId: SLACK.dev, responseUrl: fake.responseUrl('dev-cases') }),
    });
    expect(command.status).toBe(200);
    await until(() => fake.responsesTo('dev-cases')[0], "Dev's /cases answer", 5_000);
    const answeredWhileHung = (await Promise.race([draining.then(() => false), Promise.resolve(true)])) as boolean;
    expect(answeredWhileHung).toBe(true);
    await draining;
    const timedOut = (await rowsOf(id)).filter((row) => row.status === 'pending' && row.lastError === 'request_error');
    expect(timedOut.length).toBeGreaterThan(0);
    await retryUntilSettled();
    expect((await rowsOf(id)).every((row) => row.status === 'sent')).toBe(true);
    // The hung call reached Slack before the client gave up: Slack may have posted it. The retry posts again.
    const posted = (await rowsOf(id)).filter((row) => (row.target as { kind: string }).kind !== 'refresh').length;
    const extra = delivered().length - before - posted;
    // Each timed-out attempt reached the fake (it answered late), so each can be one extra copy, never more.
    const retried = (await rowsOf(id)).filter((row) => row.attempts > 1).length;
    expect(retried).toBeGreaterThan(0);
    expect(extra).toBeLessThanOrEqual(retried);
    figures.push(
      `chat.postMessage hung 11 s (client timeout 10 s): row retried as request_error and sent; Dev's /cases answered while it hung; ${posted} messages, ${retried} timed out and retried, ${extra} extra copies at the fake (the hung call reached Slack before the client gave up: the timeout edge)`,
    );
  }, 60_000);

  it('retries invalid_auth up to the maximum attempts, then parks the rows as dead (visible in /metrics)', async () => {
    const deadBefore = await metricValue({ baseUrl: t.baseUrl, name: 'dutydesk_outbox_rows', labels: { status: 'dead' } });
    fake.failAlways('chat.postMessage', { error: 'invalid_auth' });
    const id = await raise();
    await drain();
    await retryUntilSettled();
    fake.clearFailures();
    const rows = await rowsOf(id);
    const dead = rows.filter((row) => row.status === 'dead');
    expect(dead.length).toBeGreaterThan(0);
    expect(dead.every((row) => row.attempts === MAX_ATTEMPTS && row.lastError === 'invalid_auth')).toBe(true);
    const deadAfter = await metricValue({ baseUrl: t.baseUrl, name: 'dutydesk_outbox_rows', labels: { status: 'dead' } });
    expect(deadAfter - deadBefore).toBe(dead.length);
    figures.push(`invalid_auth on every chat.postMessage: ${dead.length} row(s) retried ${MAX_ATTEMPTS} times (OUTBOX_MAX_ATTEMPTS) then dead; dutydesk_outbox_rows{status="dead"} +${dead.length}`);
  });

  it('parks a post to a missing channel at once and still delivers the DMs', async () => {
    const id = await raise();
    await drain();
    proxy.rules.push({ method: 'chat.postMessage', target: 'C0NORTHPP', error: 'channel_not_found' });
    const devBefore = dmTo(SLACK.dev).length;
    await countersign(id);
    await drain();
    await retryUntilSettled();
    proxy.rules.length = 0;
    const rows = await rowsOf(id);
    const dead = rows.filter((row) => row.status === 'dead');
    expect(dead.map((row) => [row.attempts, row.lastError, (row.target as { kind: string }).kind])).toEqual([[1, 'channel_not_found', 'channel']]);
    expect(dmTo(SLACK.dev).length).toBe(devBefore + 1);
    expect(rows.filter((row) => row.status === 'sent').length).toBe(rows.length - 1);
    figures.push(`channel_not_found on the unit channel: that 1 row dead after 1 attempt; the other ${rows.length - 1} rows of the countersign sent (Dev's DM included)`);
  });

  it('parks the DM to a person who left at once and keeps serving everyone else', async () => {
    for (const [error, method] of [
      ['user_not_found', 'conversations.open'],
      ['account_inactive', 'chat.postMessage'],
    ] as const) {
      const id = await raise();
      await drain();
      if (method === 'conversations.open') {
        // His DM channel is cached from earlier messages: the post fails, the sender opens the DM again, and that fails.
        proxy.rules.push({ method: 'chat.postMessage', target: fake.dmChannelFor(SLACK.dev), error: 'channel_not_found' });
        proxy.rules.push({ method, target: SLACK.dev, error });
      } else proxy.rules.push({ method, target: fake.dmChannelFor(SLACK.dev), error });
      const channelBefore = fake.messagesTo('C0NORTHPP').length;
      const amaraBefore = dmTo(SLACK.amara).length;
      await countersign(id);
      await drain();
      await retryUntilSettled();
      proxy.rules.length = 0;
      const rows = await rowsOf(id);
      const dead = rows.filter((row) => row.status === 'dead');
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ attempts: 1, lastError: error });
      expect((dead[0]!.target as { personId?: string }).personId).toBe('dev');
      expect(fake.messagesTo('C0NORTHPP').length).toBeGreaterThan(channelBefore);
      expect(rows.filter((row) => row.status === 'sent').length).toBe(rows.length - 1);
      figures.push(
        `${error} (${method}) for Dev: his row dead after 1 attempt; ${rows.length - 1} other rows sent (channel +${fake.messagesTo('C0NORTHPP').length - channelBefore}, Amara +${dmTo(SLACK.amara).length - amaraBefore})`,
      );
    }
    // The digest reports what could not be delivered.
    await t.app.scheduler.digestOnce({ force: true });
    await drain();
    const digest = fake.callsTo('chat.postMessage').filter((call) => !call.failed && call.args.channel === 'C0NORTHPP' && /Overdue|digest|due today/i.test(String(call.args.text)));
    expect(JSON.stringify(digest.at(-1)?.args ?? {})).toMatch(/could not be delivered|not delivered|undelivered/i);
    expect(fake.violations).toEqual([]);
  });
});
