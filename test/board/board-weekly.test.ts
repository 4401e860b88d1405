/**
 * The Monday picture: each unit manager gets last week's chart as a PNG in a DM, with the figures as lines
 * and a link to the board, through the outbox (so a rerun or a second replica sends nothing twice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardDecide } from '../../src/board/board-actions.js';
import { weeklyMessage } from '../../src/board/board-weekly.js';
import { buildUnitWeekReport } from '../../src/board/board-reports.js';
import { messageCard } from '../../src/teams/teams-cards.js';
import { type Harness, dmsTo, raiseViaSlack, textOf } from '../slack/slack-harness.js';
import { assertValidAdaptiveCard } from '../support/adaptive-card-schema.js';
import { postToSlack } from '../support/slack-requests.js';
import { SECRET } from '../slack/slack-harness.js';
import { SLACK } from '../support/test-org.js';
import { type BoardHarness, startBoardHarness } from './board-harness.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('the weekly picture, and the way to the board from Slack', () => {
  let h: BoardHarness;
  beforeAll(async () => {
    h = await startBoardHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("sends each manager their unit's week as a PNG chart with a link to the board, once", async () => {
    const id = await raiseViaSlack(h as unknown as Harness, { userId: SLACK.amara, crn: 'X123456' });
    h.t.clock.advance(2 * 3_600_000);
    const result = await boardDecide({ ctx: h.t.app.ctx, personId: 'tom', actionId: 'escalation.countersign', itemId: id, values: { rationale: 'Agreed.' } });
    expect(result.ok).toBe(true);
    await h.t.app.dispatcher.drain();
    // A report is kept until something new is recorded: a second countersign in the same minute shows at once.
    const countersigns = async () => (await h.t.app.board!.loadReport({ unitId: 'north-3', week: '2026-11-23' })).times[0]?.count;
    expect(await countersigns()).toBe(1);
    expect(await countersigns()).toBe(1);
    const second = await raiseViaSlack(h as unknown as Harness, { userId: SLACK.ben, crn: 'X234567' });
    expect((await boardDecide({ ctx: h.t.app.ctx, personId: 'tom', actionId: 'escalation.countersign', itemId: second, values: { rationale: 'Agreed.' } })).ok).toBe(true);
    expect(await countersigns()).toBe(2);
    await h.t.app.dispatcher.drain();
    const uploadsBefore = h.fake.uploads.length;

    h.t.clock.set('2026-11-30T08:00:00Z'); // Monday 08:00 in London
    const board = h.t.app.board;
    expect(board).not.toBeNull();
    expect(await board!.runWeekly()).toEqual({ written: 4 }); // four units, each manager on Slack
    await h.t.app.dispatcher.drain();

    const pictures = h.fake.uploads.slice(uploadsBefore);
    expect(pictures).toHaveLength(4);
    for (const upload of pictures) expect(upload.bytes.includes(PNG_SIGNATURE)).toBe(true);
    const toTom = dmsTo(h.fake, SLACK.tom)
      .map(textOf)
      .filter((text) => text.includes('week of 2026-11-23'));
    expect(toTom).toHaveLength(1);
    expect(toTom[0]).toContain('Time to countersign: median 1 working h, 90th percentile 2 working h (2 decided)');
    expect(toTom[0]).toContain(`${h.boardUrl}/board/reports?unit=north-3&amp;week=2026-11-23`);

    expect(await board!.runWeekly()).toEqual({ written: 0 });
  });

  it('the Slack App Home links to the board above the queue', async () => {
    const before = h.fake.callsTo('views.publish').length;
    const body = JSON.stringify({
      token: 'verification-token',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'EvBoardHome',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: SLACK.priya, channel: 'DU0PRIYA', tab: 'home', event_ts: '1700000000.000200' },
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    });
    expect((await postToSlack({ baseUrl: h.t.baseUrl, secret: SECRET, body, contentType: 'application/json' })).status).toBe(200);
    const [published] = (await h.fake.waitFor({ method: 'views.publish', count: before + 1 })).slice(before);
    const blocks = (published!.args.view as { blocks: { type: string; text?: { text: string } }[] }).blocks;
    expect(blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: `<${h.boardUrl}/board|Open the DutyDesk board> for your units, every item and the weekly reports.` },
    });
  });

  it('in Teams the picture is an inline image in a valid Adaptive Card', () => {
    const report = buildUnitWeekReport({
      calendar: h.t.app.ctx.directory.calendar,
      unitId: 'north-3',
      week: '2026-11-23',
      from: new Date('2026-11-23T00:00:00Z'),
      to: new Date('2026-11-30T00:00:00Z'),
      now: new Date('2026-11-30T08:00:00Z'),
      deadlines: [],
      reminders: [],
      referrals: [],
    });
    const message = weeklyMessage({ report, unitName: 'North Team 3', png: PNG_SIGNATURE, link: 'https://board.example.org/board' });
    const card = messageCard(message);
    assertValidAdaptiveCard(card);
    const images = (card.body as { type: string; url?: string }[]).filter((element) => element.type === 'Image');
    expect(images.map((image) => image.url)).toEqual([`data:image/png;base64,${PNG_SIGNATURE.toString('base64')}`]);
  });
});
