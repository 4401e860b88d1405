import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.config.js';
import { createLogger } from '../../src/logger.js';
import { escalateCommand } from '../../commands/escalate.command.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type TestClock, createTestClock } from '../support/test-clock.js';
import { createTestDatabase } from '../support/test-database.js';
import { exampleOrg } from '../support/test-org.js';

/**
 * Two app instances on one PostgreSQL server, sweeping, sending and writing digests at the same time. Only a
 * PostgreSQL server can hold two processes' connections (PGlite is single-process): runs when DATABASE_URL is set.
 */
const shortOrg = () =>
  exampleOrg((text) =>
    text
      .replace('countersign:  { standard: "1 working day",  urgent: PT2H }', 'countersign:  { standard: PT1H,  urgent: PT2H }')
      .replace(
        'reminders: { repeatEvery: PT2H, managerAfter: "1 working day", seniorManagerAfter: "2 working days" }',
        'reminders: { repeatEvery: PT10M, managerAfter: PT30M, seniorManagerAfter: PT1H }',
      ),
  );

describe('two replicas on one PostgreSQL server', () => {
  const ESCALATIONS = 30;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let fake: FakeSlack;
  let clock: TestClock;
  const apps: App[] = [];
  const dispatchers: App['dispatcher'][] = [];

  beforeAll(async () => {
    if (!process.env.DATABASE_URL) return;
    database = await createTestDatabase();
    fake = await startFakeSlack();
    clock = createTestClock('2026-11-24T10:00:00Z');
    const env = parseEnv({
      DATABASE_URL: database.databaseUrl,
      DATA_DIR: database.dataDir,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: fake.url,
    });
    for (let i = 0; i < 2; i++) {
      const app = await createApp({ env, org: shortOrg(), orgFile: 'org.example.yaml', clock, logger: createLogger({ level: env.LOG_LEVEL }), background: false });
      apps.push(app);
      dispatchers.push(app.dispatcher);
    }
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await fake?.close();
    await database?.cleanup();
  });

  /** Both replicas sweep and send at once, a few rounds, as their timers and cron would. */
  const bothWork = async (rounds = 3) => {
    for (let round = 0; round < rounds; round++) {
      await Promise.all([apps[0]!.scheduler.sweepOnce(), apps[1]!.scheduler.sweepOnce(), dispatchers[0]!.drain(), dispatchers[1]!.drain()]);
    }
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.drain()));
  };

  const posts = () => fake.callsTo('chat.postMessage').filter((call) => !call.failed);

  it.skipIf(!process.env.DATABASE_URL)(
    'delivers each reminder and each digest exactly once',
    async () => {
      for (let i = 0; i < ESCALATIONS; i++) {
        const result = await escalateCommand.submit({
          ctx: apps[i % 2]!.ctx,
          actorId: i % 2 ? 'amara' : 'ben',
          values: {
            crn: `X${String(800000 + i)}`,
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
        expect(result.ok).toBe(true);
      }
      fake.failNext('chat.postMessage', { status: 500 }, 5);
      fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 3);
      await bothWork();
      for (const at of ['2026-11-24T11:00:00Z', '2026-11-24T11:10:00Z', '2026-11-24T11:30:00Z', '2026-11-24T12:00:00Z']) {
        clock.set(at);
        await bothWork();
        clock.advance(5_000); // past any Retry-After / first backoff
        await bothWork(1);
      }
      clock.set('2026-11-25T09:00:00Z');
      await Promise.all([apps[0]!.scheduler.digestOnce(), apps[1]!.scheduler.digestOnce(), apps[0]!.scheduler.digestOnce()]);
      await bothWork(1);
      clock.advance(60_000);
      await bothWork(1);

      const repos = apps[0]!.store.repos;
      const reminderRows = await repos.outbox.byDedupePrefix('reminder:');
      // Per escalation: owner at 11:00, 11:10, 11:30, 12:00 and the next morning at 09:00; the senior manager
      // (Tom is both the owner and the unit manager) at 11:30 on the manager rung, and not again at 12:00: a rung is
      // never sent to someone a lower rung already reached (#13, the chase reaches someone who can act).
      const byRung = (rung: string) => reminderRows.filter((row) => row.dedupeKey.split(':')[2] === rung).length;
      expect([byRung('owner'), byRung('manager'), byRung('seniorManager')]).toEqual([ESCALATIONS * 5, ESCALATIONS, 0]);
      expect(reminderRows.every((row) => row.status === 'sent')).toBe(true);
      const counts = await repos.outbox.countsByStatus();
      expect(counts.dead ?? 0).toBe(0);
      expect(counts.pending ?? 0).toBe(0);

      // Exactly once: one Slack post per non-refresh outbox row, and no post repeated.
      const all = await repos.outbox.byDedupePrefix('');
      const sentPosts = all.filter((row) => row.status === 'sent' && row.target.kind !== 'refresh');
      const delivered = posts();
      expect(delivered).toHaveLength(sentPosts.length);
      const seen = delivered.map((call) => `${String(call.args.channel)}|${String(call.args.text)}|${JSON.stringify(call.args.blocks)}`);
      expect(new Set(seen).size).toBe(seen.length);
      expect(delivered.filter((call) => String(call.args.text).startsWith('Reminder'))).toHaveLength(ESCALATIONS * 5);
      expect(fake.messagesTo('C0NORTH3').filter((call) => String(call.args.text).startsWith('Daily digest'))).toHaveLength(1);
      expect(fake.messagesTo('C0NORTHPP').filter((call) => String(call.args.text).startsWith('Daily digest'))).toHaveLength(1);
      expect(fake.messagesTo('U0TOM').filter((call) => String(call.args.text).startsWith('Overdue in North Team 3'))).toHaveLength(1);
      const audit = await repos.records.auditEvents('reminder.sent');
      expect(audit).toHaveLength(ESCALATIONS * 7);
    },
    240_000,
  );
});
