// `/refer plan [CRN]` on Slack: an officer records a release that will need a referral before it is ready. The
// plan is stored as the CSV import stores one (to_refer, a refer-by deadline owed by the officer) and is chased
// from its refer-by date with the referral's own buttons; bad input gets field errors and stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StateValue, stateValue } from '../support/slack-requests.js';
import { SLACK } from '../support/test-org.js';
import { type Harness, buttonsOf, dmsTo, openedView, slash, startHarness, submit, textOf } from './slack-harness.js';

const planValues = (overrides: Record<string, StateValue | string> = {}): Record<string, StateValue | string> => ({
  crn: 'X334455',
  noms: stateValue.text('A1234BC'),
  referralType: stateValue.select('Accommodation'),
  providerUnitId: stateValue.select('gateway-resettle'),
  prison: 'HMP Leeds',
  releaseDate: stateValue.date('2027-06-01'),
  releaseType: stateValue.select('CRD'),
  ...overrides,
});

describe('/refer plan on Slack', { timeout: 120_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(); // Tue 24 Nov 2026, 10:00
  });
  afterAll(async () => {
    await h?.stop();
  });
  const repos = () => h.t.app.store.repos;

  it('opens the plan form, refuses a release already due and a second plan, and chases the officer from the refer-by date', async () => {
    await slash(h, { command: '/refer', text: 'plan x334455', userId: SLACK.amara });
    const form = await openedView(h.fake, 1);
    expect(form.callbackId).toBe('refer');
    const view = h.fake.callsTo('views.open')[0]!.args.view as { title: { text: string }; submit: { text: string }; blocks: { block_id?: string; element?: { initial_value?: string } }[] };
    expect([view.title.text, view.submit.text]).toEqual(['Plan a referral', 'Record the plan']);
    expect(view.blocks.filter((block) => block.element).map((block) => block.block_id)).toEqual(['crn', 'noms', 'referralType', 'providerUnitId', 'prison', 'releaseDate', 'releaseType']);
    expect(view.blocks.find((block) => block.block_id === 'crn')?.element?.initial_value).toBe('X334455');

    // Release in eight weeks: inside the 15-week window, so the referral is due now and this is no plan.
    const soon = await submit(h, { userId: SLACK.amara, view: form, values: planValues({ releaseDate: stateValue.date('2027-01-19') }) });
    expect(soon.json).toEqual({ response_action: 'errors', errors: { releaseDate: 'This release is within 15 weeks: its referral is due now, so send it with /refer' } });
    expect(await repos().items.referralsByCrn('X334455')).toEqual([]);

    const done = await submit(h, { userId: SLACK.amara, view: form, values: planValues() });
    expect((done.json as { response_action: string }).response_action).toBe('update');
    expect(JSON.stringify(done.json)).toContain(
      'REF-000001 planned for X334455, to Gateway Resettlement Services: release on Tue 1 Jun 2027, refer by Tue 16 Feb 2027. From then you are reminded until it is sent: use Send the referral on the reminder, or /refer X334455.',
    );
    const [row, ...others] = await repos().items.referralsByCrn('X334455');
    expect(others).toEqual([]);
    expect(row).toMatchObject({ state: 'to_refer', raisedBy: 'amara', senderUnitId: 'north-3', providerUnitId: 'gateway-resettle', noms: 'A1234BC', releaseDate: '2027-06-01', referBy: '2027-02-16' });
    const deadlines = await repos().deadlines.forItem({ itemType: 'referral', itemId: row!.id });
    expect(deadlines.map((d) => [d.kind, d.dueAt.toISOString(), d.owners, d.metAt])).toEqual([['referBy', '2027-02-16T09:00:00.000Z', [{ kind: 'person', personId: 'amara' }], null]]);
    expect((await repos().records.decisionsFor([{ itemType: 'referral', itemId: row!.id }])).map((d) => [d.action, d.actorId, d.actorRole, d.toState, d.platform])).toEqual([
      ['raise', 'amara', 'raiser', 'to_refer', 'slack'],
    ]);
    expect((await repos().records.auditEvents('referral.planned')).map((event) => [event.actorId, event.crn, event.details])).toEqual([
      ['amara', 'X334455', { ref: 'REF-000001', senderUnitId: 'north-3', providerUnitId: 'gateway-resettle', releaseDate: '2027-06-01', referBy: '2027-02-16', platform: 'slack' }],
    ]);

    // The same release planned twice: refused on the CRN, nothing more stored.
    const again = await submit(h, { userId: SLACK.amara, view: form, values: planValues() });
    expect(again.json).toEqual({ response_action: 'errors', errors: { crn: 'X334455 already has a referral for release on Tue 1 Jun 2027 (REF-000001)' } });
    expect(await repos().items.referralsByCrn('X334455')).toHaveLength(1);

    // Nothing is said until the refer-by date; then Amara is reminded with the plan's own buttons.
    await h.t.app.scheduler.sweepOnce();
    await h.t.app.dispatcher.drain();
    expect(dmsTo(h.fake, SLACK.amara)).toEqual([]);
    h.t.clock.set('2027-02-16T09:00:00Z');
    await h.t.app.scheduler.sweepOnce();
    await h.t.app.dispatcher.drain();
    const reminders = dmsTo(h.fake, SLACK.amara);
    expect(reminders).toHaveLength(1);
    expect(textOf(reminders[0]!)).toMatch(/Reminder: Referral to send \(refer by\) REF-000001, due now/);
    expect(buttonsOf(reminders[0]!).map((button) => button.action_id)).toEqual(['referral.send_planned', 'referral.cancel_planned']);
  });
});
