// The raiser's own actions over Slack HTTP: edit and resubmit after a return (the countersigner's DM lists what
// changed), withdraw with and without a reason, a referral's release date changed from /cases mine.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SlackCall } from '../support/fake-slack.js';
import { blockActionPayload, stateValue } from '../support/slack-requests.js';
import { SLACK } from '../support/test-org.js';
import { type Harness, buttonsOf, clickForForm, dmsTo, escalationValues, inputBlock, interact, openedView, raiseViaSlack, slash, startHarness, submit, textOf } from './slack-harness.js';

const SUMMARY = 'Breached licence conditions; new intelligence from police.';
const NEW_SUMMARY = 'Breached licence conditions twice; police intelligence confirms contact with the victim.';

/** A response_url answer as a message call, so the harness's block helpers read it. */
const asCall = (body: unknown): SlackCall => ({ method: 'response_url', args: { ...(body as Record<string, unknown>), channel: 'D0AMARA' } }) as unknown as SlackCall;

describe('Slack: what an officer can do with their own items', () => {
  let h: Harness;
  let responses = 0;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** The answers on a response_url, once the first has arrived (Slack answers after the ack). */
  const responses_ = (id: string) =>
    vi.waitFor(
      () => {
        const got = h.fake.responsesTo(id);
        expect(got.length).toBe(1);
        return got;
      },
      { timeout: 10_000 },
    );

  /** `/cases mine` as Amara, answered on a response_url: the answer as a message call. */
  const casesMine = async () => {
    responses += 1;
    const id = `mine-${responses}`;
    await slash(h, { command: '/cases', text: 'mine', userId: SLACK.amara, responseUrl: h.fake.responseUrl(id) });
    const [answer] = await responses_(id);
    return asCall(answer!.body);
  };

  /** Click a button of a /cases mine answer as Amara (the value names the item). */
  const clickMine = (message: SlackCall, actionId: string, value: string) =>
    interact(h, blockActionPayload({ userId: SLACK.amara, actionId, value, channelId: 'D0AMARA', responseUrl: h.fake.responseUrl(`click-${value}`) }));

  it('edits a returned escalation (two fields) and resubmits it; the countersigner is told exactly what changed', async () => {
    const { fake, t } = h;
    const id = await raiseViaSlack(h, { userId: SLACK.amara, crn: 'X123456', summary: SUMMARY });
    await t.app.dispatcher.drain();
    const [toTom] = dmsTo(fake, SLACK.tom);
    const returnForm = await clickForForm(h, { userId: SLACK.tom, message: toTom!, actionId: 'escalation.return' });
    await submit(h, { userId: SLACK.tom, view: returnForm, values: { rationale: 'The risk level and the summary need updating.' } });
    expect((await t.app.store.repos.items.escalation(id))?.state).toBe('returned');
    await t.app.dispatcher.drain();

    const returned = dmsTo(fake, SLACK.amara).find((call) => textOf(call).includes('Returned for changes'))!;
    expect(buttonsOf(returned).map((button) => button.action_id)).toEqual(['escalation.resubmit', 'escalation.withdraw', 'escalation.edit_resubmit']);

    // The form opens filled in with what was sent.
    const form = await clickForForm(h, { userId: SLACK.amara, message: returned, actionId: 'escalation.edit_resubmit' });
    expect(form.callbackId).toBe('decision');
    expect(form.blocks.filter((block) => block.type === 'input').map((block) => block.block_id)).toEqual([
      'noms',
      'roshCurrent',
      'roshNew',
      'mappaCategory',
      'mappaLevel',
      'reason',
      'urgency',
      'receivingUnitId',
      'summary',
      'oasysRef',
      'rationale',
    ]);
    expect((inputBlock(form.blocks, 'summary')!.element as { initial_value?: string }).initial_value).toBe(SUMMARY);
    expect((inputBlock(form.blocks, 'roshNew')!.element as { initial_option?: { value: string } }).initial_option?.value).toBe('HIGH');
    expect((inputBlock(form.blocks, 'reason')!.element as { initial_option?: { value: string } }).initial_option?.value).toBe('breach_or_new_offence');

    const unchanged = { ...escalationValues({ summary: SUMMARY }), rationale: stateValue.text(null) };
    delete (unchanged as Record<string, unknown>).crn;
    delete (unchanged as Record<string, unknown>).oasysReviewed;
    const before = await t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }]);

    // An edit that changes nothing: one clear error in the form, nothing stored.
    const same = await submit(h, { userId: SLACK.amara, view: form, values: unchanged });
    expect(same.json).toEqual({
      response_action: 'errors',
      errors: { noms: 'Nothing has changed since it was returned: change at least one field, or use Resubmit to send it back as it was. Nothing was saved.'.slice(0, 150) },
    });
    expect((await t.app.store.repos.items.escalation(id))?.state).toBe('returned');
    expect(await t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }])).toHaveLength(before.length);

    // A bad OASys reference: the error under that field, nothing stored.
    const badRef = await submit(h, { userId: SLACK.amara, view: form, values: { ...unchanged, oasysRef: 'OAS-12' } });
    expect(badRef.json).toEqual({ response_action: 'errors', errors: { oasysRef: 'An OASys assessment reference is 1 to 12 digits, like 1234567' } });

    const edited = await submit(h, {
      userId: SLACK.amara,
      view: form,
      values: { ...unchanged, roshNew: stateValue.select('VERY_HIGH'), summary: NEW_SUMMARY, rationale: 'Updated as asked.' },
    });
    expect((edited.json as { response_action: string }).response_action).toBe('update');
    expect(JSON.stringify(edited.json)).toContain('ESC-000001 resubmitted for X123456 with 2 change(s). Tom Reyes has been asked to countersign again.');
    const row = await t.app.store.repos.items.escalation(id);
    expect(row).toMatchObject({ state: 'awaiting_countersign', roshNew: 'VERY_HIGH', summary: NEW_SUMMARY, urgency: 'urgent' });
    const decision = (await t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }])).at(-1);
    expect(decision).toMatchObject({
      action: 'edit_resubmit',
      actorId: 'amara',
      actorRole: 'raiser+old_case_manager',
      fromState: 'returned',
      toState: 'awaiting_countersign',
      rationale: 'Updated as asked.',
    });
    expect(decision?.changes).toEqual([
      { field: 'roshNew', from: 'HIGH', to: 'VERY_HIGH' },
      // Narrative is not copied into the append-only record: only that it changed.
      { field: 'summary', from: null, to: null, narrative: true },
    ]);

    // Tom's new DM: Countersign / Return, and the two changes, line by line.
    await t.app.dispatcher.drain();
    const again = dmsTo(fake, SLACK.tom).at(-1)!;
    expect(buttonsOf(again).map((button) => button.action_id)).toEqual(['escalation.countersign', 'escalation.return']);
    const section = textOf(again).split('\n');
    const at = section.indexOf('What changed:');
    expect(section.slice(at, at + 3)).toEqual(['What changed:', '• New RoSH level: High → Very high', `• Summary: “${SUMMARY}” → “${NEW_SUMMARY}”`]);
    // The timeline records the same changes.
    await slash(h, { command: '/cases', text: 'X123456', userId: SLACK.amara, responseUrl: fake.responseUrl('timeline') });
    const [timeline] = await responses_('timeline');
    const timelineText = textOf(asCall(timeline!.body));
    expect(timelineText).toContain('edit resubmit · “Updated as asked.”');
    expect(timelineText).toContain('    • New RoSH level: High → Very high\n    • Summary: changed');
    // No channel post carries the summary or the changes.
    for (const post of fake.messagesTo('C0NORTH3').concat(fake.messagesTo('C0NORTHPP'))) expect(textOf(post)).not.toContain('victim');
    expect(fake.violations).toEqual([]);
  });

  it('withdraws from /cases mine: a reason is required, then the item is withdrawn and the countersigner told', async () => {
    const { fake, t } = h;
    const id = await raiseViaSlack(h, { userId: SLACK.amara, crn: 'X234567' });
    await t.app.dispatcher.drain();
    const mine = await casesMine();
    const lines = textOf(mine);
    expect(lines).toContain('2 item(s) raised by you, 2 open');
    expect(lines).toContain('ESC-000002 · X234567 · Awaiting countersign · next: Tom Reyes, due Wed 25 Nov 2026, 17:00');
    expect(lines).toContain('ESC-000001 · X123456 · Awaiting countersign · next: Tom Reyes, due Tue 24 Nov 2026, 12:00');
    const withdraw = buttonsOf(mine).find((button) => button.value === `escalation:${id}:escalation.withdraw`)!;
    expect(withdraw.text.text).toBe('ESC-000002: Withdraw');
    expect(buttonsOf(mine).map((button) => button.text.text)).toEqual(['ESC-000002: Withdraw', 'ESC-000001: Withdraw']);

    const views = fake.callsTo('views.open').length;
    await clickMine(mine, 'escalation.withdraw', withdraw.value!);
    const form = await openedView(fake, views + 1);
    expect(form.blocks.filter((block) => block.type === 'input').map((block) => block.block_id)).toEqual(['rationale']);
    const empty = await submit(h, { userId: SLACK.amara, view: form, values: { rationale: '' } });
    expect(empty.json).toEqual({ response_action: 'errors', errors: { rationale: 'Give your rationale' } });
    expect((await t.app.store.repos.items.escalation(id))?.state).toBe('awaiting_countersign');

    const done = await submit(h, { userId: SLACK.amara, view: form, values: { rationale: 'Risk reassessed with the police: no longer needed.' } });
    expect((done.json as { response_action: string }).response_action).toBe('update');
    expect((await t.app.store.repos.items.escalation(id))?.state).toBe('withdrawn');
    expect((await t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: id })).length).toBe(0);
    await t.app.dispatcher.drain();
    expect(textOf(dmsTo(fake, SLACK.tom).at(-1)!)).toContain('Escalation withdrawn');
    const after = await casesMine();
    expect(textOf(after)).toContain('ESC-000002 · X234567 · Withdrawn');
    expect(buttonsOf(after).map((button) => button.text.text)).toEqual(['ESC-000001: Withdraw']);
  });

  it('changes a referral’s release date from /cases mine: a past or far date is refused, a good one moves the deadlines', async () => {
    const { fake, t } = h;
    const views = fake.callsTo('views.open').length;
    await slash(h, { command: '/refer', text: 'X345678', userId: SLACK.amara });
    const referForm = await openedView(fake, views + 1);
    const sent = await submit(h, {
      userId: SLACK.amara,
      view: referForm,
      values: {
        crn: 'X345678',
        noms: stateValue.text('A1234BC'),
        referralType: stateValue.select('Resettlement'),
        providerUnitId: stateValue.select('gateway-resettle'),
        prison: 'HMP Leeds',
        releaseDate: stateValue.date('2027-06-01'),
        releaseType: stateValue.select('CRD'),
        needs: stateValue.checkboxes(['accommodation']),
        notes: stateValue.text(null),
      },
    });
    expect((sent.json as { response_action: string }).response_action).toBe('update');
    const [referral] = await t.app.store.repos.raised.referralsRaisedBy({ personId: 'amara', limit: 1 });
    const deadlinesBefore = await t.app.store.repos.deadlines.openForItem({ itemType: 'referral', itemId: referral!.id });
    expect(deadlinesBefore.map((d) => [d.kind, d.dueAt.toISOString()]).sort()).toEqual([
      ['delivery', '2027-05-31T23:00:00.000Z'],
      ['providerAssessment', '2026-12-08T17:00:00.000Z'],
    ]);

    const mine = await casesMine();
    const change = buttonsOf(mine).find((button) => button.value === `referral:${referral!.id}:referral.change_release_date`)!;
    expect(change.text.text).toBe('REF-000001: Change release date');
    const opened = fake.callsTo('views.open').length;
    await clickMine(mine, 'referral.change_release_date', change.value!);
    const form = await openedView(fake, opened + 1);
    expect(form.blocks.filter((block) => block.type === 'input').map((block) => block.block_id)).toEqual(['releaseDate', 'rationale']);

    const past = await submit(h, { userId: SLACK.amara, view: form, values: { releaseDate: stateValue.date('2026-11-01'), rationale: stateValue.text(null) } });
    expect(past.json).toEqual({ response_action: 'errors', errors: { releaseDate: 'The release date must be after today' } });
    const far = await submit(h, { userId: SLACK.amara, view: form, values: { releaseDate: stateValue.date('2029-11-25'), rationale: stateValue.text(null) } });
    expect(far.json).toEqual({ response_action: 'errors', errors: { releaseDate: 'The release date must be within 3 years from today' } });
    expect((await t.app.store.repos.items.referral(referral!.id))?.releaseDate).toBe('2027-06-01');

    const moved = await submit(h, { userId: SLACK.amara, view: form, values: { releaseDate: stateValue.date('2027-09-01'), rationale: 'Parole board date moved.' } });
    expect((moved.json as { response_action: string }).response_action).toBe('update');
    expect((await t.app.store.repos.items.referral(referral!.id))?.releaseDate).toBe('2027-09-01');
    const deadlinesAfter = await t.app.store.repos.deadlines.openForItem({ itemType: 'referral', itemId: referral!.id });
    expect(deadlinesAfter.map((d) => [d.kind, d.dueAt.toISOString()]).sort()).toEqual([
      ['delivery', '2027-08-31T23:00:00.000Z'],
      ['providerAssessment', '2026-12-08T17:00:00.000Z'],
    ]);
    // Withdraw on a referral too, from the same list.
    const withdraw = buttonsOf(await casesMine()).find((button) => button.value === `referral:${referral!.id}:referral.withdraw`);
    expect(withdraw?.text.text).toBe('REF-000001: Withdraw');
    expect(fake.violations).toEqual([]);
  });
});
