// The raiser's own actions over Bot Framework HTTP, with the officer and the manager both on Teams: edit and
// resubmit (the manager's card lists the two changes), withdraw with and without a reason, a release date changed,
// `cases mine`, the "Open case record" link (Action.OpenUrl) and the OASys reference in DMs. Every card validated.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { actionExecuteActivity, installActivity, messageActivity, postActivity } from '../support/bot-activities.js';
import { taskFetchActivity, taskSubmitActivity } from '../support/bot-activities-ui.js';
import { type FakeConnector, startFakeConnector } from '../support/fake-connector.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { exampleOrg } from '../support/test-org.js';
import { actionIdOf, actionNamed, cardText, executeActions, inputIds, opensDialog } from './teams-harness.js';

type Json = Record<string, unknown>;
const AAD = { amara: '5a0c1d2e-0000-4000-8000-00000000a001', tom: '5a0c1d2e-0000-4000-8000-00000000a002' } as const;
type Who = keyof typeof AAD;
const CASE_LINK = 'https://ndelius.example.org/case/{crn}';
const SUMMARY = 'Breached licence conditions; new intelligence from police.';
const NEW_SUMMARY = 'Breached licence twice; police confirm contact with the victim.';

const org = () => ({
  ...exampleOrg((text) =>
    text
      .replace('{ id: amara, name: Amara Okafor, slack: U0AMARA, email: amara@example.org }', `{ id: amara, name: Amara Okafor, teams: ${AAD.amara} }`)
      .replace('{ id: tom, name: Tom Reyes, slack: U0TOM }', `{ id: tom, name: Tom Reyes, teams: ${AAD.tom} }`),
  ),
  links: { case: CASE_LINK },
});

