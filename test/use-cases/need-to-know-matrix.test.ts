/**
 * Need to know, person by person, on both platforms: every kind of person × (timeline, export, home queue, a click
 * on an item that moved on). One CRN with an escalation (raised by Amara, countersigned by Tom, accepted by Dev on
 * duty with Omar named as new case manager: now at handover) and a referral (Amara to Gateway Resettlement).
 * A delegate (absence cover) is checked at the end, once Tom is recorded away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDecision } from '../../commands/decide.command.js';
import { escalateCommand } from '../../commands/escalate.command.js';
import { referCommand } from '../../commands/refer.command.js';
import { endAbsence, recordAbsence } from '../../src/use-cases/away.use-case.js';
import { encodeActionValue } from '../../src/use-cases/chat-message.js';
import { actionExecuteActivity, messageActivity, postActivity } from '../support/bot-activities.js';
import { type FakeConnector, startFakeConnector } from '../support/fake-connector.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { blockActionPayload, interactionBody, postToSlack, slashCommandBody } from '../support/slack-requests.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { exampleOrg } from '../support/test-org.js';
import { cardText } from '../teams/teams-harness.js';

const SECRET = 'need-to-know-signing-secret';
const CRN = 'M100001';
const aadOf = (id: string) => `00000000-0000-4000-8000-${Buffer.from(id.padEnd(6, '_')).toString('hex').slice(0, 12)}`;

/** The example org, everyone on both platforms, plus a second provider with no link to the case. */
const matrixOrg = () =>
  exampleOrg((text) =>
    text
      .replace(/\{ id: (\w+), name: ([^,]+), slack: (U0\w+)/g, (_all, id: string, name: string, slack: string) => `{ id: ${id}, name: ${name}, slack: ${slack}, teams: ${aadOf(id)}`)
      .replace('people:\n', `people:\n  - { id: zoe, name: Zoe Hart, slack: U0ZOE, teams: ${aadOf('zoe')} }\n  - { id: yan, name: Yan Li, slack: U0YAN, teams: ${aadOf('yan')} }\n`)
      .replace(
        'referralTypes:',
        `  - id: east-resettle\n    name: East Resettlement\n    manager: yan\n    seniorManager: yan\n    members: [zoe]\n    duty: [zoe]\n    receives: [referrals]\n\nreferralTypes:`,
      ),
  );

type Expect = { timeline: boolean; export: 'file' | 'not_manager' | 'not_shown'; home: boolean; click: 'state' | 'plain' };
/** What each kind of person gets. home: the CRN is in their queue (they owe something on it now). */
const MATRIX: Record<string, { who: string; expect: Expect }> = {
  raiser: { who: 'amara', expect: { timeline: true, export: 'not_manager', home: true, click: 'state' } },
  countersigner: { who: 'tom', expect: { timeline: true, export: 'file', home: false, click: 'state' } },
  'receiving duty officer (accepted)': { who: 'dev', expect: { timeline: true, export: 'not_manager', home: false, click: 'state' } },
  'receiving unit manager': { who: 'kate', expect: { timeline: true, export: 'file', home: false, click: 'state' } },
  'new case manager': { who: 'omar', expect: { timeline: true, export: 'not_manager', home: true, click: 'state' } },
  'provider staff (referral)': { who: 'will', expect: { timeline: true, export: 'not_manager', home: true, click: 'plain' } },
  'provider manager (referral)': { who: 'rosa', expect: { timeline: true, export: 'file', home: false, click: 'plain' } },
  'senior manager up the line': { who: 'sam', expect: { timeline: true, export: 'file', home: false, click: 'state' } },
  'unrelated officer, same team as the raiser': { who: 'ben', expect: { timeline: false, export: 'not_shown', home: false, click: 'plain' } },
  'unrelated officer, other team': { who: 'lena', expect: { timeline: false, export: 'not_shown', home: false, click: 'plain' } },
  'unrelated manager': { who: 'priya', expect: { timeline: false, export: 'not_shown', home: false, click: 'plain' } },
  'unrelated provider staff': { who: 'zoe', expect: { timeline: false, export: 'not_shown', home: false, click: 'plain' } },
  'unrelated provider manager': { who: 'yan', expect: { timeline: false, export: 'not_shown', home: false, click: 'plain' } },
};

const NOT_SHOWN = `${CRN}: not shown. Only people with a role on this case can see it.`;
const PLAIN = 'You are not allowed to take that decision on this item. Nothing was changed.';
const NOT_MANAGER = 'You are not allowed to take that decision on this item. Nothing was changed.';
const SECRET_WORDS = /victim at her address|Agreed, risk up|Accepted for the unit/;

describe('need to know: every kind of person × timeline, export, home, refused click, on Slack and Teams', () => {
  let t: TestApp;
  let slack: FakeSlack;
  let connector: FakeConnector;
  let escalationId: number;
  const slackIdOf = (id: string) => t.app.ctx.directory.person(id)!.slack!;

  beforeAll(async () => {
    slack = await startFakeSlack();
    connector = await startFakeConnector();
    t = await startTestApp({ org: matrixOrg(), env: { TEAMS_EMULATOR: '1', SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-matrix', SLACK_API_URL: slack.url } });
    const ctx = t.app.ctx;
    const raised = await escalateCommand.submit({
      ctx,
      actorId: 'amara',
      context: {},
      platform: 'slack',
      values: {
        crn: CRN,
        roshCurrent: 'MEDIUM',
        roshNew: 'HIGH',
        reason: 'rosh_increase',
        urgency: 'standard',
        receivingUnitId: 'north-pp',
        summary: 'Seen near the victim at her address twice.',
        oasysReviewed: ['done'],
      },
    });
    expect(raised.ok).toBe(true);
    escalationId = (await t.app.store.repos.items.recentEscalations(1))[0]!.id;
    expect((await runDecision({ ctx, actorId: 'tom', actionId: 'escalation.countersign', itemId: escalationId, values: { rationale: 'Agreed, risk up.' }, platform: 'slack' })).ok).toBe(true);
    expect(
      (await runDecision({ ctx, actorId: 'dev', actionId: 'escalation.accept', itemId: escalationId, values: { rationale: 'Accepted for the unit.', personId: 'omar' }, platform: 'slack' })).ok,
    ).toBe(true);
    const referral = await referCommand.submit({
      ctx,
      actorId: 'amara',
      context: {},
      platform: 'slack',
      values: {
        crn: CRN,
        referralType: 'Accommodation',
        providerUnitId: 'gateway-resettle',
        prison: 'HMP Leeds',
        releaseDate: '2027-06-01',
        releaseType: 'CRD',
        needs: ['accommodation'],
        notes: 'Needs a place away from the victim.',
      },
    });
    expect(referral.ok).toBe(true);
    await t.app.dispatcher.drain();
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await slack?.close();
    await connector?.close();
  });

  /** This person's access events on the CRN, oldest first. */
  const auditOf = async (who: string) => (await t.app.store.repos.records.auditForCrn(CRN)).filter((row) => row.actorId === who && row.event.startsWith('case.'));

  const onSlack = {
    async command(who: string, text: string): Promise<string> {
      const id = `${who}-${text}-${Math.random()}`;
      const res = await postToSlack({ baseUrl: t.baseUrl, secret: SECRET, body: slashCommandBody({ command: '/cases', text, userId: slackIdOf(who), responseUrl: slack.responseUrl(id) }) });
      expect(res.status).toBe(200);
      for (let i = 0; i < 500 && slack.responsesTo(id).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      return JSON.stringify(slack.responsesTo(id)[0]?.body ?? null);
    },
    async click(who: string): Promise<string> {
      const id = `${who}-click-${Math.random()}`;
      const value = encodeActionValue({ id: 'escalation.countersign', label: '', needsForm: true, itemType: 'escalation', itemId: escalationId });
      const res = await postToSlack({
        baseUrl: t.baseUrl,
        secret: SECRET,
        body: interactionBody(blockActionPayload({ userId: slackIdOf(who), actionId: 'escalation.countersign', value, responseUrl: slack.responseUrl(id) })),
      });
      expect(res.status).toBe(200);
      for (let i = 0; i < 500 && slack.responsesTo(id).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      // The private reply's words; any blocks (item details) would be appended and fail the exact match.
      const body = (slack.responsesTo(id)[0]?.body ?? {}) as { text?: string; blocks?: unknown };
      return `${body.text ?? ''}${body.blocks ? ` BLOCKS ${JSON.stringify(body.blocks)}` : ''}`;
    },
  };
  const base = (who: string) => ({ serviceUrl: connector.url, userAadId: aadOf(who), userName: who });
  const onTeams = {
    async say(who: string, text: string): Promise<string> {
      const before = connector.activities().length;
      const res = await postActivity({ baseUrl: t.baseUrl, activity: messageActivity({ ...base(who), text }) });
      expect(res.status).toBe(200);
      return connector
        .activities()
        .slice(before)
        .map((activity) => `${activity.text ?? ''}\n${(activity.attachments ?? []).map((a) => cardText(a.content as Record<string, unknown>)).join('\n')}`)
        .join('\n');
    },
    async click(who: string): Promise<string> {
      const value = encodeActionValue({ id: 'escalation.countersign', label: '', needsForm: true, itemType: 'escalation', itemId: escalationId });
      const res = await postActivity({ baseUrl: t.baseUrl, activity: actionExecuteActivity({ ...base(who), verb: 'escalation.countersign', data: { value, needsForm: true } }) });
      expect(res.status).toBe(200);
      const answer = res.json as { type: string; value: unknown };
      return answer.type === 'application/vnd.microsoft.card.adaptive' ? `CARD ${cardText(answer.value as Record<string, unknown>)}` : String(answer.value);
    },
  };

  describe.each(Object.entries(MATRIX))('%s', (_kind, { who, expect: want }) => {
    it('timeline: the case, or a refusal naming only the CRN (both platforms), and an audit event either way', async () => {
      const before = await auditOf(who);
      for (const answer of [await onSlack.command(who, CRN), await onTeams.say(who, `cases ${CRN}`)]) {
        if (want.timeline) {
          expect(answer).toMatch(/Timeline for M100001/);
          expect(answer).toMatch(/Seen near the victim|Agreed, risk up/);
        } else {
          expect(answer).toContain(NOT_SHOWN);
          expect(answer).not.toMatch(SECRET_WORDS);
          expect(answer).not.toMatch(/ESC-|REF-|Amara|Tom Reyes/);
        }
      }
      // One audit row per platform: viewed, or refused.
      expect((await auditOf(who)).slice(before.length).map((row) => row.event)).toEqual(want.timeline ? ['case.viewed', 'case.viewed'] : ['case.view_refused', 'case.view_refused']);
    });

    it('export: only managers with a role get the file', async () => {
      const before = await auditOf(who);
      for (const answer of [await onSlack.command(who, `${CRN} export`), await onTeams.say(who, `cases ${CRN} export`)]) {
        if (want.export === 'file') expect(answer).toMatch(/Export (of|for) M100001/);
        else expect(answer).toContain(want.export === 'not_shown' ? NOT_SHOWN : NOT_MANAGER);
        if (want.export !== 'file') expect(answer).not.toMatch(SECRET_WORDS);
      }
      const events = { file: ['case.exported', 'case.exported'], not_shown: ['case.view_refused', 'case.view_refused'], not_manager: [] }[want.export];
      expect((await auditOf(who)).slice(before.length).map((row) => row.event)).toEqual(events);
    });

    it('home queue: the CRN only for those who owe something on it now', async () => {
      const teams = await onTeams.say(who, 'cases');
      const slackHome = await (async () => {
        const mine = (call: { args: Record<string, unknown> }) => call.args.user_id === slackIdOf(who);
        const published = slack.callsTo('views.publish').filter(mine).length;
        const event = JSON.stringify({
          token: 'verification-token',
          team_id: 'T1',
          api_app_id: 'A1',
          type: 'event_callback',
          event_id: `Ev${who}${Math.random()}`,
          event_time: Math.floor(Date.now() / 1000),
          event: { type: 'app_home_opened', user: slackIdOf(who), channel: `D${slackIdOf(who)}`, tab: 'home', event_ts: '1700000000.000100' },
          authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
        });
        const res = await postToSlack({ baseUrl: t.baseUrl, secret: SECRET, body: event, contentType: 'application/json' });
        expect(res.status).toBe(200);
        const calls = await slack.waitFor({ method: 'views.publish', count: published + 1, where: mine });
        return JSON.stringify(calls.at(-1)?.args.view);
      })();
      for (const answer of [teams, slackHome]) {
        if (want.home) expect(answer).toContain(CRN);
        else expect(answer).not.toContain(CRN);
        expect(answer).not.toMatch(SECRET_WORDS);
      }
    });

    it('a click on the item after it moved on: who acted for people with a role, the plain refusal for anyone else', async () => {
      for (const answer of [await onSlack.click(who), await onTeams.click(who)]) {
        // A person with a role learns who acted (Teams shows the item's current card, as before).
        if (want.click === 'state')
          expect(answer).toMatch(/Already done: accepted by Dev Patel/); // the last decision
        else {
          expect(answer).not.toMatch(/^CARD/); // never the item's card to someone with no role on it
          expect(answer).toBe(PLAIN);
          expect(answer).not.toMatch(SECRET_WORDS);
        }
      }
    });
  });

  // Last, because it records an absence: a delegate of the absent countersigner may see the case while the
  // absence runs (on both platforms, audited with the reason), and not once it has ended.
  it('delegate (absence cover): sees what the absent countersigner may see, only while they are away', async () => {
    const ctx = t.app.ctx;
    const timelines = async () => [await onSlack.command('lena', CRN), await onTeams.say('lena', `cases ${CRN}`)];
    for (const answer of await timelines()) expect(answer).toContain(NOT_SHOWN);
    await recordAbsence({ ctx, actorId: 'tom', personId: 'tom', from: null, until: '2026-11-27', delegateId: 'lena', platform: 'slack' });
    for (const answer of await timelines()) {
      expect(answer).toMatch(/Timeline for M100001/);
      expect(answer).toMatch(/Agreed, risk up/);
    }
    const viewed = (await auditOf('lena')).filter((row) => row.event === 'case.viewed');
    expect(viewed.map((row) => row.details.reasons)).toEqual([['delegate'], ['delegate']]);
    await endAbsence({ ctx, actorId: 'tom', personId: 'tom', platform: 'slack' });
    for (const answer of await timelines()) expect(answer).toContain(NOT_SHOWN);
  });
});
