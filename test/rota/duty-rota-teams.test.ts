// The duty rota on Teams: the same commands typed to the bot, the hand-over as proactive cards and card updates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateCommand } from '../../commands/escalate.command.js';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { installActivity, messageActivity, postActivity } from '../support/bot-activities.js';
import { type FakeConnector, type SentActivity, startFakeConnector } from '../support/fake-connector.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { actionIdOf, cardText, executeActions } from '../teams/teams-harness.js';
import { countersign, dutySnapshot, rotaOrg } from './rota-support.js';

type Json = Record<string, unknown>;
const AAD = { dev: '5a0e9a52-7c4b-4d2e-9a61-0000000000d2', omar: '5a0e9a52-7c4b-4d2e-9a61-0000000000e3', kate: '5a0e9a52-7c4b-4d2e-9a61-0000000000f4' } as const;
type Who = keyof typeof AAD;
const NAMES: Record<Who, string> = { dev: 'Dev Patel', omar: 'Omar Haddad', kate: 'Kate Morgan' };
const conversationOf = (who: Who) => `a:personal-1${AAD[who]}`;

const teamsRotaOrg = () =>
  rotaOrg((text) =>
    text
      .replace('{ id: dev, name: Dev Patel, slack: U0DEV }', `{ id: dev, name: Dev Patel, teams: ${AAD.dev} }`)
      .replace('{ id: omar, name: Omar Haddad, slack: U0OMAR }', `{ id: omar, name: Omar Haddad, teams: ${AAD.omar} }`)
      .replace('{ id: kate, name: Kate Morgan, slack: U0KATE }', `{ id: kate, name: Kate Morgan, teams: ${AAD.kate} }`),
  );

const escalation = {
  crn: 'X654321',
  roshCurrent: 'MEDIUM',
  roshNew: 'HIGH',
  reason: 'rosh_increase',
  urgency: 'standard',
  receivingUnitId: 'north-pp',
  summary: 'Risk has risen after new intelligence.',
  oasysReviewed: ['done'],
};

