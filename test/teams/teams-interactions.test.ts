import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateCommand } from '../../commands/escalate.command.js';
import { encodeActionValue } from '../../src/use-cases/chat-message.js';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { TEST_APP_ID, messageActivity, postActivity } from '../support/bot-activities.js';
import { AAD, type TeamsHarness, actionNamed, cardText, conversationOf, executeActions, inputIds, startTeamsHarness } from './teams-harness.js';

const validEscalation = {
  crn: 'x654321',
  roshCurrent: 'MEDIUM',
  roshNew: 'HIGH',
  reason: 'rosh_increase',
  urgency: 'standard',
  receivingUnitId: 'north-pp',
  summary: 'New intelligence shows contact with a known victim.',
  oasysReviewed: ['done'],
};

describe('Teams: typed commands, forms, refusals, double clicks and reminders', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
    await h.install('tom');
    await h.install('dev');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const raiseByAmara = async () => {
    const result = await escalateCommand.submit({ ctx: h.t.app.ctx, actorId: 'amara', values: validEscalation, context: {}, platform: 'slack' });
    expect(result.ok).toBe(true);
    const [row] = await h.t.app.store.repos.items.recentEscalations(1);
    return row!.id;
  };
  const countersignValue = (id: number) => encodeActionValue({ id: 'escalation.countersign', label: 'Countersign', needsForm: true, itemType: 'escalation', itemId: id });

  it('answers help and unknown words with the command list', async () => {
    const { status, replies } = await h.say('tom', 'help');
    expect(status).toBe(200);
    const card = replies[0]!.attachments![0]!.content as Record<string, unknown>;
    expect(cardText(card)).toMatch(/escalate \[CRN\]: Raise a risk escalation/);
    const unknown = await h.say('tom', 'what can you do?');
    expect(cardText(unknown.replies[0]!.attachments![0]!.content as Record<string, unknown>)).toMatch(/DutyDesk commands/);
    h.expectAllCardsValid();
  });

  it('answers `cases` and `duty` with cards from the same commands as Slack', async () => {
    const cases = await h.say('tom', 'cases');
    expect(cases.replies).toHaveLength(1);
    expect(cases.replies[0]!.attachments![0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const duty = await h.say('dev', 'duty');
    expect(cardText(duty.replies[0]!.attachments![0]!.content as Record<string, unknown>)).toMatch(/Dev Patel/);
    const set = await h.say('dev', 'duty north-pp <at>Omar Haddad</at>');
    expect(cardText(set.replies[0]!.attachments![0]!.content as Record<string, unknown>)).toMatch(/Omar Haddad/);
    expect(await h.t.app.store.repos.duty.latest({ unitId: 'north-pp', onDate: '2026-11-24' })).toMatchObject({ personIds: ['omar'] });
    await h.say('dev', 'duty north-pp dev'); // back to the rota for the tests below
    const bad = await h.say('tom', 'cases 12345');
    expect(bad.replies[0]!.text).toMatch(/Check what you entered/);
    h.expectAllCardsValid();
  });

  it('opens the escalate form from typed words, shows field errors in the card and stores nothing on invalid input', async () => {
    const { replies } = await h.say('tom', 'escalate x123456');
    const form = replies[0]!.attachments![0]!.content as Record<string, unknown>;
    expect(inputIds(form)).toEqual(['crn', 'noms', 'roshCurrent', 'roshNew', 'mappaCategory', 'mappaLevel', 'reason', 'urgency', 'receivingUnitId', 'summary', 'oasysReviewed', 'oasysRef']);
    const crn = (form.body as Record<string, unknown>[]).find((element) => element.id === 'crn')!;
    expect(crn).toMatchObject({ type: 'Input.Text', value: 'X123456', isRequired: true, errorMessage: 'CRN is required' });
    const submit = actionNamed(form, 'form.submit');
    const before = await h.t.app.store.repos.items.recentEscalations(100);

    const answer = await h.invoke('tom', 'form.submit', {
      ...(submit.data as object),
      crn: '12345',
      roshCurrent: 'HIGH',
      roshNew: 'HIGH',
      reason: 'other',
      urgency: 'standard',
      receivingUnitId: 'north-pp',
      summary: 'short',
      oasysReviewed: '',
    });
    const errors = h.cardOf(answer);
    const text = cardText(errors);
    expect(text).toMatch(/Please check the fields marked below/);
    expect(text).toMatch(/A CRN is one letter and 6 digits/);
    expect(text).toMatch(/at least 10 characters/);
    expect(text).toMatch(/Tick this once the OASys review is done/);
    // What was typed is kept in the re-shown form.
    expect((errors.body as Record<string, unknown>[]).find((element) => element.id === 'crn')).toMatchObject({ value: '12345' });
    expect(await h.t.app.store.repos.items.recentEscalations(100)).toHaveLength(before.length);

    const ok = h.cardOf(await h.invoke('tom', 'form.submit', { ...(submit.data as object), ...validEscalation, crn: 'x123456', oasysReviewed: 'done' }));
    expect(cardText(ok)).toMatch(/raised for X123456\. Sam Adeyemi has been asked to countersign/);
    const [row] = await h.t.app.store.repos.items.recentEscalations(1);
    expect(row).toMatchObject({ crn: 'X123456', raisedBy: 'tom', countersignerId: 'sam', oasysReviewed: true });
    h.expectAllCardsValid();
  });

  it('refuses a decision by someone who may not make it, in plain words, and changes nothing', async () => {
    const id = await raiseByAmara();
    const answer = await h.invoke('dev', 'escalation.countersign', { value: countersignValue(id), needsForm: true });
    expect(answer.type).toBe('application/vnd.microsoft.activity.message');
    expect(answer.value).toBe('Only the countersigning manager for this escalation can do that. Nothing was changed.');
    // The form submit is refused the same way (a crafted submit cannot bypass the check).
    const forged = await h.invoke('dev', 'form.submit', {
      dutydesk: { formId: 'decision', context: { itemType: 'escalation', itemId: String(id), actionId: 'escalation.countersign' } },
      rationale: 'I agree',
    });
    expect(forged.value).toMatch(/Only the countersigning manager/);
    expect((await h.t.app.store.repos.items.escalation(id))?.state).toBe('awaiting_countersign');
  });

  it('politely refuses a Teams user who is not in the org file', async () => {
    const { replies } = await h.say('stranger', 'escalate X123456');
    expect(replies[0]!.text).toMatch(/not in this organisation’s DutyDesk directory/);
    const answer = await h.invoke('stranger', 'escalation.countersign', { value: countersignValue(1), needsForm: true });
    expect(answer.value).toMatch(/not in this organisation’s DutyDesk directory/);
  });

  it('turns a double click into one decision: the second submit gets the current state and who acted', async () => {
    const id = await raiseByAmara();
    const data = { dutydesk: { formId: 'decision', context: { itemType: 'escalation', itemId: String(id), actionId: 'escalation.countersign' } }, rationale: 'Agreed, risk has risen.' };
    const answers = await Promise.all([h.invoke('tom', 'form.submit', data), h.invoke('tom', 'form.submit', data)]);
    const cards = answers.map((answer) => h.cardOf(answer));
    const texts = cards.map(cardText);
    expect(texts.filter((text) => /Already done: countersigned by Tom Reyes at 10:00/.test(text))).toHaveLength(1);
    expect(texts.every((text) => /State: Awaiting duty acceptance/.test(text))).toBe(true);
    expect(cards.every((card) => executeActions(card).length === 0)).toBe(true);
    const decisions = await h.t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }]);
    expect(decisions.filter((decision) => decision.action === 'countersign')).toHaveLength(1);
    // A later click on the old button explains instead of opening a form.
    const late = h.cardOf(await h.invoke('tom', 'escalation.countersign', { value: countersignValue(id), needsForm: true }));
    expect(cardText(late)).toMatch(/Already done: countersigned by Tom Reyes/);
    expect(inputIds(late)).toEqual([]);
    h.expectAllCardsValid();
  });

  it('delivers a proactive reminder card when the countersign deadline passes', async () => {
    const id = await raiseByAmara();
    await h.t.app.dispatcher.drain();
    const sentBefore = h.cardsTo('tom').length;
    // Due Wed 25 Nov 17:00 (1 working day); reminders go out in working hours: the first check is Thu 09:00.
    h.t.clock.set('2026-11-26T09:05:00Z');
    const swept = await h.t.app.scheduler.sweepOnce();
    expect(swept.reminders).toBeGreaterThan(0);
    await h.t.app.dispatcher.drain();
    const reminders = h
      .cardsTo('tom')
      .slice(sentBefore)
      .filter((card) => cardText(card).includes('ESC-' + String(id).padStart(6, '0')));
    expect(reminders.length).toBeGreaterThan(0);
    const reminder = reminders.at(-1)!;
    expect(cardText(reminder)).toMatch(/Reminder/);
    expect(actionNamed(reminder, 'escalation.countersign').data).toEqual({ msteams: { type: 'task/fetch' }, value: countersignValue(id), needsForm: true, action: 'escalation.countersign' });
    expect(validateAdaptiveCard(reminder)).toEqual([]);
    h.expectAllCardsValid();
  });

  it('retries a proactive card the connector refused with 429, honouring Retry-After', async () => {
    await raiseByAmara();
    h.fake.failNext(429, { retryAfterSeconds: 7 });
    await h.t.app.dispatcher.drain();
    const rows = (await h.t.app.store.repos.outbox.byDedupePrefix('escalation:')).filter((row) => row.platform === 'teams' && row.status === 'pending');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lastError: 'rate_limited' });
    expect(rows[0]!.nextAttemptAt.getTime() - h.t.clock.now().getTime()).toBe(7_000);
    h.t.clock.advance(7_000);
    await h.t.app.dispatcher.drain();
    expect((await h.t.app.store.repos.outbox.byDedupePrefix('escalation:')).filter((row) => row.platform === 'teams' && row.status !== 'sent')).toEqual([]);
  });

  it('keeps the conversation reference of whoever writes, even before they are in the org file', async () => {
    // Written when the stranger wrote: once an administrator adds their teams: id they are reachable at once.
    const reference = (await h.t.app.store.repos.teams.reference(AAD.stranger)) as { conversation: { id: string } };
    expect(reference.conversation.id).toBe(conversationOf('stranger'));
  });
});

describe('Teams with MICROSOFT_APP_ID configured', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({ env: { MICROSOFT_APP_ID: TEST_APP_ID, MICROSOFT_APP_PASSWORD: 'not-a-real-secret' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('refuses an unauthenticated request with 401 and stores nothing', async () => {
    expect(h.t.app.platforms.teams).toBe(`http /api/messages (authenticated, app id ${TEST_APP_ID})`);
    const res = await postActivity({ baseUrl: h.t.baseUrl, activity: messageActivity({ ...h.base('tom'), text: 'escalate X123456' }) });
    expect(res.status).toBe(401);
    const forged = await postActivity({ baseUrl: h.t.baseUrl, activity: messageActivity({ ...h.base('tom'), text: 'cases' }), token: 'eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.' });
    expect(forged.status).toBe(401);
    expect(await h.t.app.store.repos.teams.reference(AAD.tom)).toBeUndefined();
    expect(h.fake.requests).toEqual([]);
  });
});