describe('Teams: what an officer can do with their own items', () => {
  let t: TestApp;
  let fake: FakeConnector;
  const conversation = (who: Who) => `a:personal-1${AAD[who]}`;
  const base = (who: Who) => ({ serviceUrl: fake.url, userAadId: AAD[who], userName: who });

  beforeAll(async () => {
    fake = await startFakeConnector();
    t = await startTestApp({ org: org(), env: { TEAMS_EMULATOR: '1' } });
    for (const who of ['amara', 'tom'] as const) expect((await postActivity({ baseUrl: t.baseUrl, activity: installActivity(base(who)) })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    await fake?.close();
  });

  const say = async (who: Who, text: string): Promise<Json> => {
    const before = fake.activitiesTo(conversation(who)).length;
    expect((await postActivity({ baseUrl: t.baseUrl, activity: messageActivity({ ...base(who), text }) })).status).toBe(200);
    const [reply] = fake.activitiesTo(conversation(who)).slice(before);
    return reply?.attachments?.[0]?.content as Json;
  };
  const invoke = async (who: Who, verb: string, data: Json): Promise<Json> => {
    const res = await postActivity({ baseUrl: t.baseUrl, activity: actionExecuteActivity({ ...base(who), verb, data }) });
    expect(res.status).toBe(200);
    const answer = res.json as { type: string; value: Json };
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    fake.recordCard(answer.value);
    return answer.value;
  };
  /** A dialog invoke (task/fetch or task/submit); a dialog left open is recorded with the other cards. */
  const task = async (who: Who, kind: 'fetch' | 'submit', data: Json) => {
    const res = await postActivity({ baseUrl: t.baseUrl, activity: (kind === 'fetch' ? taskFetchActivity : taskSubmitActivity)({ ...base(who), data }) });
    expect(res.status).toBe(200);
    const answer = res.json as { task: { type: string; value: unknown } };
    if (answer.task.type === 'continue') fake.recordCard((answer.task.value as { card: { content: object } }).card.content);
    return answer;
  };
  /** Click a card's button; returns the card that answers. A button that needs a form opens it in a dialog (task/fetch): the dialog's card is the form. */
  const press = async (who: Who, card: Json, verb: string): Promise<Json> => {
    const button = actionNamed(card, verb);
    if (opensDialog(button)) {
      const answer = await task(who, 'fetch', button.data as Json);
      expect(answer.task.type, JSON.stringify(answer.task.value)).toBe('continue');
      return (answer.task.value as { card: { content: Json } }).card.content;
    }
    return invoke(who, verb, button.data as Json);
  };
  /**
   * Submit a form; returns the card that answers. A form in a dialog (its submit an Action.Submit, sent as
   * task/submit) comes back as the dialog with the errors, or closes and the chat gets the item as it now stands.
   */
  const submitForm = async (who: Who, form: Json, values: Json): Promise<Json> => {
    const [dialogSubmit] = executeActions(form);
    if (dialogSubmit?.type === 'Action.Submit' && !opensDialog(dialogSubmit)) {
      const before = cardsTo(who).length;
      const answer = await task(who, 'submit', { ...(dialogSubmit.data as Json), ...values });
      if (answer.task.type === 'continue') return (answer.task.value as { card: { content: Json } }).card.content;
      expect(answer.task.type, JSON.stringify(answer.task.value)).toBe('message');
      expect(cardsTo(who).slice(before)).toHaveLength(1);
      return cardsTo(who).at(-1)!;
    }
    return invoke(who, 'form.submit', { ...(actionNamed(form, 'form.submit').data as Json), ...values });
  };
  const cardsTo = (who: Who) => fake.activitiesTo(conversation(who)).flatMap((activity) => (activity.attachments ?? []).map((attachment) => attachment.content as Json));
  const openUrls = (card: Json) => ((card.actions as Json[] | undefined) ?? []).filter((action) => action.type === 'Action.OpenUrl');
  const inputValue = (card: Json, id: string) => ((card.body as Json[]).find((element) => element.id === id) as Json | undefined)?.value;
  const drain = () => t.app.dispatcher.drain();

  it('edits a returned escalation (two fields) and resubmits it; the manager’s card lists the two changes', async () => {
    const form = await say('amara', 'escalate X123456');
    expect(inputIds(form)).toContain('oasysRef');
    const raised = await submitForm('amara', form, {
      crn: 'X123456',
      roshCurrent: 'HIGH',
      roshNew: 'HIGH',
      reason: 'breach_or_new_offence',
      urgency: 'standard',
      receivingUnitId: 'north-pp',
      summary: SUMMARY,
      oasysReviewed: 'done',
      oasysRef: '1234567',
    });
    expect(cardText(raised)).toMatch(/ESC-000001 raised for X123456/);
    const id = (await t.app.store.repos.items.recentEscalations(1))[0]!.id;
    await drain();

    // Tom's DM: the OASys reference and the case record link (Action.OpenUrl, the CRN filled in).
    const toTom = cardsTo('tom').at(-1)!;
    expect(cardText(toTom)).toContain('OASys assessment\n1234567');
    expect(openUrls(toTom)).toEqual([{ type: 'Action.OpenUrl', title: 'Open case record', url: 'https://ndelius.example.org/case/X123456' }]);
    const returnForm = await press('tom', toTom, 'escalation.return');
    await submitForm('tom', returnForm, { rationale: 'Update the risk level and the summary.' });
    expect((await t.app.store.repos.items.escalation(id))?.state).toBe('returned');
    await drain();

    const returned = cardsTo('amara').at(-1)!;
    expect(executeActions(returned).map(actionIdOf)).toEqual(['escalation.resubmit', 'escalation.withdraw', 'escalation.edit_resubmit']);
    const edit = await press('amara', returned, 'escalation.edit_resubmit');
    expect(inputIds(edit)).toEqual(['noms', 'roshCurrent', 'roshNew', 'mappaCategory', 'mappaLevel', 'reason', 'urgency', 'receivingUnitId', 'summary', 'oasysRef', 'rationale']);
    expect(inputValue(edit, 'summary')).toBe(SUMMARY);
    expect(inputValue(edit, 'roshNew')).toBe('HIGH');
    expect(inputValue(edit, 'oasysRef')).toBe('1234567');
    const asSent = { roshCurrent: 'HIGH', roshNew: 'HIGH', reason: 'breach_or_new_offence', urgency: 'standard', receivingUnitId: 'north-pp', summary: SUMMARY, oasysRef: '1234567' };

    // Nothing changed: the form comes back with what was typed and one clear error; nothing stored.
    const same = await submitForm('amara', edit, asSent);
    expect(cardText(same)).toContain('Nothing has changed since it was returned');
    expect(inputValue(same, 'summary')).toBe(SUMMARY);
    expect((await t.app.store.repos.items.escalation(id))?.state).toBe('returned');

    const done = await submitForm('amara', edit, { ...asSent, roshNew: 'VERY_HIGH', summary: NEW_SUMMARY });
    expect(cardText(done)).toMatch(/Edited and resubmitted by Amara Okafor/);
    expect(await t.app.store.repos.items.escalation(id)).toMatchObject({ state: 'awaiting_countersign', roshNew: 'VERY_HIGH', summary: NEW_SUMMARY, urgency: 'urgent' });
    await drain();
    const again = cardsTo('tom').at(-1)!;
    expect(executeActions(again).map(actionIdOf)).toEqual(['escalation.countersign', 'escalation.return']);
    const lines = cardText(again).split('\n');
    const at = lines.indexOf('What changed:');
    expect(lines.slice(at, at + 3)).toEqual(['What changed:', '• New RoSH level: High → Very high', `• Summary: “${SUMMARY}” → “${NEW_SUMMARY}”`]);
    expect(openUrls(again)).toHaveLength(1);
  });

  it('lists what I raised with `cases mine`, and withdraws from it: a reason is required', async () => {
    const mine = await say('amara', 'cases mine');
    expect(cardText(mine).split('\n')[0]).toBe('What I raised');
    expect(cardText(mine)).toContain('ESC-000001 · X123456 · Awaiting countersign · next: Tom Reyes, due Tue 24 Nov 2026, 12:00');
    expect(executeActions(mine).map((action) => action.title)).toEqual(['ESC-000001: Withdraw']);
    const form = await press('amara', mine, 'escalation.withdraw');
    expect(inputIds(form)).toEqual(['rationale']);
    const empty = await submitForm('amara', form, { rationale: ' ' });
    expect(cardText(empty)).toContain('Give your rationale');
    expect((await t.app.store.repos.items.escalation(1))?.state).toBe('awaiting_countersign');
    const withdrawn = await submitForm('amara', form, { rationale: 'Reassessed with the police: not needed now.' });
    expect(cardText(withdrawn)).toMatch(/Withdrawn by Amara Okafor/);
    expect((await t.app.store.repos.items.escalation(1))?.state).toBe('withdrawn');
    await drain();
    await vi.waitFor(() => expect(cardText(cardsTo('tom').at(-1)!)).toContain('Escalation withdrawn'));
  });

  it('changes a referral’s release date from `cases mine`; past and far dates are refused', async () => {
    const form = await say('amara', 'refer X345678');
    await submitForm('amara', form, {
      crn: 'X345678',
      referralType: 'Resettlement',
      providerUnitId: 'gateway-resettle',
      prison: 'HMP Leeds',
      releaseDate: '2027-06-01',
      releaseType: 'CRD',
      needs: 'accommodation',
    });
    const [referral] = await t.app.store.repos.raised.referralsRaisedBy({ personId: 'amara', limit: 1 });
    expect(referral?.releaseDate).toBe('2027-06-01');
    const mine = await say('amara', 'cases mine');
    expect(executeActions(mine).map((action) => action.title)).toEqual(['REF-000001: Withdraw', 'REF-000001: Change release date']);
    const change = await press('amara', mine, 'referral.change_release_date');
    expect(inputIds(change)).toEqual(['releaseDate', 'rationale']);
    expect(cardText(await submitForm('amara', change, { releaseDate: '2026-11-23' }))).toContain('The release date must be after today');
    expect(cardText(await submitForm('amara', change, { releaseDate: '2030-01-01' }))).toContain('The release date must be within 3 years from today');
    expect((await t.app.store.repos.items.referral(referral!.id))?.releaseDate).toBe('2027-06-01');
    await submitForm('amara', change, { releaseDate: '2027-09-01', rationale: 'Parole board date moved.' });
    expect((await t.app.store.repos.items.referral(referral!.id))?.releaseDate).toBe('2027-09-01');
    const delivery = (await t.app.store.repos.deadlines.openForItem({ itemType: 'referral', itemId: referral!.id })).find((d) => d.kind === 'delivery');
    expect(delivery?.dueAt.toISOString()).toBe('2027-08-31T23:00:00.000Z');
  });

  it('sends only cards that pass the Adaptive Card validator', () => {
    const cards = fake.cards();
    expect(cards.length).toBe(33);
    expect(cards.flatMap((card, index) => validateAdaptiveCard(card).map((problem) => `card ${index}: ${problem}`))).toEqual([]);
  });
});
