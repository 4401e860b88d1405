import type { Org } from '../../src/config/org.schema.js';
import type { ChatMessage } from '../../src/use-cases/chat-message.js';
import { escalateCommand } from '../../commands/escalate.command.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { queuedMessage } from '../support/queued-message.js';
import { type TestApp, startTestApp } from '../support/test-app.js';

export interface ChaseHarness {
  t: TestApp;
  fake: FakeSlack;
  dispatcher: TestApp['app']['dispatcher'];
  /** One sweep, then send everything due. */
  tick(): Promise<void>;
  /** Move the clock to a local London time (ISO with offset or Z) and tick. */
  at(iso: string): Promise<void>;
  raise(args: { actorId?: string; crn: string; urgency?: 'standard' | 'urgent' }): Promise<number>;
  /** Reminder rows in the outbox (dedupe key, status, message). */
  reminders(): Promise<{ key: string; status: string; message: ChatMessage }[]>;
  /** Delivered reminder DMs to a Slack user. */
  reminderDms(slackUser: string): { text: string }[];
  stop(): Promise<void>;
}

export const startChase = async (options: { org?: Org; now?: string; maxAttempts?: number; env?: Record<string, string> } = {}): Promise<ChaseHarness> => {
  const fake = await startFakeSlack();
  // The real app with Slack connected to the fake Web API: its own outbox dispatcher and Slack sender.
  const t = await startTestApp({
    org: options.org,
    now: options.now,
    env: {
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: fake.url,
      OUTBOX_MAX_ATTEMPTS: String(options.maxAttempts ?? 5),
      ...options.env,
    },
  });
  const dispatcher = t.app.dispatcher;
  const harness: ChaseHarness = {
    t,
    fake,
    dispatcher,
    async tick() {
      await t.app.scheduler.sweepOnce();
      await dispatcher.drain();
    },
    async at(iso) {
      t.clock.set(iso);
      await harness.tick();
    },
    async raise({ actorId = 'amara', crn, urgency = 'standard' }) {
      const result = await escalateCommand.submit({
        ctx: t.app.ctx,
        actorId,
        values: {
          crn,
          roshCurrent: 'HIGH',
          roshNew: 'HIGH',
          reason: 'breach_or_new_offence',
          urgency,
          receivingUnitId: 'north-pp',
          summary: 'Breached licence conditions; new intelligence from police.',
          oasysReviewed: ['done'],
        },
        context: {},
        platform: 'slack',
      });
      if (!result.ok) throw new Error(`raise failed: ${JSON.stringify(result)}`);
      const [row] = await t.app.store.repos.items.escalationsByCrn(crn.toUpperCase());
      await dispatcher.drain();
      return row!.id;
    },
    async reminders() {
      const rows = await t.app.store.repos.outbox.byDedupePrefix('reminder:');
      return Promise.all(rows.map(async (row) => ({ key: row.dedupeKey, status: row.status, message: await queuedMessage({ ctx: t.app.ctx, row }) })));
    },
    reminderDms(slackUser) {
      return fake
        .messagesTo(slackUser)
        .map((call) => ({ text: String(call.args.text ?? '') }))
        .filter((message) => /^(Reminder|Overdue)/.test(message.text));
    },
    async stop() {
      await t.stop();
      await fake.close();
    },
  };
  return harness;
};
