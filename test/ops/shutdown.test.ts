import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.config.js';
import { openDatabase } from '../../src/db/database.js';
import { createStore } from '../../src/db/store.js';
import { createLogger } from '../../src/logger.js';
import { startFakeSlack } from '../support/fake-slack.js';
import { request } from 'node:http';
import { interactionBody, signSlackBody, viewSubmissionPayload } from '../support/slack-requests.js';
import { createTestClock } from '../support/test-clock.js';
import { createTestDatabase } from '../support/test-database.js';
import { SLACK, exampleOrg } from '../support/test-org.js';
import { SECRET, escalationValues, openedView, slash, submit } from '../slack/slack-harness.js';

/** A POST whose body is sent in two halves: the second only when `finish()` is called. */
const slowPost = (args: { port: number; body: string; headers: Record<string, string> }) => {
  const bytes = Buffer.from(args.body);
  const half = Math.floor(bytes.length / 2);
  const req = request({
    host: '127.0.0.1',
    port: args.port,
    method: 'POST',
    path: '/slack/events',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(bytes.length), ...args.headers },
  });
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
  req.write(bytes.subarray(0, half));
  return { answer, finish: () => req.end(bytes.subarray(half)) };
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('SIGTERM drains', () => {
  it('under load: running requests finish, new ones get 503 with Retry-After, no outbox lease is left held, then it closes', { timeout: 90_000 }, async () => {
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());
    const database = await createTestDatabase();
    cleanups.push(() => database.cleanup());
    const env = parseEnv({
      DATA_DIR: database.dataDir,
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      LOG_LEVEL: 'silent',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: fake.url,
      SHUTDOWN_GRACE: '8s',
    });
    const clock = createTestClock('2026-11-24T10:00:00Z');
    const app = await createApp({ env, org: exampleOrg(), orgFile: 'org.example.yaml', clock, logger: createLogger({ level: 'silent' }), background: true });
    const port = await app.listen(0, '127.0.0.1');
    const h = { t: { app, clock, port, baseUrl: `http://127.0.0.1:${port}`, stop: async () => undefined }, fake, stop: async () => undefined };
    expect((await fetch(`${h.t.baseUrl}/livez`)).status).toBe(200);
    const ready = await fetch(`${h.t.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', org: 'ok' } });

    // Chat sends hang for a while, so the dispatcher holds leases when the signal comes.
    fake.hang('chat.postMessage', 1_500);
    await slash(h, { command: '/escalate', text: 'X100000', userId: SLACK.amara });
    const view = await openedView(fake, 1);
    await submit(h, { userId: SLACK.amara, view, values: escalationValues({ crn: 'X100000' }) });
    await vi.waitFor(async () => expect((await app.store.repos.outbox.countsByStatus()).sending).toBeGreaterThanOrEqual(1), { timeout: 10_000 });

    // Load: 12 submissions at once, each its own escalation, from clients that send their bodies slowly: the
    // headers are in (the request is running) but half of each body waits until after the signal.
    const submissions = Array.from({ length: 12 }, (_, index) => {
      const body = interactionBody(
        viewSubmissionPayload({
          userId: SLACK.amara,
          callbackId: view.callbackId,
          privateMetadata: view.privateMetadata,
          values: Object.fromEntries(Object.entries(escalationValues({ crn: `X2000${String(index).padStart(2, '0')}` })).map(([blockId, value]) => [blockId, { value }])),
        }),
      );
      return slowPost({ port, body, headers: signSlackBody({ secret: SECRET, body }) });
    });
    await vi.waitFor(() => expect(app.lifecycle.inFlight()).toBe(12), { timeout: 20_000 });
    const runningAtSignal = app.lifecycle.inFlight();
    const stopped = app.stop();
    expect(app.lifecycle.draining).toBe(true);

    // New work while draining: refused with Retry-After (a load balancer sends it to another replica).
    const late = await fetch(`${h.t.baseUrl}/healthz`);
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('5');
    expect(await late.json()).toEqual({ status: 'draining' });
    expect((await fetch(`${h.t.baseUrl}/readyz`)).status).toBe(503);
    expect(await (await fetch(`${h.t.baseUrl}/livez`)).json()).toEqual({ status: 'alive' });
    for (const submission of submissions) submission.finish();
    const answers = await Promise.all(submissions.map((submission) => submission.answer));
    await stopped;
    // Nothing lost: every request running at the signal finished with its real answer.
    expect(runningAtSignal).toBe(12);
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    expect(answers.map((answer) => (JSON.parse(answer.text) as { response_action?: string }).response_action)).toEqual(Array(12).fill('update'));

    // Reopened (as another replica would see it): every completed submission is stored, and no row is left leased.
    const reopened = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
    cleanups.push(() => reopened.close());
    const store = createStore(reopened);
    const stored = await store.repos.items.recentEscalations(50);
    expect(stored).toHaveLength(13);
    const rows = await store.repos.outbox.byDedupePrefix('');
    expect(rows.filter((row) => row.status === 'sending' || row.leaseUntil !== null)).toEqual([]);
    const pending = rows.filter((row) => row.status === 'pending');
    expect(pending.every((row) => row.nextAttemptAt.getTime() <= clock.now().getTime())).toBe(true);
    expect(rows.filter((row) => row.status === 'sent').length + pending.length).toBe(rows.length);
  });
});

describe('/readyz', () => {
  it('says 503 naming the failing check when the database is gone, while /livez still answers', { timeout: 90_000 }, async () => {
    const { startTestApp } = await import('../support/test-app.js');
    const t = await startTestApp();
    cleanups.push(() => t.stop());
    expect((await fetch(`${t.baseUrl}/readyz`)).status).toBe(200);
    await t.app.database.close();
    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not ready', checks: { database: 'failing', migrations: 'ok', org: 'ok' } });
    expect((await fetch(`${t.baseUrl}/livez`)).status).toBe(200);
  });
});
