import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { turnDutyDays } from '../../src/use-cases/duty-handover.use-case.js';
import { type Harness, buttonsOf, clickForForm, dmsTo, raiseViaSlack, slash, startHarness, textOf } from '../slack/slack-harness.js';
import { SLACK } from '../support/test-org.js';
import { countersign, dutySnapshot, orgProblems, rotaOrg } from './rota-support.js';
import { readFileSync } from 'node:fs';
import { EXAMPLE_ORG_FILE } from '../support/test-org.js';

describe('Slack: the duty rota over time, over HTTP', () => {
  let h: Harness;
  let id = 0;
  let asked = 0;
  beforeAll(async () => {
    h = await startHarness({ org: rotaOrg() }); // Tue 24 Nov 2026, 10:00
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Type `/duty <text>` as someone and return the one private line (or card text) they got back. */
  const duty = async (userId: string, text: string) => {
    asked += 1;
    const responseId = `duty-${asked}`;
    const res = await slash(h, { command: '/duty', text, userId, responseUrl: h.fake.responseUrl(responseId) });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(h.fake.responsesTo(responseId)).toHaveLength(1));
    const body = h.fake.responsesTo(responseId)[0]!.body as { text: string; response_type: string; blocks?: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    return { text: body.text, all: textOf({ args: body } as never) };
  };
  const updatesTo = (userId: string) => h.fake.callsTo('chat.update').filter((call) => call.args.channel === h.fake.dmChannelFor(userId));

  it('rejects a rota entry naming an unknown person or someone outside the unit, with its line', () => {
    const text = readFileSync(EXAMPLE_ORG_FILE, 'utf8').replace(
      '    duty: [dev]\n    receives: [escalations]\n',
      '    duty: [dev]\n    rota: { mon: [dev], tue: [bob, amara] }\n    receives: [escalations]\n',
    );
    expect(orgProblems(text)).toEqual([
      'org.yaml:44 units[2].rota.tue[0]: unknown person "bob" (expected an id listed under people)',
      'org.yaml:44 units[2].rota.tue[1]: "amara" is not in this unit (expected its manager, a member or a duty officer)',
    ]);
    expect(orgProblems(text.replace('tue: [bob, amara]', 'tue: [omar]'))).toEqual([]);
  });

  it('moves the pending acceptance to the new duty officer when /duty changes today, retiring the old buttons', async () => {
    const { t, fake } = h;
    id = await raiseViaSlack(h, { userId: SLACK.amara, crn: 'X123456' });
    await countersign(t, id);
    await t.app.dispatcher.drain();
    expect(dmsTo(fake, SLACK.dev)).toHaveLength(1);
    expect(buttonsOf(dmsTo(fake, SLACK.dev)[0]!).map((button) => button.action_id)).toEqual(['escalation.accept', 'escalation.decline']);
    expect(dmsTo(fake, SLACK.omar)).toHaveLength(0);

    const reply = await duty(SLACK.kate, 'north-pp <@U0OMAR>');
    expect(reply.text).toBe('Duty for North Public Protection Unit today (2026-11-24): Omar Haddad (was Dev Patel). Recorded with your name and the time.');
    await t.app.dispatcher.drain();

    // Omar: one DM, the acceptance request with its buttons. Dev: no new DM, his one message updated without buttons.
    expect(dmsTo(fake, SLACK.omar)).toHaveLength(1);
    const toOmar = dmsTo(fake, SLACK.omar)[0]!;
    expect(textOf(toOmar)).toMatch(/Escalation to accept: ESC-000001/);
    expect(buttonsOf(toOmar).map((button) => button.action_id)).toEqual(['escalation.accept', 'escalation.decline']);
    expect(dmsTo(fake, SLACK.dev)).toHaveLength(1);
    expect(updatesTo(SLACK.dev)).toHaveLength(1);
    expect(buttonsOf(updatesTo(SLACK.dev)[0]!)).toEqual([]);
    expect(textOf(updatesTo(SLACK.dev)[0]!)).toContain('Passed to Omar Haddad, now on duty for North Public Protection Unit.');
    expect(await t.app.store.repos.records.auditEvents('duty.handed_over')).toHaveLength(1);

    // Omar's buttons work: Accept opens its form for him.
    const form = await clickForForm(h, { userId: SLACK.omar, message: toOmar, actionId: 'escalation.accept' });
    expect(form.callbackId).toBe('decision');
  });

  it('refuses a person from another unit, a past date and malformed ranges with one private line each, changing nothing', async () => {
    const before = await dutySnapshot(h.t);
    const cases: [string, string][] = [
      ['north-pp <@U0AMARA>', "Amara Okafor is not in North Public Protection Unit: only the unit's own people can be put on its duty. Nothing was changed."],
      ['north-pp <@U0DEV> 2026-11-23', '2026-11-23 is in the past: duty can be set for today or later. Nothing was changed.'],
      ['north-pp <@U0DEV> 2026-11-30..2026-11-3x', '"2026-11-30..2026-11-3x" is not a day I understand: use today, tomorrow, YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD. Nothing was changed.'],
      ['north-pp <@U0DEV> 2026-12-02..2026-11-30', '2026-12-02..2026-11-30: the range ends before it starts. Nothing was changed.'],
      ['north-pp <@U0DEV> 2026-02-30', '"2026-02-30" is not a day I understand: use today, tomorrow, YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD. Nothing was changed.'],
    ];
    for (const [text, expected] of cases) expect((await duty(SLACK.kate, text)).text).toBe(expected);
    await h.t.app.dispatcher.drain();
    expect(await dutySnapshot(h.t)).toEqual(before);
  });

  it('/duty <unit> week shows the next 7 days from the rota, the default and ranged changes, each with its source', async () => {
    const ranged = await duty(SLACK.kate, 'north-pp <@U0OMAR> 2026-11-27..2026-11-28');
    expect(ranged.text).toBe('Duty for North Public Protection Unit from 2026-11-27 to 2026-11-28: Omar Haddad (was Dev Patel). Recorded with your name and the time.');
    const week = await duty(SLACK.dev, 'north-pp week');
    const lines = week.all.split('\n').filter((line) => /^• |^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) /.test(line.trim()));
    expect(lines.map((line) => line.replace(/^•\s*/, '').trim())).toEqual([
      'Tue 2026-11-24: Omar Haddad — set by Kate Morgan on Tue 24 Nov 2026, 10:00',
      'Wed 2026-11-25: Dev Patel — rota',
      'Thu 2026-11-26: Dev Patel — default',
      'Fri 2026-11-27: Omar Haddad — set by Kate Morgan on Tue 24 Nov 2026, 10:00',
      'Sat 2026-11-28: Omar Haddad — set by Kate Morgan on Tue 24 Nov 2026, 10:00',
      'Sun 2026-11-29: nobody (the unit manager is told instead) — rota',
      'Mon 2026-11-30: Dev Patel — default',
    ]);
    // The earlier change is still there: history, not an overwrite.
    expect((await h.t.app.store.repos.duty.history({ unitId: 'north-pp' })).map((row) => [row.onDate, row.untilDate, row.personIds])).toEqual([
      ['2026-11-27', '2026-11-28', ['omar']],
      ['2026-11-24', null, ['omar']],
    ]);
  });

  it('at midnight, when the rota names someone else, the pending acceptance moves once (across sweeps and restarts)', async () => {
    const { t, fake } = h;
    const omarBefore = dmsTo(fake, SLACK.omar).length;
    const devBefore = dmsTo(fake, SLACK.dev).length;
    t.clock.set('2026-11-25T00:00:30Z'); // Wed: the rota names Dev
    await t.app.scheduler.sweepOnce();
    await t.app.dispatcher.drain();
    expect(dmsTo(fake, SLACK.dev)).toHaveLength(devBefore + 1);
    const toDev = dmsTo(fake, SLACK.dev).at(-1)!;
    expect(textOf(toDev)).toMatch(/Escalation to accept: ESC-000001/);
    expect(buttonsOf(toDev).map((button) => button.action_id)).toEqual(['escalation.accept', 'escalation.decline']);
    expect(dmsTo(fake, SLACK.omar)).toHaveLength(omarBefore);
    expect(updatesTo(SLACK.omar)).toHaveLength(1);
    expect(buttonsOf(updatesTo(SLACK.omar)[0]!)).toEqual([]);
    expect(textOf(updatesTo(SLACK.omar)[0]!)).toContain('Passed to Dev Patel, now on duty for North Public Protection Unit.');

    // Another tick, and another process's tick: nothing more is sent.
    t.clock.set('2026-11-25T00:01:00Z');
    await t.app.scheduler.sweepOnce();
    expect(await turnDutyDays({ ctx: t.app.ctx })).toBe(0);
    await t.app.dispatcher.drain();
    expect(dmsTo(fake, SLACK.dev)).toHaveLength(devBefore + 1);
    expect(updatesTo(SLACK.omar)).toHaveLength(1);
    expect(await t.app.store.repos.records.auditEvents('duty.handed_over')).toHaveLength(2);
    expect(fake.violations).toEqual([]);
  });
});
