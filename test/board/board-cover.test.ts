/**
 * The board and absence cover: while a manager is away, their delegate sees the manager's unit on the board and
 * may take the manager's decisions there, recorded on the manager's behalf, exactly as the DM buttons passed to
 * them allow; when the absence ends, the board is the delegate's own again.
 */
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { away, withDeputy } from '../away/away-support.js';
import { type Harness, raiseViaSlack } from '../slack/slack-harness.js';
import { browserSkipReason, launchChromium } from '../support/browser.js';
import { SLACK } from '../support/test-org.js';
import { headings, mainText, signIn } from './board-browser-support.js';
import { type BoardHarness, startBoardHarness } from './board-harness.js';

const skipReason = browserSkipReason();

describe.skipIf(skipReason !== null)('the board for a delegate', () => {
  let h: BoardHarness;
  let browser: Browser;

  beforeAll(async () => {
    h = await startBoardHarness({ orgText: withDeputy });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it("shows an absent manager's unit to their deputy, who countersigns on the manager's behalf; the absence over, it is gone", async () => {
    const chat = h as unknown as Harness;
    expect((await away(chat, SLACK.tom, 'until 2026-11-27')).text).toContain('Ben Carter');
    const escalationId = await raiseViaSlack(chat, { userId: SLACK.amara, crn: 'X123456', summary: 'Breached licence conditions; the deputy decides.' });
    await h.t.app.dispatcher.drain();

    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    expect((await signIn(page, { baseUrl: h.boardUrl, provider: 'slack', login: SLACK.ben }))?.status()).toBe(200);
    expect(await headings(page, 'h2')).toEqual(['North Team 3']);
    const board = await mainText(page);
    expect(board).toContain('ESC-000001');
    expect(board).toContain('1 open item, 0 overdue.');

    await page.goto(`${h.boardUrl}/board/items/ESC-000001`);
    expect(await page.$$eval('main form legend', (list) => list.map((element) => element.textContent))).toEqual(['Countersign', 'Return for changes', 'Withdraw']);
    expect(await mainText(page)).toContain('Breached licence conditions; the deputy decides.');
    await page.type('form[aria-labelledby="action-escalation-countersign"] textarea', 'Agreed while Tom is away.');
    const decided = (await Promise.all([page.waitForNavigation(), page.click('form[aria-labelledby="action-escalation-countersign"] button[type=submit]')]))[0];
    expect(decided?.status()).toBe(200);
    expect((await h.t.app.store.repos.items.escalation(escalationId))?.state).toBe('awaiting_acceptance');
    const decisions = await h.t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: escalationId }]);
    expect(decisions.map(({ action, actorId, actorRole, onBehalfOf, onBehalfRole, platform }) => ({ action, actorId, actorRole, onBehalfOf, onBehalfRole, platform }))).toEqual([
      { action: 'raise', actorId: 'amara', actorRole: 'raiser', onBehalfOf: null, onBehalfRole: null, platform: 'slack' },
      { action: 'countersign', actorId: 'ben', actorRole: 'delegate', onBehalfOf: 'tom', onBehalfRole: 'countersigner+sender_manager', platform: 'board' },
    ]);

    expect((await away(chat, SLACK.tom, 'off')).text).toBe("Tom Reyes's absence ended now (it stays in the history).");
    await page.goto(`${h.boardUrl}/board`);
    expect(await headings(page, 'h2')).toEqual(['North Team 3']);
    const own = await mainText(page);
    expect(own).toContain('0 open items, 0 overdue. You see the items you have a role on.');
    expect(own).not.toContain('ESC-000001');
    expect((await page.goto(`${h.boardUrl}/board/items/ESC-000001`))?.status()).toBe(403);
    await context.close();
  });
});
