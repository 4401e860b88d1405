import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { referCommand } from '../../commands/refer.command.js';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { type SlackCall, startFakeSlack } from '../support/fake-slack.js';
import { stateValue } from '../support/slack-requests.js';
import { itemRef } from '../../src/use-cases/chat-message.js';
import { startTestApp } from '../support/test-app.js';
import { SLACK } from '../support/test-org.js';
import { type Harness, SECRET, buttonsOf, click, clickForForm, dmsTo, openedView, slash, submit, textOf } from '../slack/slack-harness.js';
import { countersignedEscalation, referralOrg } from './referral-org.js';

const NIA = 'U0NIA';
const wait = { timeout: 20_000, interval: 20 };

/**
 * Referrals over signed Slack HTTP: every step from a button in a DM or a reminder, the referring unit's digest and
 * the provider's, and a misallocated referral sent on to a second provider and chased there.
 */
describe('Slack: referrals from the buttons, their digests and the misallocation return', { timeout: 240_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    const fake = await startFakeSlack();
    const t = await startTestApp({ org: referralOrg(), env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.url } });
    h = { t, fake, stop: async () => (await t.stop(), await fake.close()) };
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  const repos = () => h.t.app.store.repos;
  const drain = () => h.t.app.dispatcher.drain();
  const ids = (call: SlackCall | undefined) => buttonsOf(call!).map((button) => button.action_id);
  /** The newest DM to this Slack user whose text starts with `headline`. */
  const lastDm = (userId: string, headline: string) =>
    dmsTo(h.fake, userId)
      .filter((call) => String(call.args.text).startsWith(headline))
      .at(-1);
  const stateOf = async (id: number) => (await repos().items.referral(id))?.state;
  const decisions = async (id: number) => (await repos().records.decisionsFor([{ itemType: 'referral', itemId: id }])).length;

  it('runs refer → acknowledge → assign → assess → plan → deliver, each step from a button in a DM or a reminder', async () => {
    // 1. Amara refers over /refer and the modal.
    await slash(h, { command: '/refer', text: 'x223344', userId: SLACK.amara });
    const form = await openedView(h.fake, 1);
    expect(form.callbackId).toBe('refer');
    const sent = await submit(h, {
      userId: SLACK.amara,
      view: form,
      values: {
        crn: 'X223344',
        noms: stateValue.text(null),
        referralType: stateValue.select('Accommodation'),
        providerUnitId: stateValue.select('gateway-resettle'),
        prison: 'HMP Leeds',
        releaseDate: stateValue.date('2027-06-01'),
        releaseType: stateValue.select('CRD'),
        needs: stateValue.checkboxes(['accommodation']),
        notes: 'Needs approved premises on release.',
      },
    });
    expect((sent.json as { response_action: string }).response_action).toBe('update');
    const [row] = await repos().items.referralsByCrn('X223344');
    const id = row!.id;

    // 2. Will (the provider's duty desk) acknowledges from the new-referral DM: one click.
    await drain();
    const received = lastDm(SLACK.will, 'New referral');
    expect(ids(received)).toEqual(['referral.acknowledge', 'referral.assign', 'referral.decline', 'referral.return_misallocated']);
    await click(h, { userId: SLACK.will, message: received!, actionId: 'referral.acknowledge', responseId: 'ack' });
    await vi.waitFor(async () => expect(await stateOf(id)).toBe('acknowledged'), wait);

    // 3. He assigns himself from the assessment request.
    await drain();
    const toAssign = lastDm(SLACK.will, 'Assessment needed');
    expect(ids(toAssign)).toEqual(['referral.assign', 'referral.decline', 'referral.return_misallocated']);
    const assignForm = await clickForForm(h, { userId: SLACK.will, message: toAssign!, actionId: 'referral.assign' });
    expect(assignForm.blocks.filter((block) => block.type === 'input').map((block) => block.block_id)).toEqual(['personId']);
    await submit(h, { userId: SLACK.will, view: assignForm, values: { personId: stateValue.select('will') } });
    expect(await repos().items.referral(id)).toMatchObject({ state: 'acknowledged', assignedWorkerId: 'will' });
    await drain();
    expect(ids(lastDm(SLACK.will, 'Assessment needed'))).toEqual(['referral.assign', 'referral.record_assessment', 'referral.decline', 'referral.return_misallocated']);

    // 4. The assessment goes overdue: the reminder carries the referral's own buttons and no command pointer.
    h.t.clock.set('2026-12-09T10:00:00Z');
    await h.t.app.scheduler.sweepOnce();
    await drain();
    const reminders = dmsTo(h.fake, SLACK.will).filter((call) => String(call.args.text).startsWith('Reminder'));
    expect(reminders).toHaveLength(1);
    expect(String(reminders[0]!.args.text)).toBe('Reminder: Provider assessment for REF-000001 (X223344) is 17 h late');
    expect(textOf(reminders[0]!)).not.toContain('/cases');
    expect(ids(reminders[0])).toEqual(['referral.assign', 'referral.record_assessment', 'referral.decline', 'referral.return_misallocated']);
    const assessForm = await clickForForm(h, { userId: SLACK.will, message: reminders[0]!, actionId: 'referral.record_assessment' });
    await submit(h, { userId: SLACK.will, view: assessForm, values: { rationale: 'Assessed in custody: housing need is high.' } });
    expect(await stateOf(id)).toBe('assessed');

    // 5. Action plan, then delivery, each from its DM.
    await drain();
    const toPlan = lastDm(SLACK.will, 'Action plan needed');
    expect(ids(toPlan)).toEqual(['referral.submit_action_plan']);
    const planForm = await clickForForm(h, { userId: SLACK.will, message: toPlan!, actionId: 'referral.submit_action_plan' });
    await submit(h, { userId: SLACK.will, view: planForm, values: { rationale: 'Plan: approved premises, benefits claim.' } });
    expect(await stateOf(id)).toBe('planned');
    await drain();
    const toDeliver = lastDm(SLACK.will, 'Delivery to record');
    expect(ids(toDeliver)).toEqual(['referral.record_delivery']);
    const deliverForm = await clickForForm(h, { userId: SLACK.will, message: toDeliver!, actionId: 'referral.record_delivery' });
    await submit(h, { userId: SLACK.will, view: deliverForm, values: { rationale: 'Bed space confirmed for release day.' } });
    expect(await stateOf(id)).toBe('delivered');
    await drain();
    expect(dmsTo(h.fake, SLACK.amara).map((call) => String(call.args.text).split(':')[0])).toEqual([
      'Referral sent',
      'Referral acknowledged',
      'Referral assigned to a worker',
      'Assessment recorded',
      'Action plan submitted',
      'Delivery recorded',
    ]);
    expect((await repos().records.decisionsFor([{ itemType: 'referral', itemId: id }])).map((d) => [d.action, d.actorId, d.platform])).toEqual([
      ['raise', 'amara', 'slack'],
      ['acknowledge', 'will', 'slack'],
      ['assign', 'will', 'slack'],
      ['record_assessment', 'will', 'slack'],
      ['submit_action_plan', 'will', 'slack'],
      ['record_delivery', 'will', 'slack'],
    ]);
    expect(h.fake.violations).toEqual([]);
  });

  it("lists an overdue assessment in the referring unit's digest and in the provider's, and calls out a close release with no plan", async () => {
    h.t.clock.set('2026-11-25T10:00:00Z'); // Wednesday
    const values = { crn: 'X445566', referralType: 'Resettlement', providerUnitId: 'gateway-resettle', prison: 'HMP Hull', releaseDate: '2027-09-01', releaseType: 'CRD', needs: [], notes: '' };
    expect((await referCommand.submit({ ctx: h.t.app.ctx, actorId: 'ben', values, context: {}, platform: 'slack' })).ok).toBe(true);
    h.t.clock.set('2026-12-08T10:00:00Z');
    const soon = { ...values, crn: 'X998877', releaseDate: '2027-01-20' };
    expect((await referCommand.submit({ ctx: h.t.app.ctx, actorId: 'amara', values: soon, context: {}, platform: 'slack' })).ok).toBe(true);
    await drain();

    h.t.clock.set('2026-12-10T09:00:00Z'); // Thursday: REF-000002's assessment was due Wed 9 Dec 17:00
    await h.t.app.scheduler.digestOnce();
    await drain();
    const digestOf = (channel: string) => h.fake.messagesTo(channel).filter((call) => String(call.args.text).startsWith('Daily digest'));
    const referring = digestOf('C0NORTH3');
    const provider = digestOf('C0GATEWAY');
    expect(referring).toHaveLength(1);
    expect(provider).toHaveLength(1);
    expect(String(referring[0]!.args.text)).toBe('Daily digest for North Team 3, Thu 10 Dec 2026: 0 overdue, 0 due today, 1 overdue referral with providers');
    expect(textOf(referring[0]!)).toContain('Overdue referral: REF-000002 · X445566 · Provider assessment · Gateway Resettlement Services (Will Evans) · 16 h late');
    expect(textOf(referring[0]!)).toContain('Release in under 12 weeks, no action plan yet: REF-000003 · X998877 · release 2027-01-20 · Gateway Resettlement Services');
    expect(textOf(referring[0]!)).not.toContain('Nothing overdue');
    expect(String(provider[0]!.args.text)).toBe('Daily digest for Gateway Resettlement Services, Thu 10 Dec 2026: 1 overdue, 0 due today');
    expect(textOf(provider[0]!)).toContain('Overdue: REF-000002 · X445566 · Provider assessment · Will Evans · 16 h late');
    expect(textOf(provider[0]!)).toContain('Release in under 12 weeks, no action plan yet: REF-000003 · X998877 · release 2027-01-20 · Gateway Resettlement Services');
    for (const post of [...referring, ...provider]) {
      expect(textOf(post)).not.toContain('HMP Hull');
      expect(buttonsOf(post)).toEqual([]);
    }
    // The managers' DMs: Tom sees his unit's overdue referral, Rosa what her unit owes, with its buttons.
    const tom = dmsTo(h.fake, SLACK.tom).filter((call) => String(call.args.text).startsWith('Overdue in North Team 3'));
    expect(tom).toHaveLength(1);
    expect(textOf(tom[0]!)).toContain('Overdue referral: REF-000002 · X445566 · Provider assessment · Gateway Resettlement Services (Will Evans) · 16 h late');
    const rosa = dmsTo(h.fake, SLACK.rosa).filter((call) => String(call.args.text).startsWith('Overdue in Gateway Resettlement Services'));
    expect(rosa).toHaveLength(1);
    expect(textOf(rosa[0]!)).toContain('REF-000002 · X445566 · Provider assessment · Will Evans · 16 h late');
    expect(buttonsOf(rosa[0]!).map((button) => [button.action_id, button.text.text])).toEqual([
      ['referral.acknowledge', 'Acknowledge REF-000002'],
      ['referral.assign', 'Assign REF-000002'],
      ['referral.decline', 'Decline REF-000002'],
      ['referral.return_misallocated', 'Return as misallocated REF-000002'],
    ]);
    // Once a day: a second run writes nothing.
    expect(await h.t.app.scheduler.digestOnce()).toEqual({ digests: 0 });
    expect(h.fake.violations).toEqual([]);
  });

  it('returns a misallocated referral, refuses a provider that cannot take it, and sends it on to one that can, where the chase follows', async () => {
    h.t.clock.set('2026-12-14T10:00:00Z'); // Monday
    const values = { crn: 'X556677', referralType: 'Accommodation', providerUnitId: 'gateway-resettle', prison: 'HMP Leeds', releaseDate: '2027-08-02', releaseType: 'CRD', needs: [], notes: '' };
    expect((await referCommand.submit({ ctx: h.t.app.ctx, actorId: 'amara', values, context: {}, platform: 'slack' })).ok).toBe(true);
    const [row] = await repos().items.referralsByCrn('X556677');
    const id = row!.id;
    const ref = itemRef('referral', id);
    await drain();

    // The provider returns it as misallocated: a reason is required.
    const received = lastDm(SLACK.will, 'New referral');
    expect(textOf(received!)).toContain(ref);
    const returnForm = await clickForForm(h, { userId: SLACK.will, message: received!, actionId: 'referral.return_misallocated' });
    const empty = await submit(h, { userId: SLACK.will, view: returnForm, values: { rationale: ' ' } });
    expect(empty.json).toEqual({ response_action: 'errors', errors: { rationale: 'Give your rationale' } });
    expect(await stateOf(id)).toBe('awaiting_acknowledgement');
    await submit(h, { userId: SLACK.will, view: returnForm, values: { rationale: 'We do not take accommodation cases in this area.' } });
    expect(await stateOf(id)).toBe('misallocated');
    expect((await repos().deadlines.openForItem({ itemType: 'referral', itemId: id })).map((d) => [d.kind, d.unitId, d.owners, d.dueAt.toISOString()])).toEqual([
      ['takeBack', 'north-3', [{ kind: 'person', personId: 'amara' }], '2026-12-16T17:00:00.000Z'],
    ]);
    await drain();
    expect(ids(lastDm(SLACK.amara, 'Misallocated referral'))).toEqual(['referral.take_back', 'referral.send_on']);
    expect(lastDm(SLACK.tom, 'Referral returned as misallocated')).toBeDefined();

    // Take-back is chased like everything else: two working days later Amara is reminded, with the same buttons.
    h.t.clock.set('2026-12-17T10:00:00Z');
    await h.t.app.scheduler.sweepOnce();
    await drain();
    const reminder = dmsTo(h.fake, SLACK.amara).filter((call) => String(call.args.text).startsWith('Reminder'));
    expect(reminder.map((call) => String(call.args.text))).toEqual([`Reminder: Take back a misallocated case for ${ref} (X556677) is 17 h late`]);
    expect(ids(reminder[0])).toEqual(['referral.take_back', 'referral.send_on']);

    // Send on, from the reminder: the form offers only providers that take accommodation referrals.
    const sendForm = await clickForForm(h, { userId: SLACK.amara, message: reminder[0]!, actionId: 'referral.send_on' });
    const select = sendForm.blocks.find((block) => block.block_id === 'providerUnitId') as { element: { options: { value: string }[] } } | undefined;
    expect(select?.element.options.map((option) => option.value)).toEqual(['city-housing']);
    const before = await decisions(id);
    const refusedWith = async (unit: string) => (await submit(h, { userId: SLACK.amara, view: sendForm, values: { providerUnitId: stateValue.select(unit), rationale: 'Wrong provider.' } })).json;
    expect(await refusedWith('north-5')).toEqual({ response_action: 'errors', errors: { providerUnitId: 'North Team 5 does not receive referrals' } });
    expect(await refusedWith('womens-centre')).toEqual({ response_action: 'errors', errors: { providerUnitId: "Women's Centre does not receive Accommodation referrals" } });
    expect(await refusedWith('gateway-resettle')).toEqual({
      response_action: 'errors',
      errors: { providerUnitId: 'Gateway Resettlement Services returned it as misallocated: choose another provider' },
    });
    expect(await repos().items.referral(id)).toMatchObject({ state: 'misallocated', providerUnitId: 'gateway-resettle' });
    expect(await decisions(id)).toBe(before);

    const done = await submit(h, { userId: SLACK.amara, view: sendForm, values: { providerUnitId: stateValue.select('city-housing'), rationale: 'Housing advice is the right service.' } });
    expect((done.json as { response_action: string }).response_action).toBe('update');
    expect(await repos().items.referral(id)).toMatchObject({ state: 'awaiting_acknowledgement', providerUnitId: 'city-housing', assignedWorkerId: null });
    const deadlines = await repos().deadlines.forItem({ itemType: 'referral', itemId: id });
    expect(deadlines.filter((d) => d.metAt === null).map((d) => [d.kind, d.unitId, d.owners])).toEqual([
      ['providerAssessment', 'city-housing', [{ kind: 'unitDuty', unitId: 'city-housing' }]],
      ['delivery', 'city-housing', [{ kind: 'unitDuty', unitId: 'city-housing' }]],
    ]);
    expect(deadlines.find((d) => d.kind === 'takeBack')?.metBy).toBe('amara');
    const audit = (await repos().records.auditEvents('referral.send_on')).at(-1);
    expect(audit?.details).toMatchObject({ fromProviderUnitId: 'gateway-resettle', toProviderUnitId: 'city-housing' });

    // The new provider's duty desk gets it with its buttons; the chase follows it there, not to the first provider.
    await drain();
    expect(ids(lastDm(NIA, 'New referral'))).toEqual(['referral.acknowledge', 'referral.assign', 'referral.decline', 'referral.return_misallocated']);
    expect(lastDm(SLACK.amara, 'Referral sent to another provider')).toBeDefined();
    const willBefore = dmsTo(h.fake, SLACK.will).length;
    const assessment = deadlines.find((d) => d.kind === 'providerAssessment' && d.metAt === null)!;
    expect(assessment.dueAt.toISOString()).toBe('2027-01-05T17:00:00.000Z'); // 10 working days: Christmas, Boxing Day (on the 28th) and New Year off
    h.t.clock.set('2027-01-06T10:00:00Z');
    await h.t.app.scheduler.sweepOnce();
    await drain();
    const niaReminders = dmsTo(h.fake, NIA).filter((call) => String(call.args.text).startsWith('Reminder'));
    expect(niaReminders.map((call) => String(call.args.text))).toEqual([`Reminder: Provider assessment for ${ref} (X556677) is 17 h late`]);
    expect(ids(niaReminders[0])).toEqual(['referral.acknowledge', 'referral.assign', 'referral.decline', 'referral.return_misallocated']);
    expect(
      dmsTo(h.fake, SLACK.will)
        .slice(willBefore)
        .filter((call) => textOf(call).includes(ref)),
    ).toEqual([]);
    expect(h.fake.violations).toEqual([]);
  });

  it('offers the escalation Return as misallocated on the reallocation request and, once a case manager is named, on the handover request', async () => {
    h.t.clock.set('2027-01-12T10:00:00Z');
    const ctx = h.t.app.ctx;
    const raise = (crn: string) => countersignedEscalation({ ctx, crn, platform: 'slack' });
    const returnFrom = async (message: SlackCall | undefined, id: number) => {
      const form = await clickForForm(h, { userId: SLACK.dev, message: message!, actionId: 'escalation.return_misallocated' });
      await submit(h, { userId: SLACK.dev, view: form, values: { rationale: 'Not a PPU case: stays with the team.' } });
      expect((await repos().items.escalation(id))?.state).toBe('misallocated');
      await drain();
      expect(ids(lastDm(SLACK.tom, 'Take back a misallocated case'))).toEqual(['escalation.take_back']);
    };
    const reallocating = await raise('X800001');
    await decideEscalation({ ctx, actorId: 'dev', escalationId: reallocating, action: 'accept', rationale: 'On duty.', platform: 'slack' });
    await drain();
    const reallocation = lastDm(SLACK.dev, 'Name the new case manager');
    expect(ids(reallocation)).toEqual(['escalation.reallocate', 'escalation.return_misallocated']);
    await returnFrom(reallocation, reallocating);

    const handingOver = await raise('X800002');
    await decideEscalation({ ctx, actorId: 'dev', escalationId: handingOver, action: 'accept', rationale: 'Mine.', caseManagerId: 'dev', platform: 'slack' });
    await drain();
    const handover = lastDm(SLACK.dev, 'Handover needed');
    expect(ids(handover)).toEqual(['escalation.confirm_handover', 'escalation.schedule_handover', 'escalation.return_misallocated']);
    expect(ids(lastDm(SLACK.amara, 'Handover needed'))).toEqual(['escalation.confirm_handover']);
    await returnFrom(handover, handingOver);
    expect(h.fake.violations).toEqual([]);
  });
});
