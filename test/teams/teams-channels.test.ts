import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideEscalation, raiseEscalation } from '../../src/use-cases/escalations.use-case.js';
import { channelEventActivity, postActivity, teamUninstallActivity } from '../support/bot-activities.js';
import { CHANNEL, type Region, TEAM_ID, cardsOfActivity, startRegion } from './teams-region-support.js';
import { cardText } from './teams-harness.js';

const ESCALATION = {
  crn: 'X700100',
  roshCurrent: 'MEDIUM',
  roshNew: 'HIGH',
  reason: 'rosh_increase',
  urgency: 'standard',
  receivingUnitId: 'north-pp',
  summary: 'Contact with a known victim, reported by police today.',
  oasysReviewed: true,
} as const;

describe('Teams unit channels: named while the app is not installed in their team, posted to once it is', () => {
  let r: Region;
  const lines: string[] = [];
  beforeAll(async () => {
    r = await startRegion({ env: { LOG_LEVEL: 'info' }, logDestination: { write: (chunk) => void lines.push(...chunk.split('\n').filter(Boolean)) } });
    for (const who of ['amara', 'tom', 'dev', 'kate'] as const) await r.installFor(who);
  });
  afterAll(async () => {
    await r?.stop();
  });

  const gauge = async () =>
    (await (await fetch(`${r.t.baseUrl}/metrics`)).text())
      .split('\n')
      .filter((line) => line.startsWith('dutydesk_unit_channel_unreachable{'))
      .sort();

  it('names every configured channel at start-up and in /metrics, and keeps its posts waiting (not dead)', async () => {
    const startup = lines.map((line) => JSON.parse(line) as { msg: string; level: number }).filter((line) => / the app is not installed in its team/.test(line.msg));
    expect(startup.map((line) => line.msg)).toEqual([
      `unit north-3: Teams channel ${CHANNEL['north-3']} (North Team 3): the app is not installed in its team; its posts wait until it is`,
      `unit north-5: Teams channel ${CHANNEL['north-5']} (North Team 5): the app is not installed in its team; its posts wait until it is`,
      `unit north-pp: Teams channel ${CHANNEL['north-pp']} (North Public Protection Unit): the app is not installed in its team; its posts wait until it is`,
      `unit gateway-resettle: Teams channel ${CHANNEL['gateway-resettle']} (Gateway Resettlement Services): the app is not installed in its team; its posts wait until it is`,
    ]);
    expect(startup.every((line) => line.level === 40)).toBe(true);
    expect(await gauge()).toEqual([
      `dutydesk_unit_channel_unreachable{unit="gateway-resettle",platform="teams",channel="${CHANNEL['gateway-resettle']}"} 1`,
      `dutydesk_unit_channel_unreachable{unit="north-3",platform="teams",channel="${CHANNEL['north-3']}"} 1`,
      `dutydesk_unit_channel_unreachable{unit="north-5",platform="teams",channel="${CHANNEL['north-5']}"} 1`,
      `dutydesk_unit_channel_unreachable{unit="north-pp",platform="teams",channel="${CHANNEL['north-pp']}"} 1`,
    ]);

    const ctx = r.t.app.ctx;
    const { row } = await raiseEscalation({ ctx, actorId: 'amara', input: ESCALATION, platform: 'teams' });
    await decideEscalation({ ctx, actorId: 'tom', escalationId: row.id, action: 'countersign', rationale: 'Agreed.', platform: 'teams' });
    await r.t.app.dispatcher.drain();
    const channelRows = (await r.t.app.store.repos.outbox.byDedupePrefix(`escalation:${row.id}:`)).filter((entry) => entry.target.kind === 'channel');
    // Waiting for an install is not a failed attempt: the row never goes dead for it.
    expect(channelRows.map((entry) => ({ target: entry.target, status: entry.status, lastError: entry.lastError, attempts: entry.attempts }))).toEqual([
      { target: { platform: 'teams', kind: 'channel', id: CHANNEL['north-pp'] }, status: 'pending', lastError: 'teams.channel_not_installed', attempts: 0 },
    ]);
    expect(r.fake.channelPosts()).toEqual([]);
  });

  it('says so in the digest: the unit channel and the manager both get the line', async () => {
    await r.t.app.scheduler.digestOnce({ force: true });
    await r.t.app.dispatcher.drain();
    const kateDigest = r
      .cardsTo('kate')
      .map(cardText)
      .find((text) => /Overdue in North Public Protection Unit/.test(text));
    expect(kateDigest).toContain(`Channel not reached: Teams channel ${CHANNEL['north-pp']} (North Public Protection Unit): the app is not installed in its team; its posts wait until it is.`);
    const tomDigest = r
      .cardsTo('tom')
      .map(cardText)
      .find((text) => /Overdue in North Team 3/.test(text));
    expect(tomDigest).toContain(`Channel not reached: Teams channel ${CHANNEL['north-3']} (North Team 3)`);
    expect(tomDigest).not.toContain(CHANNEL['north-pp']);
  });

  it('heals on the install event: channels stored, the waiting post and digest go at once, the gauge and the note clear', async () => {
    await r.installInTeam();
    const place = await r.t.app.store.repos.teamsChannels.place(CHANNEL['north-pp']);
    expect(place).toEqual({ channelId: CHANNEL['north-pp'], teamId: TEAM_ID, serviceUrl: r.fake.url, tenantId: expect.any(String) });
    expect(r.fake.requests.filter((request) => request.method === 'GET').map((request) => request.path)).toEqual([`/v3/teams/${encodeURIComponent(TEAM_ID)}/conversations`]);
    expect(await gauge()).toEqual([
      `dutydesk_unit_channel_unreachable{unit="gateway-resettle",platform="teams",channel="${CHANNEL['gateway-resettle']}"} 0`,
      `dutydesk_unit_channel_unreachable{unit="north-3",platform="teams",channel="${CHANNEL['north-3']}"} 0`,
      `dutydesk_unit_channel_unreachable{unit="north-5",platform="teams",channel="${CHANNEL['north-5']}"} 0`,
      `dutydesk_unit_channel_unreachable{unit="north-pp",platform="teams",channel="${CHANNEL['north-pp']}"} 0`,
    ]);
    expect(lines.some((line) => line.includes(`unit north-pp: Teams channel ${CHANNEL['north-pp']} is reachable now`))).toBe(true);

    await r.t.app.dispatcher.drain();
    const posts = r.fake.channelPosts(CHANNEL['north-pp']);
    // The escalation's channel notice and the morning digest that waited with it.
    expect(posts).toHaveLength(2);
    const notice = cardText(cardsOfActivity(posts[0]!.activity)[0]!);
    // CRN, risk level, state and deadline: nothing of the summary or the rationale.
    expect(notice).toBe('Incoming escalation: ESC-000001\nCRN: X700100\nRisk (RoSH): Medium → High\nUrgency: Standard\nState: Awaiting duty acceptance\nDue: Wed 25 Nov 2026, 17:00');
    expect(cardText(cardsOfActivity(posts[1]!.activity)[0]!)).toMatch(/Daily digest: North Public Protection Unit/);
    expect(posts[0]!.conversationId).toBe(`${CHANNEL['north-pp']};messageid=${posts[0]!.activityId}`);
    r.expectAllCardsValid();
  });

  it('names a channel again when the app leaves its team, and learns channels created later', async () => {
    await postActivity({ baseUrl: r.t.baseUrl, activity: channelEventActivity({ serviceUrl: r.fake.url, teamId: TEAM_ID, eventType: 'channelDeleted', channel: { id: CHANNEL['north-5'] } }) });
    expect(await r.t.app.store.repos.teamsChannels.place(CHANNEL['north-5'])).toBeUndefined();
    await postActivity({
      baseUrl: r.t.baseUrl,
      activity: channelEventActivity({ serviceUrl: r.fake.url, teamId: TEAM_ID, eventType: 'channelRestored', channel: { id: CHANNEL['north-5'], name: 'north-5' } }),
    });
    expect((await r.t.app.store.repos.teamsChannels.place(CHANNEL['north-5']))?.teamId).toBe(TEAM_ID);

    await postActivity({ baseUrl: r.t.baseUrl, activity: teamUninstallActivity({ serviceUrl: r.fake.url, teamId: TEAM_ID }) });
    expect(await r.t.app.store.repos.teamsChannels.installed(Object.values(CHANNEL))).toEqual(new Set());
    expect((await gauge()).filter((line) => line.endsWith(' 1'))).toHaveLength(4);
  });
});
