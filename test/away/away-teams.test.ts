// Absence and delegation on Teams (the same words typed to the bot): Tom and Dev are on Teams only, Amara and Ben on
// Slack. Cards are checked against the Adaptive Card schema as every Teams test does.
import { afterEach, describe, expect, it } from 'vitest';
import { dmsTo, buttonsOf, textOf } from '../slack/slack-harness.js';
import { SLACK } from '../support/test-org.js';
import { type TeamsHarness, actionIdOf, actionNamed, cardText, executeActions, startTeamsHarness } from '../teams/teams-harness.js';

const replyText = (replies: { text?: string; attachments?: { content?: unknown }[] }[]) =>
  replies.map((reply) => reply.text ?? (reply.attachments?.[0]?.content ? cardText(reply.attachments[0].content as Record<string, unknown>) : '')).join('\n');

describe('/away on Teams', { timeout: 120_000 }, () => {
  let h: TeamsHarness | undefined;
  afterEach(async () => {
    h?.expectAllCardsValid();
    await h?.stop();
    h = undefined;
  });

  it('manager away before the raise, a named delegate on Teams: the countersign card goes to them and is recorded on behalf', async () => {
    h = await startTeamsHarness({ slack: true });
    expect(await h.install('tom')).toBe(200);
    expect(await h.install('dev')).toBe(200);
    const said = await h.say('tom', 'away until 2026-11-27 dev');
    expect(said.status).toBe(200);
    expect(replyText(said.replies)).toContain('Tom Reyes away from now until Fri 27 Nov; Dev Patel acts for them (named). Recorded with your name and the time.');

    const id = await h.raiseViaSlack({ slackUserId: SLACK.amara, crn: 'X500001', summary: 'Breached licence conditions; new intelligence from police.' });
    await h.t.app.dispatcher.drain();
    expect(h.cardsTo('tom')).toHaveLength(1); // only the reply to "away"
    const [card] = h.cardsTo('dev');
    expect(cardText(card!)).toMatch(/Countersign needed: ESC-000001/);
    expect(cardText(card!)).toContain('For Tom Reyes, away until Fri 27 Nov: you act for them on this.');
    expect(executeActions(card!).map(actionIdOf)).toEqual(['escalation.countersign', 'escalation.return']);

    // The button opens the form in a dialog (task/fetch); the good submit (task/submit) closes it and the chat gets the item as it now stands.
    const form = h.dialogOf(await h.task('dev', 'fetch', actionNamed(card!, 'escalation.countersign').data as Record<string, unknown>));
    const submitData = executeActions(form)[0]!.data as Record<string, unknown>;
    const devBefore = h.cardsTo('dev').length;
    const closed = await h.task('dev', 'submit', { ...submitData, rationale: 'Agree, on behalf of Tom.' });
    expect(closed.task.type, JSON.stringify(closed.task.value)).toBe('message');
    expect(h.cardsTo('dev').slice(devBefore)).toHaveLength(1);
    const done = h.cardsTo('dev').at(-1)!;
    expect(cardText(done)).toMatch(/Countersigned by Dev Patel/);
    const last = await h.t.app.store.repos.records.lastDecision({ itemType: 'escalation', itemId: id });
    expect(last).toMatchObject({ action: 'countersign', actorId: 'dev', actorRole: 'receiving_duty+delegate', onBehalfOf: 'tom', onBehalfRole: 'countersigner+sender_manager', platform: 'teams' });

    const timeline = await h.say('dev', 'cases X500001');
    expect(replyText(timeline.replies)).toContain('Dev Patel (receiving_duty+delegate) on behalf of Tom Reyes (countersigner+sender_manager) · countersign');
  });

  it('away after the request was sent: the Teams card loses its buttons and the deputy gets the request on Slack', async () => {
    h = await startTeamsHarness({ slack: true });
    expect(await h.install('tom')).toBe(200);
    const id = await h.raiseViaSlack({ slackUserId: SLACK.amara, crn: 'X500002', summary: 'Breached licence conditions; new intelligence from police.' });
    await h.t.app.dispatcher.drain();
    const [request] = h.cardsTo('tom');
    expect(executeActions(request!).map(actionIdOf)).toEqual(['escalation.countersign', 'escalation.return']);

    const said = await h.say('tom', 'away until 2026-11-27 ben');
    expect(replyText(said.replies)).toContain(
      'Tom Reyes away from now until Fri 27 Nov; Ben Carter acts for them (named). Recorded with your name and the time. 1 pending request(s) passed to Ben Carter now.',
    );
    await h.t.app.dispatcher.drain();
    const updatedCards = h.fake
      .updates()
      .flatMap((activity) => activity.attachments ?? [])
      .map((attachment) => attachment.content as Record<string, unknown>);
    expect(updatedCards).toHaveLength(1);
    expect(executeActions(updatedCards[0]!)).toEqual([]);
    expect(cardText(updatedCards[0]!)).toContain('Passed to Ben Carter while you are away.');
    const [toBen] = dmsTo(h.slack!, SLACK.ben);
    expect(buttonsOf(toBen!).map((button) => button.action_id)).toEqual(['escalation.countersign', 'escalation.return']);
    expect(textOf(toBen!)).toContain('Passed to you: Tom Reyes is away until Fri 27 Nov, and you act for them on this.');
    expect((await h.t.app.store.repos.items.escalation(id))?.state).toBe('awaiting_countersign');
  });

  it('bad input on Teams: one clear line, nothing stored', async () => {
    h = await startTeamsHarness();
    expect(await h.install('tom')).toBe(200);
    const lines: string[] = [];
    for (const text of ['away until 2020-01-01', 'away 2026-12-10..2026-12-01', 'away until 2026-11-27 tom', 'away @amara until 2026-11-30 sam', 'away off']) {
      lines.push(replyText((await h.say('tom', text)).replies));
    }
    expect(lines).toEqual([
      '2020-01-01 is in the past: an absence runs from today or later. Nothing was changed.',
      'The end (2026-12-01) is before the start (2026-12-10). Nothing was changed.',
      "You cannot be Tom Reyes's own delegate: name someone else, or leave the delegate out. Nothing was changed.",
      expect.stringContaining('Amara Okafor away from now until Mon 30 Nov; Sam Adeyemi acts for them (named).'),
      'Tom Reyes has no absence now or ahead to end. Nothing was changed.',
    ]);
    expect((await h.t.app.store.repos.absences.notOverAt(new Date(0))).map((row) => row.personId)).toEqual(['amara']);
  });
});
