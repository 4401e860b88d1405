/** The smaller holes of the security review, one test each (the rest live with their features). */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutyCommand } from '../../commands/duty.command.js';
import { escalateCommand } from '../../commands/escalate.command.js';
import { runExportCli } from '../../scripts/export.js';
import { parseEnv } from '../../src/config/env.config.js';
import { openDatabase } from '../../src/db/database.js';
import { StoreUnavailableError } from '../../src/db/store.js';
import { createReplayLedger } from '../../src/slack/replay-guard.js';
import { messageCard } from '../../src/teams/teams-cards.js';
import { csvCell } from '../../src/use-cases/export.use-case.js';
import { refusalWords } from '../../src/use-cases/refusal-words.js';
import { isDomainError } from '../../src/domain/errors.js';
import { EXAMPLE_ORG_FILE } from '../support/test-org.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import { messageActivity, postActivity } from '../support/bot-activities.js';
import { AAD, type TeamsHarness, startTeamsHarness } from '../teams/teams-harness.js';

const modeOf = (file: string) => statSync(file).mode & 0o777;
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? [full, ...walk(full)] : [full];
  });

describe('embedded data directory', () => {
  it.skipIf(Boolean(process.env.DATABASE_URL))(
    "is the owner's only: directory 0700, every file 0600, also when it existed with a looser mode",
    async () => {
      const root = mkdtempSync(path.join(tmpdir(), 'dutydesk-perm-'));
      try {
        const dataDir = path.join(root, 'data');
        mkdirSync(dataDir, { mode: 0o755 });
        chmodSync(dataDir, 0o755);
        const database = await openDatabase({ dataDir });
        await database.close();
        expect(modeOf(dataDir)).toBe(0o700);
        const loose = walk(dataDir).filter((file) => (modeOf(file) & 0o077) !== 0);
        expect(loose).toEqual([]);
        expect(walk(dataDir).length).toBeGreaterThan(100); // the cluster's files were really there to check
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it('main sets a 0077 umask before anything else', () => {
    const main = readFileSync(new URL('../../src/main.ts', import.meta.url), 'utf8');
    expect(main.indexOf('process.umask(0o077)')).toBeGreaterThan(0);
    expect(main.indexOf('process.umask(0o077)')).toBeLessThan(main.indexOf('parseEnv(process.env)'));
  });
});

describe('npm run export --out', () => {
  it('writes the file 0600 and never replaces it without --force', async () => {
    const database = await createTestDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), 'dutydesk-export-'));
    const env = { DATA_DIR: database.dataDir, ORG_FILE: EXAMPLE_ORG_FILE, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}) };
    const err: string[] = [];
    const run = (argv: string[]) => runExportCli({ argv, env, cwd: dir, stdout: () => undefined, stderr: (text) => err.push(text) });
    try {
      expect(await run(['--crn', 'X123456', '--out', 'case.csv'])).toBe(0);
      const file = path.join(dir, 'case.csv');
      expect(modeOf(file)).toBe(0o600);
      writeFileSync(file, 'kept');
      chmodSync(file, 0o644);
      expect(await run(['--crn', 'X123456', '--out', 'case.csv'])).toBe(4);
      expect(err.at(-1)).toBe('dutydesk export: case.csv already exists: choose another --out, or add --force to replace it.\n');
      expect(readFileSync(file, 'utf8')).toBe('kept');
      expect(await run(['--crn', 'X123456', '--out', 'case.csv', '--force'])).toBe(0);
      expect(readFileSync(file, 'utf8')).toMatch(/^seq,time_utc/);
      expect(modeOf(file)).toBe(0o600);
      expect(await run(['--crn', 'X123456', '--force'])).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await database.cleanup();
    }
  }, 120_000);
});

