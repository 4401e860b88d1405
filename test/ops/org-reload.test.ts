import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { EXAMPLE_ORG_FILE, SLACK } from '../support/test-org.js';
import { type Harness, SECRET, clickForForm, dmsTo, textOf, escalationValues, openedView, slash, submit } from '../slack/slack-harness.js';

/** A new starter (Nia, in North Team 3), North Team 3's manager moved from Tom to Priya, a Teams channel for the PPU. */
const reloaded = (text: string) =>
  text
    .replace('  - { id: will, name: Will Evans, slack: U0WILL }', '  - { id: will, name: Will Evans, slack: U0WILL }\n  - { id: nia, name: Nia Brooks, slack: U0NIA }')
    .replace('    manager: tom\n    seniorManager: sam\n    members: [amara, ben]', '    manager: priya\n    seniorManager: sam\n    members: [amara, ben, nia]')
    .replace('    channel: { slack: C0NORTHPP }', '    channel: { slack: C0NORTHPP, teams: "19:ppu@thread.tacv2" }')
    .replace('countersign:  { standard: "1 working day",  urgent: PT2H }', 'countersign:  { standard: "2 working days",  urgent: PT2H }')
    .replace('repeatEvery: PT2H,', 'repeatEvery: PT3H,');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const orgDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dutydesk-org-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'org.yaml');
  writeFileSync(file, readFileSync(EXAMPLE_ORG_FILE, 'utf8'));
  return file;
};

const start = async (args: { orgFile: string; watchOrg?: boolean }): Promise<Harness & { fake: FakeSlack; t: TestApp }> => {
  const fake = await startFakeSlack();
  const t = await startTestApp({ orgFile: args.orgFile, watchOrg: args.watchOrg, env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.url } });
  const h = {
    t,
    fake,
    stop: async () => {
      await t.stop();
      await fake.close();
    },
  };
  cleanups.push(h.stop);
  return h;
};

const health = async (t: TestApp) => (await fetch(`${t.baseUrl}/healthz`)).json() as Promise<{ status: string; org: { sha256: string } }>;

