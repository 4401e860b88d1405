import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideEscalation, raiseEscalation } from '../../src/use-cases/escalations.use-case.js';
import { decideReferral, raiseReferral } from '../../src/use-cases/referrals.use-case.js';
import { postActivity, teamInstallActivity } from '../support/bot-activities.js';
import type { SlackCall } from '../support/fake-slack.js';
import { type Parity, bothPlatformsOrg, startParity } from './parity-support.js';

/**
 * The parity table, continued for what goes to unit channels: every unit has a Slack channel and a Teams channel,
 * and the same item (or morning) must put the same facts in both: title, facts, lines, and no buttons.
 */
const TEAMS_CHANNEL: Record<string, string> = {
  C0NORTH3: '19:parity-north-3@thread.tacv2',
  C0NORTH5: '19:parity-north-5@thread.tacv2',
  C0NORTHPP: '19:parity-north-pp@thread.tacv2',
  C0GATEWAY: '19:parity-gateway@thread.tacv2',
};
const TEAM_ID = '19:parity-general@thread.tacv2';
const bothChannelsOrg = () => {
  const org = bothPlatformsOrg();
  for (const unit of org.units) if (unit.channel.slack) unit.channel.teams = TEAMS_CHANNEL[unit.channel.slack];
  return org;
};

interface Facts {
  title: string;
  facts: { label: string; value: string }[];
  lines: string[];
  buttons: number;
}

const unescapeMrkdwn = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** What a Slack channel message says: header, section fields (`*label*\nvalue`), line sections, buttons. */
const slackFacts = (call: SlackCall): Facts => {
  const blocks = (call.args.blocks ?? []) as { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: unknown[] }[];
  const facts = blocks
    .flatMap((block) => block.fields ?? [])
    .map((field) => {
      const [label = '', ...value] = field.text.split('\n');
      return { label: unescapeMrkdwn(label.replace(/^\*|\*$/g, '')), value: unescapeMrkdwn(value.join('\n')) };
    });
  const lines = blocks.filter((block) => block.type === 'section' && !block.fields && block.text).flatMap((block) => unescapeMrkdwn(block.text!.text).split('\n'));
  return { title: blocks.find((block) => block.type === 'header')?.text?.text ?? '', facts, lines, buttons: blocks.filter((block) => block.type === 'actions').length };
};

/** What a Teams channel post says: the heading TextBlock, the FactSet, the other TextBlocks, Action.Execute buttons. */
const teamsFacts = (card: { body: { type: string; text?: string; facts?: { title: string; value: string }[] }[]; actions?: unknown[] }): Facts => {
  const [heading, ...rest] = card.body;
  return {
    title: heading?.text ?? '',
    facts: rest.flatMap((element) => element.facts ?? []).map((fact) => ({ label: fact.title, value: fact.value })),
    lines: rest.filter((element) => element.type === 'TextBlock').map((element) => element.text ?? ''),
    buttons: card.actions?.length ?? 0,
  };
};

describe('Slack and Teams channels get the same facts for the same item and the same morning', () => {
  let p: Parity;
  beforeAll(async () => {
    p = await startParity({ org: bothChannelsOrg() });
    p.teams.addTeam({ teamId: TEAM_ID, channels: [{ id: TEAM_ID }, ...Object.values(TEAMS_CHANNEL).map((id) => ({ id }))] });
    const installed = await postActivity({ baseUrl: p.t.baseUrl, activity: teamInstallActivity({ serviceUrl: p.teams.url, teamId: TEAM_ID }) });
    expect(installed.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
  });

  const both = (slackChannel: string) => {
    const slack = p.slack.messagesTo(slackChannel).map(slackFacts);
    const teams = p.teams.channelPosts(TEAMS_CHANNEL[slackChannel]).map((post) => teamsFacts((post.activity.attachments ?? [])[0]!.content as never));
    return { slack, teams };
  };

  it('the incoming-escalation notice', async () => {
    const ctx = p.t.app.ctx;
    const input = {
      crn: 'P900100',
      roshCurrent: 'MEDIUM',
      roshNew: 'VERY_HIGH',
      reason: 'other',
      urgency: 'urgent',
      receivingUnitId: 'north-pp',
      summary: 'Narrative that stays in DMs.',
      oasysReviewed: true,
    } as const;
    const { row } = await raiseEscalation({ ctx, actorId: 'amara', input, platform: 'slack' });
    await decideEscalation({ ctx, actorId: 'tom', escalationId: row.id, action: 'countersign', rationale: 'Set-up step.', platform: 'slack' });
    await p.t.app.dispatcher.drain();
    const { slack, teams } = both('C0NORTHPP');
    expect(slack).toHaveLength(1);
    expect(teams).toEqual(slack);
    expect(slack[0]).toMatchObject({ title: `Incoming escalation: ESC-${String(row.id).padStart(6, '0')}`, buttons: 0 });
    expect(slack[0]!.facts.map((fact) => fact.label)).toEqual(['CRN', 'Risk (RoSH)', 'Urgency', 'State', 'Due']);
    expect(JSON.stringify([slack, teams])).not.toContain('Narrative');
  }, 120_000);

  it('the morning digest of every unit, with an overdue escalation and a referral', async () => {
    const ctx = p.t.app.ctx;
    const input = {
      crn: 'P300401',
      referralType: 'Resettlement',
      providerUnitId: 'gateway-resettle',
      prison: 'HMP Leeds',
      releaseDate: '2027-06-01',
      releaseType: 'CRD',
      needs: [],
      notes: 'Stays private.',
    };
    const { row } = await raiseReferral({ ctx, actorId: 'amara', input, platform: 'slack' });
    await decideReferral({ ctx, actorId: 'will', referralId: row.id, action: 'acknowledge', rationale: null, platform: 'slack' });
    p.t.clock.set('2026-11-25T09:00:00Z');
    await p.t.app.scheduler.digestOnce();
    await p.t.app.dispatcher.drain();
    for (const channel of Object.keys(TEAMS_CHANNEL)) {
      const { slack, teams } = both(channel);
      const slackDigest = slack.filter((facts) => facts.title.startsWith('Daily digest'));
      expect(slackDigest, channel).toHaveLength(1);
      expect(teams.filter((facts) => facts.title.startsWith('Daily digest'))).toEqual(slackDigest);
    }
    const pp = both('C0NORTHPP').slack.find((facts) => facts.title.startsWith('Daily digest'))!;
    expect(pp.lines.some((line) => line.startsWith('Overdue: ESC-000001 · P900100'))).toBe(true);
  }, 120_000);
});
