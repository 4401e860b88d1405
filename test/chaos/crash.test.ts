/**
 * Crashes of the real process: `node --import tsx src/main.ts` killed with SIGKILL at the worst moments, then
 * started again on the same data (PGlite data dir, or a database on the PostgreSQL server when DATABASE_URL is set).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateCommand } from '../../commands/escalate.command.js';
import { type App, createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.config.js';
import { parseOrgText } from '../../src/config/org.loader.js';
import { createLogger } from '../../src/logger.js';
import { type FakeSlack, type SlackCall, startFakeSlack } from '../support/fake-slack.js';
import { createTestClock } from '../support/test-clock.js';
import { createTestDatabase } from '../support/test-database.js';
import { EXAMPLE_ORG_FILE, SLACK } from '../support/test-org.js';
import { type Harness, buttonsOf, click, dmsTo, escalationValues, openedView, slash, submit } from '../slack/slack-harness.js';
import { BOT_TOKEN, type BotProcess, SECRET, metricValue, spawnBot, until } from './chaos-support.js';

type TestDb = Awaited<ReturnType<typeof createTestDatabase>>;

const botEnv = (db: TestDb, fake: FakeSlack, extra: Record<string, string> = {}) => ({
  DATA_DIR: db.dataDir,
  ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_API_URL: fake.url,
  ...extra,
});

/** The slack-harness helpers need only a base URL and the fake. */
const harnessFor = (bot: BotProcess, fake: FakeSlack) => ({ t: { baseUrl: bot.baseUrl }, fake }) as unknown as Harness;

const delivered = (fake: FakeSlack) => fake.callsTo('chat.postMessage').filter((call) => !call.failed);