describe('text that must stay text', () => {
  it('guards CSV cells a spreadsheet would run as a formula, also after spaces and in full-width forms', () => {
    for (const value of ['=1+1', ' =1+1', '   +A1', '\t=cmd', '-2+3', '@SUM(A1)', '＝HYPERLINK("x")', '＋1', '－1', '＠x', '\u3000=1']) {
      expect(csvCell(value).replace(/^"/, ''), JSON.stringify(value)).toMatch(/^'/);
    }
    for (const value of ['Risk went up', '12 = 12', 'A-1', 'ok@example.org']) expect(csvCell(value)).toBe(value);
  });

  it('renders no Markdown link from user text in a Teams card', () => {
    const card = messageCard({
      text: 'x',
      title: 'Escalation [ESC-1](https://evil.example)',
      actions: [],
      fields: [{ label: 'CRN', value: '[Open the case](https://evil.example/steal)' }],
      details: [{ label: 'Summary', value: 'See ![img](https://evil.example/p.png) and [ref][1]\n[1]: https://evil.example' }],
      lines: ['[line](javascript:alert(1))'],
    });
    const json = JSON.stringify(card);
    expect(json).not.toMatch(/\]\(|\]\[|\n\[1\]:/);
    expect(json).toContain('[Open the case]\u200B(https://evil.example/steal)'); // reads the same, links nowhere
  });
});

describe('on a real PostgreSQL engine', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { SLACK_SIGNING_SECRET: 'x', SLACK_BOT_TOKEN: 'xoxb-x', SLACK_API_URL: 'http://127.0.0.1:9/api/' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("puts only the unit's own people on its duty", async () => {
    const refused = await dutyCommand.run({ ctx: t.app.ctx, actorId: 'kate', text: 'north-pp @amara', platform: 'slack' }).catch((error: unknown) => error);
    expect(isDomainError(refused) && refused.code).toBe('duty.not_unit_member');
    expect(refusalWords({ error: refused as never, directory: t.app.ctx.directory })).toBe(
      "Amara Okafor is not in North Public Protection Unit: only the unit's own people can be put on its duty. Nothing was changed.",
    );
    expect(await t.app.store.repos.duty.history({ unitId: 'north-pp' })).toEqual([]);
    const ok = await dutyCommand.run({ ctx: t.app.ctx, actorId: 'kate', text: 'north-pp @omar', platform: 'slack' });
    expect(ok.message.title).toBe('Duty changed: North Public Protection Unit');
  });

  it('matches dedupe prefixes literally: "_" in a unit id is not a wildcard', async () => {
    const now = t.clock.now();
    await t.app.store.transaction((repos) =>
      repos.outbox.enqueue([
        {
          dedupeKey: 'digest:north-3:2026-11-24:channel:slack:C0NORTH3',
          platform: 'slack',
          target: { kind: 'channel', id: 'C0NORTH3' },
          payload: { kind: 'static', message: { text: 'x', title: 'x', fields: [], actions: [] } },
          nextAttemptAt: now,
          status: 'dead',
        },
      ]),
    );
    expect(await t.app.store.repos.outbox.existsWithPrefix('digest:north-3:2026-11-24')).toBe(true);
    expect(await t.app.store.repos.outbox.existsWithPrefix('digest:north_3:2026-11-24')).toBe(false);
    expect(await t.app.store.repos.outbox.existsWithPrefix('digest:north%:2026-11-24')).toBe(false);
  });

  it('remembers a signed Slack request once in the shared ledger, and forgets it after the window', async () => {
    let now = Date.now();
    const ledger = createReplayLedger({ remember: (row) => t.app.store.transaction((repos) => repos.replayLedger.remember(row)), now: () => now });
    const request = { timestamp: Math.floor(now / 1000), signature: 'v0=abc' };
    expect(await ledger.remember(request)).toBe(true);
    expect(await ledger.remember(request)).toBe(false);
    expect(await ledger.remember({ ...request, signature: 'v0=def' })).toBe(true);
    now += 6 * 60 * 1000; // past the 5-minute window: the rows are pruned (and Slack's check refuses such a request anyway)
    expect(await ledger.remember({ timestamp: Math.floor(now / 1000), signature: 'v0=new' })).toBe(true);
    const rows = (await t.app.database.db.execute('SELECT request_key FROM slack_request_ledger ORDER BY request_key')) as unknown as { rows: { request_key: string }[] };
    expect(rows.rows.map((row) => row.request_key)).toEqual([`${Math.floor(now / 1000)}:v0=new`]);
  });

  it("falls back to this replica's memory while the database is down, and still refuses a replay to it", async () => {
    const down = new StoreUnavailableError(new Error('ECONNREFUSED'));
    let fallbacks = 0;
    const ledger = createReplayLedger({
      remember: async () => {
        throw down;
      },
      isUnavailable: (error) => error === down,
      onFallback: () => (fallbacks += 1),
    });
    const request = { timestamp: Math.floor(Date.now() / 1000), signature: 'v0=down' };
    expect(await ledger.remember(request)).toBe(true);
    expect(await ledger.remember(request)).toBe(false);
    expect(fallbacks).toBe(1);
    const buggy = createReplayLedger({
      remember: async () => {
        throw new TypeError('bug');
      },
      isUnavailable: (error) => error === down,
    });
    await expect(buggy.remember(request)).rejects.toThrow('bug');
  });

  it('clears the rendered narrative of outbox rows sent more than OUTBOX_RETENTION ago, and nothing else', async () => {
    expect(parseEnv({}).OUTBOX_RETENTION).toBe(7 * 24 * 3600 * 1000);
    const result = await escalateCommand.submit({
      ctx: t.app.ctx,
      actorId: 'amara',
      context: {},
      platform: 'slack',
      values: {
        crn: 'X777001',
        roshCurrent: 'MEDIUM',
        roshNew: 'HIGH',
        reason: 'rosh_increase',
        urgency: 'standard',
        receivingUnitId: 'north-pp',
        summary: 'Narrative that must not stay in the outbox.',
        oasysReviewed: ['done'],
      },
    });
    expect(result.ok).toBe(true);
    const rows = async () => (await t.app.store.repos.outbox.byDedupePrefix('escalation:')).filter((row) => JSON.stringify(row.target).length > 0);
    const queued = await rows();
    expect(queued.length).toBeGreaterThan(0);
    // Mark them sent now (the fake Web API is not running in this test), as the dispatcher would.
    for (const row of queued) await t.app.store.transaction((repos) => repos.outbox.markSent({ id: row.id, at: t.clock.now() }));
    t.clock.advance(6 * 24 * 3600 * 1000);
    expect(await t.app.outboxRetention.runOnce()).toEqual({ cleared: 0 });
    t.clock.advance(2 * 24 * 3600 * 1000);
    expect(await t.app.outboxRetention.runOnce()).toEqual({ cleared: queued.length });
    const after = await rows();
    expect(after.map((row) => row.payload)).toEqual(queued.map(() => ({ cleared: true })));
    expect(JSON.stringify(after)).not.toContain('Narrative that must not stay');
    expect(after.map((row) => [row.id, row.status, row.dedupeKey])).toEqual(queued.map((row) => [row.id, 'sent', row.dedupeKey]));
    // The canonical record is untouched.
    expect((await t.app.store.repos.items.escalationsByCrn('X777001'))[0]?.summary).toBe('Narrative that must not stay in the outbox.');
    expect(await t.app.outboxRetention.runOnce()).toEqual({ cleared: 0 });
  });
});

describe('Teams conversation references', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('are never re-pointed by a later activity from another host or conversation', async () => {
    expect(await h.install('tom')).toBe(200);
    const stored = await h.t.app.store.repos.teams.reference(AAD.tom);
    expect(stored).toMatchObject({ serviceUrl: h.fake.url });
    const elsewhere = h.fake.url.replace('127.0.0.1', 'localhost'); // another host, still a loopback one the emulator mode serves
    expect((await postActivity({ baseUrl: h.t.baseUrl, activity: messageActivity({ ...h.base('tom'), serviceUrl: elsewhere, text: 'help' }) })).status).toBe(200);
    expect((await postActivity({ baseUrl: h.t.baseUrl, activity: messageActivity({ ...h.base('tom'), conversationId: 'a:someone-elses-chat', text: 'help' }) })).status).toBe(200);
    expect(await h.t.app.store.repos.teams.reference(AAD.tom)).toEqual(stored);
    // The same conversation refreshes it (e.g. a new bot name) without moving it.
    expect((await h.say('tom', 'help')).status).toBe(200);
    expect(await h.t.app.store.repos.teams.reference(AAD.tom)).toMatchObject({ serviceUrl: h.fake.url, conversation: (stored as { conversation: object }).conversation });
  });
});