describe('reloading the org file', () => {
  it('applies a changed file on disk at once: a new starter can raise, the moved manager gets the countersign, the new Teams channel is used', { timeout: 90_000 }, async () => {
    const orgFile = orgDir();
    const h = await start({ orgFile, watchOrg: true });
    const before = await health(h.t);
    // An escalation open before the reload keeps its deadline and reminder policy (the snapshot on its row).
    await slash(h, { command: '/escalate', text: 'X111111', userId: SLACK.amara });
    await submit(h, { userId: SLACK.amara, view: await openedView(h.fake, 1), values: escalationValues({ crn: 'X111111' }) });
    const [earlier] = await h.t.app.store.repos.items.recentEscalations(1);
    const [earlierDeadline] = await h.t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: earlier!.id });

    writeFileSync(orgFile, reloaded(readFileSync(orgFile, 'utf8')));
    const [audit] = await vi.waitFor(
      async () => {
        const rows = await h.t.app.store.repos.records.auditEvents('config.reloaded');
        if (rows.length !== 1) throw new Error('not reloaded yet');
        return rows;
      },
      { timeout: 10_000 },
    );
    expect(audit!.details).toMatchObject({
      reason: 'file changed',
      previousSha256: before.org.sha256,
      changes: {
        peopleAdded: ['nia'],
        peopleRemoved: [],
        peopleChanged: [],
        unitsAdded: [],
        unitsRemoved: [],
        unitsChanged: [
          { id: 'north-3', fields: ['manager', 'members'] },
          { id: 'north-pp', fields: ['channel'] },
        ],
        settingsChanged: ['deadlines', 'reminders'],
      },
    });
    const after = await health(h.t);
    expect(after.status).toBe('ok');
    expect(after.org.sha256).toBe(audit!.details.sha256);
    expect(after.org.sha256).not.toBe(before.org.sha256);

    // Nia raises through Slack; Priya (North Team 3's manager now) is asked to countersign, Tom is not.
    await slash(h, { command: '/escalate', text: 'X777777', userId: 'U0NIA' });
    const form = await openedView(h.fake, 2);
    const submitted = await submit(h, { userId: 'U0NIA', view: form, values: escalationValues({ crn: 'X777777' }) });
    // New items take the new durations: two working days from Tue 10:00.
    expect((submitted.json as { view: { blocks: { text?: { text: string } }[] } }).view.blocks[0]?.text?.text).toContain('Priya Shah has been asked to countersign by Thu 26 Nov 2026, 17:00.');
    expect(await h.t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: earlier!.id })).toEqual([earlierDeadline]);
    expect(earlierDeadline).toMatchObject({ dueAt: new Date('2026-11-25T17:00:00Z'), policy: { deadline: '1 working day', repeatEvery: 'PT2H' } });
    const [row] = await h.t.app.store.repos.items.recentEscalations(1);
    expect(row).toMatchObject({ raisedBy: 'nia', countersignerId: 'priya', senderUnitId: 'north-3' });
    await h.t.app.dispatcher.drain();
    expect(dmsTo(h.fake, SLACK.priya)).toHaveLength(1);
    expect(dmsTo(h.fake, SLACK.tom)).toHaveLength(1); // only the one from before the reload
    expect(textOf(dmsTo(h.fake, SLACK.tom)[0]!)).toContain('X111111');

    // Priya countersigns (her button works: the new authority is live); the PPU's channels are the reloaded ones.
    const rationaleForm = await clickForForm(h, { userId: SLACK.priya, message: dmsTo(h.fake, SLACK.priya)[0]!, actionId: 'escalation.countersign' });
    await submit(h, { userId: SLACK.priya, view: rationaleForm, values: { rationale: 'Agreed.' } });
    expect((await h.t.app.store.repos.items.escalation(row!.id))?.state).toBe('awaiting_acceptance');
    expect(h.t.app.ctx.directory.unit('north-pp')?.channel).toEqual({ slack: 'C0NORTHPP', teams: '19:ppu@thread.tacv2' });
    const people = await h.t.app.store.repos.org.names();
    expect(people.get('nia')).toBe('Nia Brooks');
  });

  it('refuses an invalid file line by line, keeps the running organisation and counts the failure', { timeout: 90_000 }, async () => {
    const orgFile = orgDir();
    const h = await start({ orgFile });
    const before = await health(h.t);
    writeFileSync(orgFile, readFileSync(orgFile, 'utf8').replace('manager: tom', 'manager: nobody').replace('urgent: PT2H', 'urgent: soon'));
    const result = await h.t.app.org.reload('SIGHUP');
    expect(result).toEqual({
      ok: false,
      problems: [
        'org.yaml:26 units[0].manager: unknown person "nobody" (expected an id listed under people)',
        'org.yaml:58 deadlines.countersign.urgent: "soon": expected an ISO 8601 duration (PT2H) or "N working days" / "N working hours"',
      ],
    });
    expect(await health(h.t)).toEqual(before);
    expect(await h.t.app.store.repos.records.auditEvents('config.reloaded')).toHaveLength(0);
    const metrics = await (await fetch(`${h.t.baseUrl}/metrics`)).text();
    expect(metrics).toContain('dutydesk_org_reload_failures_total 1');
    // Tom still countersigns for North Team 3.
    expect(h.t.app.ctx.directory.managerOf('amara')).toBe('tom');
    await slash(h, { command: '/escalate', text: 'X123456', userId: SLACK.amara });
    const form = await openedView(h.fake, 1);
    await submit(h, { userId: SLACK.amara, view: form, values: escalationValues() });
    const [row] = await h.t.app.store.repos.items.recentEscalations(1);
    expect(row?.countersignerId).toBe('tom');
  });

  it('two replicas with different files report different hashes, and one behind the newest load says so', { timeout: 90_000 }, async () => {
    const first = orgDir();
    const second = orgDir();
    writeFileSync(second, reloaded(readFileSync(second, 'utf8')));
    const a = await start({ orgFile: first });
    const b = await start({ orgFile: second });
    const [ha, hb] = [await health(a.t), await health(b.t)];
    expect(ha.org.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(hb.org.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ha.org.sha256).not.toBe(hb.org.sha256);

    // Replica A's database then records a newer org (as another replica's reload would): A says it drifted.
    const warnings: unknown[][] = [];
    const spy = vi.spyOn(a.t.app.logger, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args));
    cleanups.push(() => spy.mockRestore());
    await a.t.app.store.repos.records.audit({ at: a.t.clock.now(), actorId: null, event: 'config.reloaded', details: { sha256: hb.org.sha256 } });
    expect(await a.t.app.org.drift.check()).toEqual({ drift: true, newest: hb.org.sha256 });
    expect(warnings).toEqual([[{ sha256: ha.org.sha256, newestStoredSha256: hb.org.sha256 }, expect.stringContaining('different org file')]]);
  });
});
