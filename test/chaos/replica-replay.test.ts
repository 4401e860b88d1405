import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.config.js';
import { createLogger } from '../../src/logger.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { signSlackBody, slashCommandBody } from '../support/slack-requests.js';
import { createTestClock } from '../support/test-clock.js';
import { createTestDatabase } from '../support/test-database.js';
import { SLACK, exampleOrg } from '../support/test-org.js';
import { SECRET, tableCounts } from './chaos-support.js';

/**
 * A captured Slack request replayed to another replica: the replay ledger is a table in PostgreSQL, so the second
 * replica finds the first one's row and refuses (401), changing nothing and calling nothing. Two processes' worth of
 * apps on one database needs a PostgreSQL server (PGlite is one process): runs when DATABASE_URL is set.
 */
describe.skipIf(!process.env.DATABASE_URL)('Slack replay across replicas', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let fake: FakeSlack;
  const apps: App[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlack();
    const clock = createTestClock('2026-11-24T10:00:00Z');
    const env = parseEnv({
      DATABASE_URL: database.databaseUrl,
      DATA_DIR: database.dataDir,
      LOG_LEVEL: 'silent',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-replicas',
      SLACK_API_URL: fake.url,
    });
    for (let i = 0; i < 2; i += 1) {
      const app = await createApp({ env, org: exampleOrg(), orgFile: 'org.example.yaml', clock, logger: createLogger({ level: 'silent' }), background: false });
      apps.push(app);
      urls.push(`http://127.0.0.1:${await app.listen(0, '127.0.0.1')}`);
    }
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await fake?.close();
    await database?.cleanup();
  });

  it('accepts a signed request once and refuses it on the other replica', async () => {
    const body = slashCommandBody({ command: '/escalate', text: 'X123456', userId: SLACK.amara });
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signSlackBody({ secret: SECRET, body }) };
    const first = await fetch(`${urls[0]}/slack/events`, { method: 'POST', headers, body });
    expect(first.status).toBe(200);
    await fake.waitFor({ method: 'views.open', count: 1 });
    const before = await tableCounts(apps[1]!);
    const calls = fake.calls.length;
    const replayed = await fetch(`${urls[1]}/slack/events`, { method: 'POST', headers, body });
    expect(replayed.status).toBe(401);
    await apps[1]!.dispatcher.drain();
    expect(await tableCounts(apps[1]!)).toEqual(before);
    expect(fake.calls.length).toBe(calls);
    expect(fake.callsTo('views.open')).toHaveLength(1);
    // And back on the first replica too.
    expect((await fetch(`${urls[0]}/slack/events`, { method: 'POST', headers, body })).status).toBe(401);
  });
});
