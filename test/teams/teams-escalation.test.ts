import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AAD, type TeamsHarness, actionNamed, cardText, conversationOf, executeActions, inputIds, startTeamsHarness, until } from './teams-harness.js';

import { SLACK } from '../support/test-org.js';

describe('Teams: a mixed-platform escalation (officer on Slack, manager and duty officer on Teams)', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({ slack: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('stores conversation references on install, keyed by the lower-case Entra object id', async () => {
    expect(await h.install('tom')).toBe(200);
    expect(await h.install('dev')).toBe(200);
    const reference = (await h.t.app.store.repos.teams.reference(AAD.tom)) as { conversation: { id: string }; serviceUrl: string };
    expect(reference.conversation.id).toBe(conversationOf('tom'));
    expect(reference.serviceUrl).toBe(h.fake.url);
    expect(await h.t.app.store.repos.teams.reference(AAD.dev)).toBeDefined();
    expect(h.t.app.platforms.teams).toMatch(/loopback-only/);
  });

  it('runs raise (Slack) → countersign (Teams) → accept (Teams) → handover → closed, refreshing earlier cards', async () => {
    const { app } = h.t;
    // Amara is on Slack only: /escalate and the modal, over signed Slack HTTP.
    const id = await h.raiseViaSlack({ slackUserId: SLACK.amara, crn: 'x123456', summary: 'Breached licence conditions; new intelligence from police.' });
    expect(await app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }])).toMatchObject([{ action: 'raise', actorId: 'amara', platform: 'slack' }]);
    const keys = (await app.store.repos.outbox.byDedupePrefix(`escalation:${id}:v1:`)).map((r) => r.dedupeKey);
    expect(keys).toContain(`escalation:${id}:v1:escalation.countersign_requested:tom:teams:${AAD.tom}`);

    await app.dispatcher.drain();
    const [countersignCard] = h.cardsTo('tom');
    expect(countersignCard).toBeDefined();
    expect(cardText(countersignCard!)).toMatch(/Countersign needed: ESC-000001/);
    expect(cardText(countersignCard!)).toMatch(/Breached licence conditions/); // narrative only in the DM
    const countersign = actionNamed(countersignCard!, 'escalation.countersign');
    expect(countersign.data).toEqual({ msteams: { type: 'task/fetch' }, value: `escalation:${id}:escalation.countersign`, needsForm: true, action: 'escalation.countersign' });
    expect(executeActions(countersignCard!).map((a) => (a.data as { action: string }).action)).toEqual(['escalation.countersign', 'escalation.return']);

    // The button opens the rationale form in a dialog.
    const form = h.dialogOf(await h.task('tom', 'fetch', countersign.data as Record<string, unknown>));
    expect(inputIds(form)).toEqual(['rationale']);
    const [submit] = executeActions(form);

    // No rationale: the dialog comes back with the error under the field, nothing changes.
    const invalid = h.dialogOf(await h.task('tom', 'submit', { ...(submit!.data as object), rationale: ' ' }));
    expect(cardText(invalid)).toMatch(/Give your rationale/);
    expect((await app.store.repos.items.escalation(id))?.state).toBe('awaiting_countersign');

    h.t.clock.advance(20 * 60_000);
    const tomBefore = h.cardsTo('tom').length;
    const closed = await h.task('tom', 'submit', { ...(submit!.data as object), rationale: 'Agree, risk has risen.' });
    expect(closed.task).toEqual({ type: 'message', value: 'Countersign: done for ESC-000001 (X123456). Recorded with your name and the time.' });
    // The dialog closes; the chat gets the item as it now stands.
    expect(h.cardsTo('tom').slice(tomBefore)).toHaveLength(1);
    const done = h.cardsTo('tom').at(-1)!;
    expect(executeActions(done)).toEqual([]);
    expect(cardText(done)).toMatch(/Countersigned by Tom Reyes, Tue 24 Nov 2026, 10:20/);
    expect(cardText(done)).toMatch(/State: Awaiting duty acceptance/);
    const current = await app.store.repos.items.escalation(id);
    expect(current).toMatchObject({ state: 'awaiting_acceptance' });
    const decisions = await app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }]);
    expect(decisions.at(-1)).toMatchObject({ action: 'countersign', actorId: 'tom', platform: 'teams', rationale: 'Agree, risk has risen.' });

    // Dev (duty officer, Teams) gets the acceptance card; Tom's earlier card is refreshed with no buttons.
    await app.dispatcher.drain();
    const acceptanceCard = h.cardsTo('dev').at(-1)!;
    expect(cardText(acceptanceCard)).toMatch(/Escalation to accept: ESC-000001/);
    const refreshed = h.fake.requests.filter((r) => r.method === 'PUT' && r.conversationId === conversationOf('tom'));
    expect(refreshed.length).toBeGreaterThan(0);
    const refreshedCard = (refreshed.at(-1)!.body as { attachments: { content: Record<string, unknown> }[] }).attachments[0]!.content;
    expect(executeActions(refreshedCard)).toEqual([]);
    expect(cardText(refreshedCard)).toMatch(/Countersigned by Tom Reyes/);

    const accept = actionNamed(acceptanceCard, 'escalation.accept');
    const acceptForm = h.dialogOf(await h.task('dev', 'fetch', accept.data as Record<string, unknown>));
    expect(inputIds(acceptForm)).toEqual(['personId', 'rationale']);
    const [acceptSubmit] = executeActions(acceptForm);
    const acceptedDialog = await h.task('dev', 'submit', { ...(acceptSubmit!.data as object), personId: 'omar', rationale: 'Accepted on duty.' });
    expect(acceptedDialog.task.type).toBe('message');
    const accepted = h.cardsTo('dev').at(-1)!;
    expect(cardText(accepted)).toMatch(/Accepted by Dev Patel/);
    expect(executeActions(accepted)).toEqual([]);
    expect(await app.store.repos.items.escalation(id)).toMatchObject({ state: 'awaiting_handover', acceptedBy: 'dev', newCaseManagerId: 'omar' });

    // The handover is confirmed on Slack by Omar (new case manager) and Amara (old), one click each.
    await app.dispatcher.drain();
    const confirmedBy = async (n: number) => (await app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }])).filter((d) => d.action === 'confirm_handover').length >= n;
    await h.clickOnSlack({ slackUserId: SLACK.omar, actionId: 'escalation.confirm_handover' });
    await until(() => confirmedBy(1), 'Omar’s handover confirmation');
    await app.dispatcher.drain();
    await h.clickOnSlack({ slackUserId: SLACK.amara, actionId: 'escalation.confirm_handover' });
    await until(() => confirmedBy(2), 'Amara’s handover confirmation');
    expect((await app.store.repos.items.escalation(id))?.state).toBe('closed');
    await app.dispatcher.drain();
    const lastDevUpdate = h.fake.requests.filter((r) => r.method === 'PUT' && r.conversationId === conversationOf('dev')).at(-1)!;
    expect(cardText((lastDevUpdate.body as { attachments: { content: Record<string, unknown> }[] }).attachments[0]!.content)).toMatch(/Closed/i);

    const rows = await app.store.repos.outbox.byDedupePrefix(`escalation:${id}:`);
    expect(rows.filter((r) => r.status !== 'sent').map((r) => r.dedupeKey)).toEqual([]);
    // Amara heard every step on Slack, in her DM: raised, countersigned by Tom, accepted by Dev, handover, closed.
    const amaraDms = h.slack!.callsTo('chat.postMessage').filter((call) => call.args.channel === h.slack!.dmChannelFor(SLACK.amara));
    expect(amaraDms.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(amaraDms.map((call) => call.args.text))).toMatch(/Countersigned/);
    h.expectAllCardsValid();
  });
});
