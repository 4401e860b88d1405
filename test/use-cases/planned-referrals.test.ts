// Planned referrals: a CSV of upcoming releases for a unit becomes planned referrals in one transaction (one line
// per bad row, nothing half-imported); each refer-by deadline chases the officer on time, then their manager (fake
// clock, over Slack HTTP), until the officer sends the referral from the reminder's button.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImportCli } from '../../scripts/import-releases.js';
import { importPlannedReferrals } from '../../src/use-cases/planned-referrals.use-case.js';
import { raiseReferral } from '../../src/use-cases/referrals.use-case.js';
import { type Harness, buttonsOf, clickForForm, dmsTo, inputBlock, startHarness, submit, textOf } from '../slack/slack-harness.js';
import { stateValue } from '../support/slack-requests.js';
import { createTestClock } from '../support/test-clock.js';
import { EXAMPLE_ORG_FILE, SLACK } from '../support/test-org.js';

const HEADER = 'CRN,NOMS,prison,release date,date type,officer';
const csv = (...rows: string[]) => `${[HEADER, ...rows].join('\n')}\n`;

describe('planned referrals: the import', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });
  const run = (text: string, extra: { providerUnitId?: string } = {}) => importPlannedReferrals({ ctx: h.t.app.ctx, unitId: 'north-3', csv: text, ...extra });
  const stored = async () =>
    (await h.t.app.store.repos.raised.referralsRaisedBy({ personId: 'amara', limit: 1000 })).length + (await h.t.app.store.repos.raised.referralsRaisedBy({ personId: 'ben', limit: 1000 })).length;

  it('refuses each bad file with one line per bad row, and stores nothing', async () => {
    expect(await run('CRN,NOMS,prison,release date\nX100001,A1234BC,HMP Leeds,2027-03-16\n')).toEqual({ ok: false, errors: ['line 1: missing column: date type'] });
    const sixGood = [1, 2, 3, 4, 5, 6].map((n) => `X10000${n},A1234BC,HMP Leeds,2027-03-16,CRD,amara`);
    expect(await run(csv(...sixGood, 'X12345,A1234BC,HMP Leeds,2027-03-16,CRD,amara'))).toEqual({
      ok: false,
      errors: ['line 8: CRN: A CRN is one letter and 6 digits, like X123456'],
    });
    // Line 7 of the file itself (the header is line 1): a bad CRN there.
    expect(await run(csv(...sixGood.slice(0, 5), 'Y99,A1234BC,HMP Leeds,2027-03-16,CRD,amara'))).toEqual({
      ok: false,
      errors: ['line 7: CRN: A CRN is one letter and 6 digits, like X123456'],
    });
    expect(await run(csv('X200001,A1234BC,HMP Leeds,2026-11-01,CRD,amara', 'X200002,A1234BC,HMP Leeds,2030-01-01,ARD,amara', 'X200003,A1234BC,HMP Leeds,2027-03-16,XYZ,nobody'))).toEqual({
      ok: false,
      errors: [
        'line 2: release date: the release date must be after today',
        'line 3: release date: the release date must be within 3 years from today',
        'line 4: date type: expected a date type: CRD, ARD, PED, HDCED, PRRD, confirmed, other; officer: the officer is not in this unit',
      ],
    });
    expect(await run(`${HEADER},referral type\nX300001,A1234BC,HMP Leeds,2027-03-16,CRD,amara,Housing\n`)).toEqual({
      ok: false,
      errors: ["line 2: referral type: expected a referral type: Resettlement, Accommodation, Personal wellbeing, Women's services, Other"],
    });
    expect(await run(csv('X400001,A1234BC,HMP Leeds,2027-03-16,CRD,amara', 'x400001,A1234BC,HMP Hull,2027-03-16,PED,ben'))).toEqual({
      ok: false,
      errors: ['line 3: X400001 with release 2027-03-16 is already on line 2'],
    });
    expect(await run(csv('X400001,A1234BC,HMP Leeds,2027-03-16,CRD,amara'), { providerUnitId: 'north-pp' })).toEqual({
      ok: false,
      errors: ['choose the provider with --provider (one of: gateway-resettle)'],
    });
    expect(await stored()).toBe(0);
    expect(await h.t.app.store.repos.deadlines.open()).toEqual([]);
  });

  it('imports a good file in one go, and refuses the same CRN and release date again', async () => {
    const result = await run(csv('X500001,A1234BC,HMP Leeds,2027-03-16,CRD,amara', 'X500002,B2345CD,HMP Hull,2027-03-23,hdced,ben', 'X500003,C3456DE,HMP Leeds,2027-04-20,confirmed,'));
    expect(result).toEqual({ ok: true, count: 3, refs: ['REF-000001', 'REF-000002', 'REF-000003'], officersTold: 2 });
    const rows = await h.t.app.store.repos.items.referralsByIds([1, 2, 3]);
    expect(rows.map((row) => [row.crn, row.state, row.raisedBy, row.referBy, row.releaseType, row.providerUnitId]).sort()).toEqual([
      ['X500001', 'to_refer', 'amara', '2026-12-01', 'CRD', 'gateway-resettle'],
      ['X500002', 'to_refer', 'ben', '2026-12-08', 'HDCED', 'gateway-resettle'],
      ['X500003', 'to_refer', 'tom', '2027-01-05', 'confirmed', 'gateway-resettle'],
    ]);
    const deadlines = await h.t.app.store.repos.deadlines.open();
    expect(deadlines.map((d) => [d.itemId, d.kind, d.dueAt.toISOString(), d.owners]).sort()).toEqual([
      [1, 'referBy', '2026-12-01T09:00:00.000Z', [{ kind: 'person', personId: 'amara' }]],
      [2, 'referBy', '2026-12-08T09:00:00.000Z', [{ kind: 'person', personId: 'ben' }]],
      [3, 'referBy', '2027-01-05T09:00:00.000Z', [{ kind: 'person', personId: 'tom' }]],
    ]);
    // No provider is told anything yet: the referral is not sent.
    expect((await h.t.app.store.repos.outbox.byDedupePrefix('referral:')).length).toBe(0);
    // Each officer the plans were recorded for is told once, by DM; Tom imported them (as the unit manager) and is not.
    await h.t.app.dispatcher.drain();
    expect(dmsTo(h.fake, SLACK.amara).map(textOf)).toEqual([
      [
        'Tom Reyes recorded 1 planned referral(s) for you (North Team 3)', // the notification text, then the message's header
        'Tom Reyes recorded 1 planned referral(s) for you (North Team 3)',
        'REF-000001 · X500001 · release Tue 16 Mar 2027 · refer by Tue 1 Dec 2026',
        'You are reminded from each refer-by date until it is sent: Send the referral on the reminder, or /refer with the CRN. /cases mine lists them.',
      ].join('\n'),
    ]);
    expect(dmsTo(h.fake, SLACK.ben).map((call) => textOf(call).split('\n')[2])).toEqual(['REF-000002 · X500002 · release Tue 23 Mar 2027 · refer by Tue 8 Dec 2026']);
    expect(dmsTo(h.fake, SLACK.tom)).toEqual([]);
    h.fake.reset(); // the chase below counts from here
    expect(await run(csv('X500001,A1234BC,HMP Leeds,2027-03-16,CRD,amara'))).toEqual({
      ok: false,
      errors: ['line 2: X500001 already has a referral for release 2027-03-16 (REF-000001)'],
    });
    expect(await stored()).toBe(2);
  });

  it('chases each refer-by deadline on time: the officer at 09:00 on the day, their manager a working day later', async () => {
    const { t, fake } = h;
    t.clock.set('2026-12-01T08:59:00Z');
    await t.app.scheduler.sweepOnce();
    await t.app.dispatcher.drain();
    expect(dmsTo(fake, SLACK.amara)).toHaveLength(0);
    t.clock.set('2026-12-01T09:00:00Z');
    await t.app.scheduler.sweepOnce();
    await t.app.dispatcher.drain();
    const [reminder] = dmsTo(fake, SLACK.amara);
    expect(dmsTo(fake, SLACK.amara)).toHaveLength(1);
    expect(textOf(reminder!)).toMatch(/Reminder: Referral to send \(refer by\) REF-000001, due now/);
    expect(buttonsOf(reminder!).map((button) => button.action_id)).toEqual(['referral.send_planned', 'referral.cancel_planned']);
    expect(dmsTo(fake, SLACK.ben)).toHaveLength(0);
    expect(dmsTo(fake, SLACK.tom)).toHaveLength(0);

    t.clock.set('2026-12-02T09:00:00Z');
    await t.app.scheduler.sweepOnce();
    await t.app.dispatcher.drain();
    const toTom = dmsTo(fake, SLACK.tom);
    expect(toTom).toHaveLength(1);
    expect(textOf(toTom[0]!)).toMatch(/Overdue in your team: Referral to send \(refer by\) REF-000001/);
    t.clock.set('2026-12-08T09:00:00Z');
    await t.app.scheduler.sweepOnce();
    await t.app.dispatcher.drain();
    expect(dmsTo(fake, SLACK.ben)).toHaveLength(1);

    // Amara sends it from the reminder: the referral form, filled in with what was planned.
    const form = await clickForForm(h, { userId: SLACK.amara, message: reminder!, actionId: 'referral.send_planned' });
    expect((inputBlock(form.blocks, 'prison')!.element as { initial_value?: string }).initial_value).toBe('HMP Leeds');
    expect((inputBlock(form.blocks, 'releaseDate')!.element as { initial_date?: string }).initial_date).toBe('2027-03-16');
    const sent = await submit(h, {
      userId: SLACK.amara,
      view: form,
      values: {
        noms: stateValue.text('A1234BC'),
        referralType: stateValue.select('Accommodation'),
        providerUnitId: stateValue.select('gateway-resettle'),
        prison: 'HMP Leeds',
        releaseDate: stateValue.date('2027-03-16'),
        releaseType: stateValue.select('CRD'),
        needs: stateValue.checkboxes(['accommodation']),
        notes: stateValue.text('Needs housing on release.'),
      },
    });
    expect((sent.json as { response_action: string }).response_action).toBe('update');
    expect(await t.app.store.repos.items.referral(1)).toMatchObject({ state: 'awaiting_acknowledgement', referralType: 'Accommodation', lateWeeks: 1, needs: ['accommodation'] });
    const open = await t.app.store.repos.deadlines.openForItem({ itemType: 'referral', itemId: 1 });
    expect(open.map((d) => d.kind).sort()).toEqual(['delivery', 'providerAssessment']);
    await t.app.dispatcher.drain();
    expect(textOf(dmsTo(fake, SLACK.will).at(-1)!)).toMatch(/New referral: REF-000001 for X500001/);
    const decision = (await t.app.store.repos.records.decisionsFor([{ itemType: 'referral', itemId: 1 }])).at(-1);
    expect(decision).toMatchObject({ action: 'send_planned', actorId: 'amara', fromState: 'to_refer', toState: 'awaiting_acknowledgement' });
    // The chase stops: a later sweep sends Amara nothing more about it.
    const reminders = () => dmsTo(fake, SLACK.amara).filter((call) => /Referral to send/.test(textOf(call))).length;
    const before = reminders();
    t.clock.set('2026-12-09T12:00:00Z');
    await t.app.scheduler.sweepOnce();
    await t.app.dispatcher.drain();
    expect(reminders()).toBe(before);

    // Ben sends his planned referral with /refer instead of the button: the plan is closed, its chase ends.
    const raised = await raiseReferral({
      ctx: t.app.ctx,
      actorId: 'ben',
      input: {
        crn: 'X500002',
        noms: 'B2345CD',
        referralType: 'Resettlement',
        providerUnitId: 'gateway-resettle',
        prison: 'HMP Hull',
        releaseDate: '2027-03-23',
        releaseType: 'HDCED',
        needs: [],
        notes: '',
      },
      platform: 'slack',
    });
    expect(raised.ref).toBe('REF-000004');
    expect(await t.app.store.repos.items.referral(2)).toMatchObject({ state: 'withdrawn' });
    expect((await t.app.store.repos.records.decisionsFor([{ itemType: 'referral', itemId: 2 }])).at(-1)).toMatchObject({ action: 'cancel_planned', actorId: 'ben', rationale: 'Sent as REF-000004' });
    expect(await t.app.store.repos.deadlines.openForItem({ itemType: 'referral', itemId: 2 })).toEqual([]);
    expect(fake.violations).toEqual([]);
  });
});