describe('Teams: the duty rota over time, over HTTP', () => {
  let t: TestApp;
  let fake: FakeConnector;
  beforeAll(async () => {
    fake = await startFakeConnector();
    t = await startTestApp({ org: teamsRotaOrg(), env: { TEAMS_EMULATOR: '1' } }); // Tue 24 Nov 2026, 10:00
    for (const who of Object.keys(AAD) as Who[]) {
      const res = await postActivity({ baseUrl: t.baseUrl, activity: installActivity({ serviceUrl: fake.url, userAadId: AAD[who], userName: NAMES[who] }) });
      expect(res.status).toBeLessThan(300);
    }
  });
  afterAll(async () => {
    await t?.stop();
    await fake?.close();
  });

  const say = async (who: Who, text: string): Promise<SentActivity[]> => {
    const before = fake.activitiesTo(conversationOf(who)).length;
    const res = await postActivity({ baseUrl: t.baseUrl, activity: messageActivity({ serviceUrl: fake.url, userAadId: AAD[who], userName: NAMES[who], text }) });
    expect(res.status).toBe(200);
    return fake.activitiesTo(conversationOf(who)).slice(before);
  };
  const replyText = (replies: SentActivity[]) => {
    expect(replies).toHaveLength(1);
    const card = replies[0]!.attachments?.[0]?.content as Json | undefined;
    return card ? cardText(card) : String(replies[0]!.text ?? '');
  };
  const cardsTo = (who: Who) =>
    fake
      .activitiesTo(conversationOf(who))
      .flatMap((activity) => activity.attachments ?? [])
      .map((attachment) => attachment.content as Json);
  const updatesTo = (who: Who) =>
    fake.requests.filter((r) => r.method === 'PUT' && r.conversationId === conversationOf(who)).map((r) => (r.body as { attachments: { content: Json }[] }).attachments[0]!.content);
  const acceptanceCards = (who: Who) => cardsTo(who).filter((card) => /Escalation to accept/.test(cardText(card)));

  it('hands the pending acceptance over when `duty` changes today, and again when the day turns to the rota', async () => {
    const raised = await escalateCommand.submit({ ctx: t.app.ctx, actorId: 'amara', values: escalation, context: {}, platform: 'slack' });
    expect(raised.ok).toBe(true);
    const [row] = await t.app.store.repos.items.recentEscalations(1);
    await countersign(t, row!.id);
    await t.app.dispatcher.drain();
    expect(acceptanceCards('dev')).toHaveLength(1);
    expect(executeActions(acceptanceCards('dev')[0]!).map(actionIdOf)).toEqual(['escalation.accept', 'escalation.decline']);

    // Dev, on duty, hands today's duty to Omar.
    expect(replyText(await say('dev', 'duty north-pp <at>Omar Haddad</at>'))).toBe(
      'Duty changed: North Public Protection Unit\nUnit: North Public Protection Unit\nDays: today (2026-11-24)\nOn duty: Omar Haddad\nBefore: Dev Patel',
    );
    await t.app.dispatcher.drain();
    expect(acceptanceCards('omar')).toHaveLength(1);
    expect(executeActions(acceptanceCards('omar')[0]!).map(actionIdOf)).toEqual(['escalation.accept', 'escalation.decline']);
    expect(acceptanceCards('dev')).toHaveLength(1);
    expect(updatesTo('dev')).toHaveLength(1);
    expect(executeActions(updatesTo('dev')[0]!)).toEqual([]);
    expect(cardText(updatesTo('dev')[0]!)).toContain('Passed to Omar Haddad, now on duty for North Public Protection Unit.');

    // Midnight: Wednesday's rota names Dev again.
    t.clock.set('2026-11-25T00:00:30Z');
    await t.app.scheduler.sweepOnce();
    await t.app.scheduler.sweepOnce();
    await t.app.dispatcher.drain();
    expect(acceptanceCards('dev')).toHaveLength(2);
    expect(executeActions(acceptanceCards('dev')[1]!).map(actionIdOf)).toEqual(['escalation.accept', 'escalation.decline']);
    expect(acceptanceCards('omar')).toHaveLength(1);
    expect(updatesTo('omar')).toHaveLength(1);
    expect(executeActions(updatesTo('omar')[0]!)).toEqual([]);
    expect(cardText(updatesTo('omar')[0]!)).toContain('Passed to Dev Patel, now on duty for North Public Protection Unit.');
    for (const card of fake.cards()) expect(validateAdaptiveCard(card)).toEqual([]);
  });

  it('shows the week and refuses bad input with one line each, changing nothing', async () => {
    // Wed 25 Nov 2026 now: Kate puts Omar on Friday to Saturday.
    expect(replyText(await say('kate', 'duty north-pp <at>Omar Haddad</at> 2026-11-27..2026-11-28'))).toMatch(/Days: from 2026-11-27 to 2026-11-28\nOn duty: Omar Haddad\nBefore: Dev Patel/);
    const week = replyText(await say('omar', 'duty north-pp week'));
    expect(week.split('\n').filter((line) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) 2026/.test(line))).toEqual([
      'Wed 2026-11-25: Dev Patel — rota',
      'Thu 2026-11-26: Dev Patel — default',
      'Fri 2026-11-27: Omar Haddad — set by Kate Morgan on Wed 25 Nov 2026, 00:00',
      'Sat 2026-11-28: Omar Haddad — set by Kate Morgan on Wed 25 Nov 2026, 00:00',
      'Sun 2026-11-29: nobody (the unit manager is told instead) — rota',
      'Mon 2026-11-30: Dev Patel — default',
      'Tue 2026-12-01: Dev Patel — default',
    ]);
    const before = await dutySnapshot(t);
    expect(replyText(await say('kate', 'duty north-pp amara'))).toBe("Amara Okafor is not in North Public Protection Unit: only the unit's own people can be put on its duty. Nothing was changed.");
    expect(replyText(await say('kate', 'duty north-pp omar 2026-11-24'))).toBe('2026-11-24 is in the past: duty can be set for today or later. Nothing was changed.');
    expect(replyText(await say('kate', 'duty north-pp omar 2026-11-30..30-11'))).toBe(
      '"2026-11-30..30-11" is not a day I understand: use today, tomorrow, YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD. Nothing was changed.',
    );
    expect(replyText(await say('kate', 'duty north-pp omar 2026-12-01..2028-01-01'))).toBe('2026-12-01..2028-01-01: a duty change covers at most a year. Nothing was changed.');
    await t.app.dispatcher.drain();
    expect(await dutySnapshot(t)).toEqual(before);
  });
});