/** Successful posts that repeat an earlier one exactly (same channel, same text): the duplicates a person would see. */
const duplicates = (calls: SlackCall[]) => {
  const seen = new Map<string, number>();
  for (const call of calls) {
    const key = `${String(call.args.channel)}\u0000${String(call.args.text)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen.values()].reduce((sum, n) => sum + (n - 1), 0);
};

/** Outbox rows neither sent nor dead (pending, or claimed and in flight), from /metrics as an operator sees them. */
const unsettled = async (baseUrl: string) => {
  const all = await metricValue({ baseUrl, name: 'dutydesk_outbox_rows' });
  const sent = await metricValue({ baseUrl, name: 'dutydesk_outbox_rows', labels: { status: 'sent' } });
  const dead = await metricValue({ baseUrl, name: 'dutydesk_outbox_rows', labels: { status: 'dead' } });
  return all - sent - dead;
};

/** Open the data after the bot stopped, in-process and without background loops, to inspect what it stored. */
const inspect = async <T>(db: TestDb, look: (app: App) => Promise<T>): Promise<T> => {
  const env = parseEnv({ DATA_DIR: db.dataDir, ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}), LOG_LEVEL: 'silent' });
  const org = parseOrgText({ text: readFileSync(EXAMPLE_ORG_FILE, 'utf8'), fileName: 'org.example.yaml' });
  const app = await createApp({ env, org, orgFile: 'org.example.yaml', logger: createLogger({ level: 'silent' }), background: false });
  try {
    return await look(app);
  } finally {
    await app.stop();
  }
};

describe('kill -9 after a decision is committed, before its messages are sent', () => {
  let fake: FakeSlack;
  let db: TestDb;
  const bots: BotProcess[] = [];
  beforeAll(async () => {
    fake = await startFakeSlack();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const bot of bots) await bot.kill('SIGKILL');
    await fake?.close();
    await db?.cleanup();
  });

  it('sends every message of the decision after a restart, none lost, none doubled', async () => {
    const first = await spawnBot({ env: botEnv(db, fake) });
    bots.push(first);
    const h = harnessFor(first, fake);

    // Amara raises an escalation over signed HTTP; Tom's countersign DM goes out normally.
    await slash(h, { command: '/escalate', text: 'X700001', userId: SLACK.amara });
    const form = await openedView(fake, 1);
    const raised = await submit(h, { userId: SLACK.amara, view: form, values: escalationValues({ crn: 'X700001' }) });
    expect(raised.json).toMatchObject({ response_action: 'update', view: { title: { text: 'Done' } } });
    const toTom = (await until(() => dmsTo(fake, SLACK.tom)[0], "Tom's countersign DM")) as SlackCall;
    await until(async () => (await unsettled(first.baseUrl)) === 0, 'raise messages sent');

    // From now on Slack answers 500 to every message and update: nothing about the countersign can be sent.
    fake.failAlways('chat.postMessage', { status: 500 });
    fake.failAlways('chat.update', { status: 500 });
    const sentBefore = delivered(fake).length;
    const failedBefore = fake.callsTo('chat.postMessage').filter((call) => call.failed).length;
    expect(buttonsOf(toTom).map((button) => button.action_id)).toContain('escalation.countersign');
    await click(h, { userId: SLACK.tom, message: toTom, actionId: 'escalation.countersign' });
    const rationale = await openedView(fake, 2);
    const countersigned = await submit(h, { userId: SLACK.tom, view: rationale, values: { rationale: 'Agree, the risk has risen.' } });
    // The modal's "Done" is the HTTP answer, given after the decision's transaction committed.
    expect(countersigned.json).toMatchObject({ response_action: 'update', view: { title: { text: 'Done' } } });
    await until(() => fake.callsTo('chat.postMessage').filter((call) => call.failed).length > failedBefore, 'a failed send attempt');

    const code = await first.kill('SIGKILL');
    expect(code).toBe(-1);
    expect(delivered(fake).length).toBe(sentBefore); // nothing of the countersign went out before the kill
    if (!db.databaseUrl) expect(readFileSync(path.join(db.dataDir, 'dutydesk.lock'), 'utf8')).toBe(String(first.pid)); // stale lock left behind

    // Slack is healthy again; the bot starts on the same data and sends what was owed.
    fake.clearFailures();
    const second = await spawnBot({ env: botEnv(db, fake) });
    bots.push(second);
    await until(() => dmsTo(fake, SLACK.dev)[0], "Dev's acceptance DM");
    await until(async () => (await unsettled(second.baseUrl)) === 0, 'outbox drained after restart');
    expect(await metricValue({ baseUrl: second.baseUrl, name: 'dutydesk_outbox_rows', labels: { status: 'dead' } })).toBe(0);
    const afterRestart = delivered(fake).slice(sentBefore);
    expect(buttonsOf(dmsTo(fake, SLACK.dev)[0] as SlackCall).map((button) => button.action_id)).toEqual(['escalation.accept', 'escalation.decline']);
    expect(fake.messagesTo('C0NORTHPP').length).toBeGreaterThan(0);
    // Tom's old DM lost its buttons (chat.update), after the restart.
    const updates = fake.callsTo('chat.update').filter((call) => !call.failed && call.args.channel === fake.dmChannelFor(SLACK.tom));
    expect(updates.length).toBeGreaterThan(0);
    expect(duplicates(delivered(fake))).toBe(0);
    await second.kill('SIGTERM');

    // The store agrees: every outbox row is sent, one per delivered post or update.
    const rows = await inspect(db, async (app) => app.store.repos.outbox.byDedupePrefix(''));
    expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
    const postRows = rows.filter((row) => (row.target as { kind: string }).kind !== 'refresh').length;
    expect(delivered(fake).length).toBe(postRows);
    console.info(
      `[figures] crash-after-commit: ${afterRestart.length} message(s) owed at kill time delivered after restart, ${updates.length} update(s), ` +
        `${postRows} outbox message rows in all, 0 lost, ${duplicates(delivered(fake))} duplicate(s)`,
    );
  });
});

/** The example org with urgent countersign on a short ladder: every rung of a day-old deadline is due. */
const shortLadderOrg = () =>
  readFileSync(EXAMPLE_ORG_FILE, 'utf8').replace(
    'reminders: { repeatEvery: PT2H, managerAfter: "1 working day", seniorManagerAfter: "2 working days" }',
    'reminders: { repeatEvery: PT10M, managerAfter: PT30M, seniorManagerAfter: PT1H }',
  );

const ESCALATIONS = Number(process.env.CHAOS_SWEEP_ITEMS ?? 700);

describe('kill -9 in the middle of a sweep of many due deadlines', () => {
  let fake: FakeSlack;
  let db: TestDb;
  let orgFile: string;
  const bots: BotProcess[] = [];
  beforeAll(async () => {
    fake = await startFakeSlack();
    db = await createTestDatabase();
    orgFile = path.join(db.dataDir, '..', `${path.basename(db.dataDir)}-org.yaml`);
    writeFileSync(orgFile, shortLadderOrg());
    // Yesterday, urgent escalations were raised and their first messages sent; nobody countersigned.
    const env = parseEnv({
      DATA_DIR: db.dataDir,
      ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
      LOG_LEVEL: 'silent',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake.url,
    });
    const clock = createTestClock(new Date(Date.now() - 24 * 3_600_000));
    const org = parseOrgText({ text: shortLadderOrg(), fileName: orgFile });
    const app = await createApp({ env, org, orgFile, clock, logger: createLogger({ level: 'silent' }), background: false });
    try {
      for (let i = 0; i < ESCALATIONS; i++) {
        const result = await escalateCommand.submit({
          ctx: app.ctx,
          actorId: i % 2 ? 'amara' : 'ben',
          values: {
            crn: `X${String(600000 + i)}`,
            roshCurrent: 'HIGH',
            roshNew: 'VERY_HIGH',
            reason: 'breach_or_new_offence',
            urgency: 'urgent',
            receivingUnitId: 'north-pp',
            summary: 'Breached licence conditions; new intelligence from police.',
            oasysReviewed: ['done'],
          },
          context: {},
          platform: 'slack',
        });
        if (!result.ok) throw new Error('raise failed');
      }
      await app.dispatcher.drain();
    } finally {
      await app.stop();
    }
    fake.reset();
  }, 300_000);
  afterAll(async () => {
    for (const bot of bots) await bot.kill('SIGKILL');
    await fake?.close();
    await db?.cleanup();
    if (orgFile && existsSync(orgFile)) rmSync(orgFile);
  });

  /** A reminder DM about one item ("Reminder: … for ESC-000001 (X600001) …"), not a digest. */
  const isReminder = (call: SlackCall) => /^(Reminder|Overdue)[^:]*: .* for ESC-\d+ \(X\d{6}\)/.test(String(call.args.text ?? ''));

  it('sends every rung once after a restart; only the documented at-least-once edge can double one', async () => {
    const first = await spawnBot({ env: botEnv(db, fake, { ORG_FILE: orgFile }) });
    bots.push(first);
    // The start-up sweep claims the due deadlines in batches of 500; kill as soon as the first reminder lands.
    await until(() => delivered(fake).some(isReminder), 'the first reminder', 120_000);
    await first.kill('SIGKILL');
    const beforeKill = delivered(fake).filter(isReminder).length;

    const second = await spawnBot({ env: botEnv(db, fake, { ORG_FILE: orgFile }) });
    bots.push(second);
    // The owner and manager rungs are due; the senior manager, already reached on the manager rung (the
    // countersigner is the unit manager), is not chased again on the senior rung (#13).
    const expected = ESCALATIONS * 2;
    await until(() => delivered(fake).filter(isReminder).length >= expected, `${expected} reminders`, 180_000);
    await until(async () => (await unsettled(second.baseUrl)) === 0, 'outbox drained', 60_000);
    await second.kill('SIGTERM');

    const reminders = delivered(fake).filter(isReminder);
    const doubled = duplicates(reminders);
    const { rows, unchased } = await inspect(db, async (app) => {
      const outboxRows = await app.store.repos.outbox.byDedupePrefix('reminder:');
      const open = await app.store.repos.items.countsByState();
      return { rows: outboxRows, unchased: open };
    });
    // Every rung of every deadline was written once (unique keys) and sent.
    expect(rows.length).toBe(expected);
    expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
    if (process.env.CHAOS_DEBUG) {
      const byCrn = new Map<string, string[]>();
      for (const call of reminders) {
        const crn = /\((X\d{6})\)/.exec(String(call.args.text))?.[1] ?? '?';
        byCrn.set(crn, [...(byCrn.get(crn) ?? []), `${String(call.args.channel)} ${String(call.args.text)}`]);
      }
      for (const [crn, texts] of byCrn) if (new Set(texts).size !== 2) console.info(crn, texts);
    }
    // No rung skipped: every (person, rung text) a row stands for arrived at least once.
    expect(new Set(reminders.map((call) => `${String(call.args.channel)}\u0000${String(call.args.text)}`)).size).toBe(expected);
    // Doubles can only be rows that were in flight at the kill (sent, not yet marked sent): at most one batch.
    expect(doubled).toBeLessThanOrEqual(20);
    expect(unchased.some((row) => row.state === 'awaiting_countersign')).toBe(true);
    console.info(
      `[figures] mid-sweep kill: ${ESCALATIONS} due deadlines, ${expected} rungs; ${beforeKill} reminders delivered before SIGKILL, ` +
        `${reminders.length - beforeKill} after restart; ${expected} distinct delivered, 0 skipped, ${doubled} doubled`,
    );
  });
});