describe('npm run import:releases', () => {
  it('imports a file for a unit, or prints one line per bad row and stores nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dutydesk-import-'));
    try {
      const out: string[] = [];
      const err: string[] = [];
      const env = { DATA_DIR: path.join(dir, 'data'), ORG_FILE: EXAMPLE_ORG_FILE, LOG_LEVEL: 'silent' };
      const clock = createTestClock('2026-11-24T10:00:00Z');
      const io = { env, cwd: dir, clock, stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text) };
      writeFileSync(path.join(dir, 'bad.csv'), csv('X600001,A1234BC,HMP Leeds,2027-03-16,CRD,amara', 'X6,A1234BC,HMP Leeds,2027-03-16,CRD,amara'));
      expect(await runImportCli({ ...io, argv: ['--unit', 'north-3', 'bad.csv'] })).toBe(1);
      expect(err.join('')).toBe('dutydesk import: bad.csv: line 3: CRN: A CRN is one letter and 6 digits, like X123456\ndutydesk import: nothing imported (1 problem)\n');
      writeFileSync(path.join(dir, 'good.csv'), csv('X600001,A1234BC,HMP Leeds,2027-03-16,CRD,amara', 'X600002,A1234BC,HMP Leeds,2027-03-16,CRD,ben'));
      const code = await runImportCli({ ...io, argv: ['--unit', 'north-3', 'good.csv'] });
      expect(err.slice(2)).toEqual([]);
      expect(code).toBe(0);
      expect(out.join('')).toBe('Imported 2 planned referrals for North Team 3 (REF-000001 to REF-000002); 2 officers told by direct message.\n');
      expect(await runImportCli({ ...io, argv: ['good.csv'] })).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
