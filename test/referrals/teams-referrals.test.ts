import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referCommand } from '../../commands/refer.command.js';
import { itemRef } from '../../src/use-cases/chat-message.js';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { actionExecuteActivity, installActivity, messageActivity, postActivity } from '../support/bot-activities.js';
import { type FakeConnector, startFakeConnector } from '../support/fake-connector.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { taskFetchActivity, taskSubmitActivity } from '../support/bot-activities-ui.js';
import { actionIdOf, actionNamed, cardText, executeActions, inputIds, opensDialog } from '../teams/teams-harness.js';
import { aadOf, countersignedEscalation, referralOrg } from './referral-org.js';

type Json = Record<string, unknown>;
const PEOPLE = ['amara', 'tom', 'will', 'rosa', 'nia', 'dev', 'kate', 'omar'];
const CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * The same referral journey, digests and misallocation returns on Microsoft Teams: Bot Framework activities to
 * /api/messages, the fake connector as serviceUrl, every card checked against the Adaptive Card schema.
 */
describe('Teams: referrals from the card buttons, the manager digest and both misallocation returns', { timeout: 240_000 }, () => {
  let t: TestApp;
  let fake: FakeConnector;
  beforeAll(async () => {
    fake = await startFakeConnector();
    t = await startTestApp({ org: referralOrg({ teams: PEOPLE }), env: { TEAMS_EMULATOR: '1' } });
    for (const who of PEOPLE) expect((await postActivity({ baseUrl: t.baseUrl, activity: installActivity(base(who)) })).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await fake?.close();
  });

  const base = (who: string) => ({ serviceUrl: fake.url, userAadId: aadOf(who), userName: who });
  const repos = () => t.app.store.repos;
  const drain = () => t.app.dispatcher.drain();
  const cardsTo = (who: string): Json[] =>
    fake
      .activitiesTo(`a:personal-1${aadOf(who)}`)
      .flatMap((activity) => activity.attachments ?? [])
      .filter((attachment) => attachment.contentType === CARD)
      .map((attachment) => attachment.content as Json);
  const lastCard = (who: string, headline: string) =>
    cardsTo(who)
      .filter((card) => cardText(card).startsWith(headline))
      .at(-1);
  const verbs = (card: Json | undefined) => executeActions(card ?? {}).map(actionIdOf);
  const invoke = async (who: string, verb: string, data: Json) => {
    const res = await postActivity({ baseUrl: t.baseUrl, activity: actionExecuteActivity({ ...base(who), verb, data }) });
    expect(res.status).toBe(200);
    const answer = res.json as { type: string; value: unknown };
    if (answer.type === CARD) fake.recordCard(answer.value as object);
    return answer;
  };
  /** A dialog invoke (task/fetch or task/submit); a dialog left open is recorded with the other cards. */
  const task = async (who: string, kind: 'fetch' | 'submit', data: Json) => {
    const res = await postActivity({ baseUrl: t.baseUrl, activity: (kind === 'fetch' ? taskFetchActivity : taskSubmitActivity)({ ...base(who), data }) });
    expect(res.status).toBe(200);
    const answer = res.json as { task: { type: string; value: unknown } };
    if (answer.task.type === 'continue') fake.recordCard((answer.task.value as { card: { content: object } }).card.content);
    return answer;
  };
  /**
   * Click a card's button; returns the card that answers (a form, or the item's status). A button that needs a form
   * opens it in a dialog (task/fetch): the dialog's card is the form.
   */
  const press = async (who: string, card: Json | undefined, verb: string): Promise<Json> => {
    const button = actionNamed(card ?? {}, verb);
    if (opensDialog(button)) {
      const answer = await task(who, 'fetch', button.data as Json);
      expect(answer.task.type, JSON.stringify(answer.task.value)).toBe('continue');
      return (answer.task.value as { card: { content: Json } }).card.content;
    }
    const answer = await invoke(who, verb, button.data as Json);
    expect(answer.type, JSON.stringify(answer.value)).toBe(CARD);
    return answer.value as Json;
  };
  /**
   * Submit a form; returns the card that answers. A form in a dialog (its submit an Action.Submit, sent as
   * task/submit) comes back as the dialog with the errors, or closes and the chat gets the item as it now stands.
   */
  const fill = async (who: string, form: Json, values: Json): Promise<Json> => {
    const [dialogSubmit] = executeActions(form);
    if (dialogSubmit?.type === 'Action.Submit' && !opensDialog(dialogSubmit)) {
      const before = cardsTo(who).length;
      const answer = await task(who, 'submit', { ...(dialogSubmit.data as Json), ...values });
      if (answer.task.type === 'continue') return (answer.task.value as { card: { content: Json } }).card.content;
      expect(answer.task.type, JSON.stringify(answer.task.value)).toBe('message');
      expect(cardsTo(who).slice(before)).toHaveLength(1);
      return cardsTo(who).at(-1)!;
    }
    const answer = await invoke(who, 'form.submit', { ...(actionNamed(form, 'form.submit').data as Json), ...values });
    expect(answer.type, JSON.stringify(answer.value)).toBe(CARD);
    return answer.value as Json;
  };
  const referralState = async (id: number) => (await repos().items.referral(id))?.state;
  const expectValidCards = () => expect(fake.cards().flatMap((card, index) => validateAdaptiveCard(card).map((problem) => `card ${index}: ${problem}`))).toEqual([]);

  it('runs refer → acknowledge → assign → assess → plan → deliver from the cards, the assessment from its reminder', async () => {
    const typed = await postActivity({ baseUrl: t.baseUrl, activity: messageActivity({ ...base('amara'), text: 'refer x223344' }) });
    expect(typed.status).toBe(200);
    const form = cardsTo('amara').at(-1)!;
    expect(inputIds(form)).toEqual(['crn', 'noms', 'referralType', 'providerUnitId', 'prison', 'releaseDate', 'releaseType', 'needs', 'notes']);
    const sent = await fill('amara', form, {
      crn: 'X223344',
      referralType: 'Accommodation',
      providerUnitId: 'gateway-resettle',
      prison: 'HMP Leeds',
      releaseDate: '2027-06-01',
      releaseType: 'CRD',
      needs: 'accommodation',
      notes: 'Needs approved premises on release.',
    });
    expect(cardText(sent)).toMatch(/REF-000001 sent to Gateway Resettlement Services for X223344/);
    const id = (await repos().items.referralsByCrn('X223344'))[0]!.id;

    await drain();
    const received = lastCard('will', 'New referral');
    expect(verbs(received)).toEqual(['referral.acknowledge', 'referral.assign', 'referral.decline', 'referral.return_misallocated']);
    const acknowledged = await press('will', received, 'referral.acknowledge');
    expect(executeActions(acknowledged)).toEqual([]);
    expect(await referralState(id)).toBe('acknowledged');

    await drain();
    const assignForm = await press('will', lastCard('will', 'Assessment needed'), 'referral.assign');
    expect(inputIds(assignForm)).toEqual(['personId']);
    await fill('will', assignForm, { personId: 'will' });
    expect(await repos().items.referral(id)).toMatchObject({ assignedWorkerId: 'will' });

    t.clock.set('2026-12-09T10:00:00Z');
    await t.app.scheduler.sweepOnce();
    await drain();
    const reminders = cardsTo('will').filter((card) => cardText(card).startsWith('Reminder'));
    expect(reminders).toHaveLength(1);
    expect(cardText(reminders[0]!)).not.toContain('/cases');
    expect(verbs(reminders[0])).toEqual(['referral.assign', 'referral.record_assessment', 'referral.decline', 'referral.return_misallocated']);
    const assessForm = await press('will', reminders[0], 'referral.record_assessment');
    await fill('will', assessForm, { rationale: 'Assessed in custody: housing need is high.' });
    expect(await referralState(id)).toBe('assessed');

    await drain();
    await fill('will', await press('will', lastCard('will', 'Action plan needed'), 'referral.submit_action_plan'), { rationale: 'Plan: approved premises.' });
    expect(await referralState(id)).toBe('planned');
    await drain();
    await fill('will', await press('will', lastCard('will', 'Delivery to record'), 'referral.record_delivery'), { rationale: 'Bed space confirmed.' });
    expect(await referralState(id)).toBe('delivered');
    expect((await repos().records.decisionsFor([{ itemType: 'referral', itemId: id }])).map((d) => [d.action, d.platform])).toEqual([
      ['raise', 'teams'],
      ['acknowledge', 'teams'],
      ['assign', 'teams'],
      ['record_assessment', 'teams'],
      ['submit_action_plan', 'teams'],
      ['record_delivery', 'teams'],
    ]);
    expectValidCards();
  });

  it("shows an overdue assessment in the referring manager's digest and the provider manager's, with the provider's buttons", async () => {
    t.clock.set('2026-11-25T10:00:00Z');
    const values = { crn: 'X445566', referralType: 'Resettlement', providerUnitId: 'gateway-resettle', prison: 'HMP Hull', releaseDate: '2027-09-01', releaseType: 'CRD', needs: [], notes: '' };
    expect((await referCommand.submit({ ctx: t.app.ctx, actorId: 'amara', values, context: {}, platform: 'teams' })).ok).toBe(true);
    const ref = itemRef('referral', (await repos().items.referralsByCrn('X445566'))[0]!.id);
    t.clock.set('2026-12-10T09:00:00Z');
    await t.app.scheduler.digestOnce();
    await drain();
    const tom = cardsTo('tom').filter((card) => cardText(card).startsWith('Overdue in North Team 3'));
    expect(tom).toHaveLength(1);
    expect(cardText(tom[0]!)).toContain(`Overdue referral: ${ref} · X445566 · Provider assessment · Gateway Resettlement Services (Will Evans) · 16 h late`);
    const rosa = cardsTo('rosa').filter((card) => cardText(card).startsWith('Overdue in Gateway Resettlement Services'));
    expect(rosa).toHaveLength(1);
    expect(cardText(rosa[0]!)).toContain(`${ref} · X445566 · Provider assessment · Will Evans · 16 h late`);
    expect(verbs(rosa[0])).toEqual(['referral.acknowledge', 'referral.assign', 'referral.decline', 'referral.return_misallocated']);
    // Rosa declines it from her digest: the form, then the decision.
    await fill('rosa', await press('rosa', rosa[0], 'referral.decline'), { rationale: 'No capacity in the area this month.' });
    expect((await repos().items.referralsByCrn('X445566'))[0]?.state).toBe('declined');
    expectValidCards();
  });

  it('returns a misallocated referral on Teams: a refused provider keeps what was typed, a good one gets it', async () => {
    t.clock.set('2026-12-14T10:00:00Z');
    const values = { crn: 'X556677', referralType: 'Accommodation', providerUnitId: 'gateway-resettle', prison: 'HMP Leeds', releaseDate: '2027-08-02', releaseType: 'CRD', needs: [], notes: '' };
    expect((await referCommand.submit({ ctx: t.app.ctx, actorId: 'amara', values, context: {}, platform: 'teams' })).ok).toBe(true);
    const id = (await repos().items.referralsByCrn('X556677'))[0]!.id;
    await drain();
    const returnForm = await press('will', lastCard('will', 'New referral'), 'referral.return_misallocated');
    expect(inputIds(returnForm)).toEqual(['rationale']);
    await fill('will', returnForm, { rationale: 'We do not take accommodation cases in this area.' });
    expect(await referralState(id)).toBe('misallocated');

    await drain();
    const takeBack = lastCard('amara', 'Misallocated referral');
    expect(verbs(takeBack)).toEqual(['referral.take_back', 'referral.send_on']);
    const sendForm = await press('amara', takeBack, 'referral.send_on');
    expect(inputIds(sendForm)).toEqual(['providerUnitId', 'rationale']);
    const before = (await repos().records.decisionsFor([{ itemType: 'referral', itemId: id }])).length;
    const refused = await fill('amara', sendForm, { providerUnitId: 'north-5', rationale: 'Housing advice is the right service.' });
    expect(cardText(refused)).toContain('North Team 5 does not receive referrals');
    const kept = (refused.body as Json[]).find((element) => element.id === 'rationale');
    expect(kept?.value).toBe('Housing advice is the right service.');
    expect(await repos().items.referral(id)).toMatchObject({ state: 'misallocated', providerUnitId: 'gateway-resettle' });
    expect((await repos().records.decisionsFor([{ itemType: 'referral', itemId: id }])).length).toBe(before);

    await fill('amara', refused, { providerUnitId: 'city-housing', rationale: 'Housing advice is the right service.' });
    expect(await repos().items.referral(id)).toMatchObject({ state: 'awaiting_acknowledgement', providerUnitId: 'city-housing' });
    await drain();
    expect(verbs(lastCard('nia', 'New referral'))).toEqual(['referral.acknowledge', 'referral.assign', 'referral.decline', 'referral.return_misallocated']);
    expectValidCards();
  });

  it('offers the escalation Return as misallocated in each state the domain allows, on the message the receiving side gets', async () => {
    t.clock.set('2026-12-15T10:00:00Z');
    const ctx = t.app.ctx;
    const raise = (crn: string) => countersignedEscalation({ ctx, crn, platform: 'teams' });
    const escalationState = async (id: number) => (await repos().items.escalation(id))?.state;
    const returnFrom = async (who: string, card: Json | undefined, id: number) => {
      const form = await press(who, card, 'escalation.return_misallocated');
      expect(inputIds(form)).toEqual(['rationale']);
      await fill(who, form, { rationale: 'Not a PPU case: stays with the team.' });
      expect(await escalationState(id)).toBe('misallocated');
    };

    // Accepted with no case manager named (awaiting reallocation): on the "name the case manager" request.
    const first = await raise('X700001');
    await decideEscalation({ ctx, actorId: 'dev', escalationId: first, action: 'accept', rationale: 'On duty.', platform: 'teams' });
    await drain();
    const reallocation = lastCard('dev', 'Name the new case manager');
    expect(verbs(reallocation)).toEqual(['escalation.reallocate', 'escalation.return_misallocated']);
    await returnFrom('dev', reallocation, first);

    // Accepted naming the duty officer himself (awaiting handover): on his handover request.
    const second = await raise('X700002');
    await decideEscalation({ ctx, actorId: 'dev', escalationId: second, action: 'accept', rationale: 'Mine.', caseManagerId: 'dev', platform: 'teams' });
    await drain();
    const handover = lastCard('dev', 'Handover needed');
    expect(verbs(handover)).toEqual(['escalation.confirm_handover', 'escalation.schedule_handover', 'escalation.return_misallocated']);
    await returnFrom('dev', handover, second);

    // Accepted naming Omar (awaiting handover): Omar, not on the duty desk, has no such button; the receiving manager
    // gets it on the handover reminder once it reaches her.
    const third = await raise('X700003');
    await decideEscalation({ ctx, actorId: 'dev', escalationId: third, action: 'accept', rationale: 'Omar has capacity.', caseManagerId: 'omar', platform: 'teams' });
    await drain();
    expect(verbs(lastCard('omar', 'Handover needed'))).toEqual(['escalation.confirm_handover', 'escalation.schedule_handover']);
    const handoverDue = (await repos().deadlines.openForItem({ itemType: 'escalation', itemId: third })).find((d) => d.kind === 'handover')!;
    expect(handoverDue.dueAt.toISOString()).toBe('2026-12-22T17:00:00.000Z');
    t.clock.set('2026-12-24T10:00:00Z'); // more than one working day late, in working hours: the manager's rung
    await t.app.scheduler.sweepOnce();
    await drain();
    const toKate = cardsTo('kate').filter((card) => cardText(card).startsWith('Overdue in your team: Handover'));
    expect(
      toKate,
      cardsTo('kate')
        .map((card) => cardText(card).split('\n')[0])
        .join(' | '),
    ).toHaveLength(1);
    expect(verbs(toKate[0])).toEqual(['escalation.return_misallocated']);
    await returnFrom('kate', toKate[0], third);
    expectValidCards();
  });
  it('plans a referral from a typed "refer plan": the plan form, a release already due refused with the values kept, then stored', async () => {
    t.clock.set('2026-12-16T10:00:00Z');
    const typed = await postActivity({ baseUrl: t.baseUrl, activity: messageActivity({ ...base('amara'), text: 'refer plan x667788' }) });
    expect(typed.status).toBe(200);
    const form = cardsTo('amara').at(-1)!;
    expect(inputIds(form)).toEqual(['crn', 'noms', 'referralType', 'providerUnitId', 'prison', 'releaseDate', 'releaseType']);
    const values = { crn: 'X667788', referralType: 'Accommodation', providerUnitId: 'gateway-resettle', prison: 'HMP Hull', releaseType: 'CRD' };
    const refused = await fill('amara', form, { ...values, releaseDate: '2027-02-01' });
    expect(cardText(refused)).toContain('This release is within 15 weeks: its referral is due now, so send it with /refer');
    expect((refused.body as Json[]).find((element) => element.id === 'prison')?.value).toBe('HMP Hull');
    expect(await repos().items.referralsByCrn('X667788')).toEqual([]);
    const done = await fill('amara', refused, { ...values, releaseDate: '2027-09-01' });
    expect(cardText(done)).toMatch(/REF-\d{6} planned for X667788, to Gateway Resettlement Services: release on Wed 1 Sep 2027, refer by Wed 19 May 2027\./);
    expect(await repos().items.referralsByCrn('X667788')).toMatchObject([{ state: 'to_refer', raisedBy: 'amara', referBy: '2027-05-19' }]);
    expectValidCards();
  });
});
