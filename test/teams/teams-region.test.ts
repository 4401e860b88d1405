import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionIdOf, actionNamed, cardText, executeActions, opensDialog } from './teams-harness.js';
import { CHANNEL, type Region, type RegionPerson, cardsOfActivity, personalConversation, startRegion } from './teams-region-support.js';
import { SLACK } from '../support/test-org.js';

type Json = Record<string, unknown>;
const NARRATIVE = {
  summary: 'Breached licence conditions; new intelligence from police about a known victim.',
  notes: 'Needs a flat near his daughter’s school; history of arson.',
  rationales: ['Agree, risk has risen sharply.', 'Accepted on duty for Omar.', 'Assessed: housing first.', 'Plan agreed with the prison.', 'Delivered: tenancy signed.'],
};
const isInput = (element: Json) => String(element.type).startsWith('Input.');

/**
 * A Teams-only region, end to end over HTTP: every person and every unit channel on Teams, an escalation and a
 * referral from raise to close, the channel notices, the 09:00 digest, and never any narrative outside a 1:1 chat.
 */
describe('A Teams-only region: escalation and referral from raise to close, channel notices and the morning digest', { timeout: 240_000 }, () => {
  let r: Region;
  beforeAll(async () => {
    r = await startRegion();
    await r.installInTeam();
    for (const who of Object.keys(SLACK) as RegionPerson[]) await r.installFor(who);
  }, 240_000);
  afterAll(async () => {
    await r?.stop();
  });

  const drain = () => r.t.app.dispatcher.drain();
  /**
   * Click `verb` on the newest card in `who`'s chat that has it; fill and submit the form if one opens (a button
   * that needs a form opens it in a dialog: task/fetch, then task/submit, and the chat gets the item as it stands).
   */
  const decide = async (who: RegionPerson, verb: string, values: Record<string, string> = {}): Promise<string> => {
    const card = r
      .cardsTo(who)
      .filter((candidate) => executeActions(candidate).some((action) => actionIdOf(action) === verb))
      .at(-1);
    expect(card, `${who} has no ${verb} button`).toBeDefined();
    const button = actionNamed(card!, verb);
    if (opensDialog(button)) {
      const dialog = await r.task(who, 'fetch', button.data as Json);
      expect(dialog.task.type, JSON.stringify(dialog.task.value)).toBe('continue');
      const form = (dialog.task.value as { card: { content: Json } }).card.content;
      expect((form.body as Json[]).some(isInput)).toBe(true);
      const [submit] = executeActions(form);
      const before = r.cardsTo(who).length;
      const done = await r.task(who, 'submit', { ...(submit!.data as Json), ...values });
      expect(done.task.type, JSON.stringify(done.task.value)).toBe('message');
      expect(r.cardsTo(who).slice(before)).toHaveLength(1);
      const shown = r.cardsTo(who).at(-1)!;
      expect((shown.body as Json[]).some(isInput), cardText(shown)).toBe(false);
      return cardText(shown);
    }
    const answer = await r.invoke(who, verb, button.data as Json);
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    const shown = answer.value as Json;
    if (!(shown.body as Json[]).some(isInput)) return cardText(shown);
    const submit = actionNamed(shown, 'form.submit');
    const done = await r.invoke(who, 'form.submit', { ...(submit.data as Json), ...values });
    expect(done.type).toBe('application/vnd.microsoft.card.adaptive');
    expect((done.value as { body: Json[] }).body.some(isInput), cardText(done.value as Json)).toBe(false);
    return cardText(done.value as Json);
  };
  /** Type a command in the personal chat and submit the form it opens. */
  const raise = async (who: RegionPerson, command: string, values: Record<string, string>) => {
    const [reply] = await r.say(who, command);
    const form = reply!.attachments![0]!.content as Json;
    const done = await r.invoke(who, 'form.submit', { ...(actionNamed(form, 'form.submit').data as Json), ...values });
    return cardText(done.value as Json);
  };
  const channelPosts = (unit: keyof typeof CHANNEL) => r.fake.channelPosts(CHANNEL[unit]).map((post) => cardText(cardsOfActivity(post.activity)[0]!));

  it('raises both on Teams and tells the receiving unit’s Teams channel, with CRN, risk, state and deadline only', async () => {
    expect(
      await raise('amara', 'escalate x123456', {
        crn: 'X123456',
        roshCurrent: 'MEDIUM',
        roshNew: 'HIGH',
        reason: 'rosh_increase',
        urgency: 'standard',
        receivingUnitId: 'north-pp',
        summary: NARRATIVE.summary,
        oasysReviewed: 'done',
      }),
    ).toMatch(/raised for X123456\. Tom Reyes has been asked to countersign/);
    expect(
      await raise('amara', 'refer X654321', {
        crn: 'X654321',
        referralType: 'Resettlement',
        providerUnitId: 'gateway-resettle',
        prison: 'HMP Leeds',
        releaseDate: '2027-06-01',
        releaseType: 'CRD',
        notes: NARRATIVE.notes,
      }),
    ).toMatch(/X654321/);
    await drain();
    expect(cardText(r.cardsTo('tom').at(-1)!)).toContain(NARRATIVE.summary.slice(0, 30)); // narrative in the 1:1 chat
    expect(await decide('tom', 'escalation.countersign', { rationale: NARRATIVE.rationales[0]! })).toMatch(/Countersigned by Tom Reyes/);
    await drain();
    expect(channelPosts('north-pp')).toEqual([
      'Incoming escalation: ESC-000001\nCRN: X123456\nRisk (RoSH): Medium → High\nUrgency: Standard\nState: Awaiting duty acceptance\nDue: Wed 25 Nov 2026, 17:00',
    ]);
    expect(channelPosts('north-3')).toEqual([]);
  });

  it('posts each unit channel its 09:00 digest on the next working day', async () => {
    r.t.clock.set('2026-11-25T09:00:00Z');
    await r.t.app.scheduler.digestOnce();
    await drain();
    const digest = (unit: keyof typeof CHANNEL) => channelPosts(unit).filter((text) => text.startsWith('Daily digest'));
    for (const unit of Object.keys(CHANNEL) as (keyof typeof CHANNEL)[]) expect(digest(unit), unit).toHaveLength(1);
    expect(digest('north-pp')[0]).toContain('Due today: ESC-000001 · X123456 · Duty acceptance · Dev Patel · due 17:00');
    expect(digest('north-5')[0]).toContain('Nothing overdue and nothing due today.');
    // A second run the same morning (another replica, a restart) posts nothing more.
    await r.t.app.scheduler.digestOnce();
    await drain();
    expect(digest('north-pp')).toHaveLength(1);
  });

  it('takes the escalation to closed on Teams, refreshing the channel notice in place', async () => {
    r.t.clock.set('2026-11-25T09:30:00Z');
    expect(await decide('dev', 'escalation.accept', { personId: 'omar', rationale: NARRATIVE.rationales[1]! })).toMatch(/Accepted by Dev Patel/);
    await drain();
    await decide('omar', 'escalation.confirm_handover');
    await drain();
    await decide('amara', 'escalation.confirm_handover');
    await drain();
    expect((await r.t.app.store.repos.items.escalation(1))?.state).toBe('closed');
    const [notice] = r.fake.channelPosts(CHANNEL['north-pp']);
    // One update of the post in its thread per later decision: accepted, half confirmed, closed.
    const refreshed = r.fake.requests.filter((request) => request.method === 'PUT' && request.conversationId === notice!.conversationId);
    expect(refreshed.map((request) => request.activityId)).toEqual([notice!.activityId, notice!.activityId, notice!.activityId]);
    expect(cardText(cardsOfActivity(refreshed.at(-1)!.body as never)[0]!)).toMatch(/State: Closed/);
  });

  it('takes the referral to delivered on Teams', async () => {
    await decide('will', 'referral.acknowledge');
    await drain();
    // The duty officer takes it on himself (the assessment is the assigned worker's).
    await decide('will', 'referral.assign', { personId: 'will' });
    await drain();
    await decide('will', 'referral.record_assessment', { rationale: NARRATIVE.rationales[2]! });
    await drain();
    await decide('will', 'referral.submit_action_plan', { rationale: NARRATIVE.rationales[3]! });
    await drain();
    await decide('will', 'referral.record_delivery', { rationale: NARRATIVE.rationales[4]! });
    await drain();
    expect((await r.t.app.store.repos.items.referral(1))?.state).toBe('delivered');
    expect((await r.t.app.store.repos.outbox.byDedupePrefix('')).filter((row) => row.status !== 'sent').map((row) => row.dedupeKey)).toEqual([]);
  });

  it('never shows narrative outside a personal chat, and every card passes the Adaptive Cards validator', async () => {
    const personal = new Set((Object.keys(SLACK) as RegionPerson[]).map(personalConversation));
    const outside = r.fake.requests.filter((request) => {
      if (request.method === 'GET') return false;
      if (request.path.replace(/\/$/, '') === '/v3/conversations') return true; // new channel threads
      return !personal.has(request.conversationId ?? '');
    });
    // The notice, four digests and the notice's three updates.
    expect(outside).toHaveLength(8);
    expect(outside.every((request) => String(request.conversationId ?? (request.body as { channelData?: { channel?: { id?: string } } }).channelData?.channel?.id).startsWith('19:'))).toBe(true);
    const shared = JSON.stringify(outside.map((request) => request.body));
    for (const text of [NARRATIVE.summary, NARRATIVE.notes, ...NARRATIVE.rationales]) expect(shared).not.toContain(text.slice(0, 20));
    const inPersonal = JSON.stringify(r.fake.requests.filter((request) => personal.has(request.conversationId ?? '')).map((request) => request.body));
    expect(inPersonal).toContain(NARRATIVE.summary.slice(0, 20));
    r.expectAllCardsValid();
  });
});
