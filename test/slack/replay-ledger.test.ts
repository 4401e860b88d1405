import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.config.js';
import { createLogger } from '../../src/logger.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { interactionBody, signSlackBody, slashCommandBody, viewSubmissionPayload } from '../support/slack-requests.js';
import { createTestClock } from '../support/test-clock.js';
import { createTestDatabase } from '../support/test-database.js';
import { SLACK, exampleOrg } from '../support/test-org.js';
import { escalationValues } from './slack-harness.js';

const SECRET = 'test-signing-secret-0123456789';

/**
 * The replay ledger as a person (or an attacker) would notice it: on the embedded engine its rows are written
 * behind the ack, grouped, yet a request that changes something is stored in the ledger before its change, and
 * nothing accepted is forgotten across a clean restart.
 */
describe('Slack replay ledger', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let fake: FakeSlack;
  let app: App | null = null;
  let url = '';
  const clock = createTestClock('2026-11-24T10:00:00Z');
  const start = async () => {
    const env = parseEnv({
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      DATA_DIR: database.dataDir,
      LOG_LEVEL: 'silent',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-ledger',
      SLACK_API_URL: fake.url,
    });
    app = await createApp({ env, org: exampleOrg(), orgFile: 'org.example.yaml', clock, logger: createLogger({ level: 'silent' }), background: false });
    url = `http://127.0.0.1:${await app.listen(0, '127.0.0.1')}`;
  };
  const post = (body: string, headers: Record<string, string>) => fetch(`${url}/slack/events`, { method: 'POST', headers, body });
  const signed = (body: string) => ({ 'content-type': 'application/x-www-form-urlencoded', ...signSlackBody({ secret: SECRET, body }) });
  const ledgerRows = async () => {
    const result = (await app?.database.db.execute('SELECT count(*)::int AS n FROM slack_request_ledger')) as unknown as { rows: { n: number }[] };
    return result.rows[0]?.n;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startFakeSlack();
    await start();
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await database?.cleanup();
  });

  it("stores a form submission's ledger row before the escalation it raises, and refuses the same command after a restart", async () => {
    const command = slashCommandBody({ command: '/escalate', text: 'X123456', userId: SLACK.amara });
    const commandHeaders = signed(command);
    expect((await post(command, commandHeaders)).status).toBe(200);
    const [opened] = await fake.waitFor({ method: 'views.open', count: 1 });
    const view = opened?.args.view as { callback_id: string; private_metadata: string };
    const submission = interactionBody(
      viewSubmissionPayload({
        userId: SLACK.amara,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: Object.fromEntries(Object.entries(escalationValues()).map(([blockId, value]) => [blockId, { value }])),
      }),
    );
    const submissionHeaders = signed(submission);
    const answer = await post(submission, submissionHeaders);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { response_action?: string }).response_action).toBe('update');
    // The submission settled the ledger before raising anything: both requests' rows are stored by now.
    expect(await ledgerRows()).toBe(2);
    expect(await app?.store.repos.items.recentEscalations(5)).toHaveLength(1);

    await app?.stop();
    app = null;
    await start();
    const restarted = app as App | null;
    const replayed = await post(command, commandHeaders);
    expect(replayed.status).toBe(401);
    expect((await post(submission, submissionHeaders)).status).toBe(401);
    expect(fake.callsTo('views.open')).toHaveLength(1);
    expect(await restarted?.store.repos.items.recentEscalations(5)).toHaveLength(1);
  });
});
