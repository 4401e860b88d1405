// The handover meeting on Teams: the Schedule handover card form, its field errors, and the reminders as cards
// (Dev, the new case manager, on Teams; Amara, the old one, on Slack).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { textOf } from '../slack/slack-harness.js';
import { SLACK } from '../support/test-org.js';
import { type TeamsHarness, actionIdOf, actionNamed, cardText, executeActions, inputIds, startTeamsHarness } from '../teams/teams-harness.js';

describe('Teams: the handover meeting, over HTTP', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({ slack: true }); // Tue 24 Nov 2026, 10:00 London
    expect(await h.install('dev')).toBeLessThan(300);
  });
  afterAll(async () => {
    await h?.stop();
  });
  const drain = () => h.t.app.dispatcher.drain();
  const tick = async (at: string) => {
    h.t.clock.set(at);
    await h.t.app.scheduler.sweepOnce();
    await drain();
  };
  const devCards = (headline: RegExp) => h.cardsTo('dev').filter((card) => headline.test(cardText(card)));
  const amaraDms = (headline: RegExp) => h.slack!.callsTo('chat.postMessage').filter((call) => call.args.channel === h.slack!.dmChannelFor(SLACK.amara) && headline.test(textOf(call)));

  it('schedules from a card form (errors shown in the card), reminds both an hour before and chases the missed time', async () => {
    const { t } = h;
    const id = await h.raiseViaSlack({ slackUserId: SLACK.amara, crn: 'X223344', summary: 'New intelligence from police.' });
    await decideEscalation({ ctx: t.app.ctx, actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agreed.', platform: 'teams' });
    await decideEscalation({ ctx: t.app.ctx, actorId: 'dev', escalationId: id, action: 'accept', rationale: 'I will take it.', caseManagerId: 'dev', platform: 'teams' });
    await drain();

    const [handoverCard] = devCards(/Handover needed/);
    expect(executeActions(handoverCard!).map(actionIdOf)).toEqual(['escalation.confirm_handover', 'escalation.schedule_handover', 'escalation.return_misallocated']);
    const schedule = actionNamed(handoverCard!, 'escalation.schedule_handover');
    // The button opens the form in a dialog (task/fetch); the errors come back in the dialog (task/submit).
    const form = h.dialogOf(await h.task('dev', 'fetch', schedule.data as Record<string, unknown>));
    expect(inputIds(form)).toEqual(['handoverDate', 'handoverTime', 'handoverLink']);
    const submit = executeActions(form)[0]!.data as Record<string, unknown>;

    const again = h.dialogOf(await h.task('dev', 'submit', { ...submit, handoverDate: '2026-11-24', handoverTime: '09:00', handoverLink: 'ftp://files.example.org' }));
    expect(cardText(again)).toContain('That time has already passed: choose a time from now on');
    expect(cardText(again)).toContain('Enter a full https:// link, or leave it empty');
    expect((await t.app.store.repos.items.escalation(id))?.handoverAt).toBeNull();

    // The good submit closes the dialog; the chat gets the item as it now stands.
    const devBefore = h.cardsTo('dev').length;
    const closed = await h.task('dev', 'submit', { ...submit, handoverDate: '2026-11-24', handoverTime: '15:30', handoverLink: '' });
    expect(closed.task.type, JSON.stringify(closed.task.value)).toBe('message');
    expect(h.cardsTo('dev').slice(devBefore)).toHaveLength(1);
    const done = h.cardsTo('dev').at(-1)!;
    expect(executeActions(done).map(actionIdOf)).toEqual([]);
    expect(await t.app.store.repos.items.escalation(id)).toMatchObject({ handoverAt: new Date('2026-11-24T15:30:00Z'), handoverLink: null });
    await drain();
    expect(devCards(/Handover meeting scheduled/)).toHaveLength(1);
    expect(cardText(devCards(/Handover meeting scheduled/)[0]!)).toContain('Handover meeting: Tue 24 Nov 2026, 15:30');
    expect(amaraDms(/Handover meeting scheduled/)).toHaveLength(1);

    await tick('2026-11-24T14:29:00Z');
    expect(devCards(/Handover meeting in an hour/)).toHaveLength(0);
    await tick('2026-11-24T14:30:30Z');
    await tick('2026-11-24T14:45:00Z');
    expect(devCards(/Handover meeting in an hour/)).toHaveLength(1);
    expect(amaraDms(/Handover meeting in an hour/)).toHaveLength(1);

    await tick('2026-11-24T15:31:00Z');
    const chasedDev = devCards(/Handover meeting/).filter((card) => /late|due now/.test(cardText(card)));
    expect(chasedDev).toHaveLength(1);
    expect(executeActions(chasedDev[0]!).map(actionIdOf)).toEqual(['escalation.confirm_handover']);
    expect(amaraDms(/Handover meeting.*(late|due now)|(late|due now)[\s\S]*Handover meeting/)).toHaveLength(1);
    h.expectAllCardsValid();
  });
});
