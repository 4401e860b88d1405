/**
 * The managers' board in a real browser (Debian's chromium through puppeteer-core), against the running bot,
 * signing in through real OpenID Connect flows served on loopback. Every page is checked with axe-core
 * (WCAG 2.2 A/AA rules) and photographed under test/artifacts/.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AxePuppeteer } from '@axe-core/puppeteer';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, dmsTo, raiseViaSlack, textOf } from '../slack/slack-harness.js';
import { ARTIFACTS, browserSkipReason, launchChromium } from '../support/browser.js';
import { SLACK } from '../support/test-org.js';
import { headings, mainText, signIn } from './board-browser-support.js';
import { type BoardHarness, ENTRA, startBoardHarness } from './board-harness.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Zero axe violations, and a full-page screenshot for people to look at. */
const checkPage = async (page: Page, name: string) => {
  await page.screenshot({ path: path.join(ARTIFACTS, `board-${name}.png`), fullPage: true });
  const results = await new AxePuppeteer(page).withTags(AXE_TAGS).analyze();
  expect(results.violations.map((v) => `${name}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
};

describe.skipIf(skipReason !== null)("the managers' board in a real browser", () => {
  let h: BoardHarness;
  let browser: Browser;

  beforeAll(async () => {
    h = await startBoardHarness();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('a manager signs in with Slack, sees only their units, countersigns from the board, and downloads a report', async () => {
    const chat = h as unknown as Harness;
    const escalationId = await raiseViaSlack(chat, { userId: SLACK.amara, crn: 'X123456', summary: 'Breached licence conditions; seen on the board.' });
    await raiseViaSlack(chat, { userId: SLACK.lena, crn: 'X654321' }); // North Team 5: not Tom's
    await raiseViaSlack(chat, { userId: SLACK.ben, crn: 'X234567' });
    await h.t.app.dispatcher.drain();
    h.t.clock.advance(3 * 3_600_000); // the countersign comes three working hours later

    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.goto(`${h.boardUrl}/board`);
    expect(await headings(page, 'h1')).toEqual(['Sign in to the DutyDesk board']);
    await checkPage(page, 'sign-in');

    const landed = await signIn(page, { baseUrl: h.boardUrl, provider: 'slack', login: SLACK.tom });
    expect(landed?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/board');
    expect(await headings(page, 'h2')).toEqual(['North Team 3']);
    const board = await mainText(page);
    expect(board).toContain('ESC-000001');
    expect(board).toContain('ESC-000003');
    expect(board).toContain('2 open items, 0 overdue.');
    expect(board).not.toContain('ESC-000002');
    expect(board).not.toContain('X654321');
    await checkPage(page, 'my-units');
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-readme.png'), clip: { x: 0, y: 0, width: 800, height: 560 } });

    await Promise.all([page.waitForNavigation(), page.click('a[href="/board/items/ESC-000001"]')]);
    expect(await page.$$eval('main form legend', (list) => list.map((element) => element.textContent))).toEqual(['Countersign', 'Return for changes', 'Withdraw']);
    expect(await mainText(page)).toContain('Breached licence conditions; seen on the board.');
    await checkPage(page, 'item');

    // A forged CSRF token: refused, and nothing stored.
    const decisionsBefore = await h.t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: escalationId }]);
    await page.$$eval('input[name=csrf]', (inputs) => inputs.forEach((input) => ((input as HTMLInputElement).value = 'forged-token')));
    await page.type('form[aria-labelledby="action-escalation-countersign"] textarea', 'Forged approval');
    const forged = (await Promise.all([page.waitForNavigation(), page.click('form[aria-labelledby="action-escalation-countersign"] button[type=submit]')]))[0];
    expect(forged?.status()).toBe(403);
    expect(await mainText(page)).toContain('nothing was changed');
    expect((await h.t.app.store.repos.items.escalation(escalationId))?.state).toBe('awaiting_countersign');
    expect(await h.t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: escalationId }])).toEqual(decisionsBefore);

    // The real decision, through the same use case as the DM button.
    await page.goto(`${h.boardUrl}/board/items/ESC-000001`);
    await page.type('form[aria-labelledby="action-escalation-countersign"] textarea', 'Agreed from the board: risk has risen.');
    const decided = (await Promise.all([page.waitForNavigation(), page.click('form[aria-labelledby="action-escalation-countersign"] button[type=submit]')]))[0];
    expect(decided?.status()).toBe(200);
    expect(await page.$eval('main .notice', (element) => element.textContent?.trim())).toBe('Countersign: done for ESC-000001 (X123456). Recorded with your name and the time.');
    expect((await h.t.app.store.repos.items.escalation(escalationId))?.state).toBe('awaiting_acceptance');
    const decisions = await h.t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: escalationId }]);
    expect(decisions.map((d) => [d.action, d.actorId, d.platform, d.rationale])).toEqual([
      ['raise', 'amara', 'slack', null],
      ['countersign', 'tom', 'board', 'Agreed from the board: risk has risen.'],
    ]);
    // The same decision again from a stale tab: refused in the words a late button click gets, nothing stored.
    // (The page's CSP allows no script requests, so the stale form is a real form, as an old tab would hold.)
    const staleResponse = (
      await Promise.all([
        page.waitForNavigation(),
        page.evaluate(() => {
          const csrf = (document.querySelector('header input[name=csrf]') as HTMLInputElement).value;
          const form = document.createElement('form');
          form.method = 'post';
          form.action = '/board/items/ESC-000001/decisions';
          for (const [name, value] of Object.entries({ csrf, action: 'escalation.countersign', rationale: 'Second time' })) {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = name;
            input.value = value;
            form.append(input);
          }
          document.body.append(form);
          form.submit();
        }),
      ])
    )[0];
    expect(staleResponse?.status()).toBe(409);
    expect(await page.$eval('main [role=alert]', (element) => element.textContent?.trim())).toMatch(/^Already done: countersigned by Tom Reyes/);
    expect(await h.t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: escalationId }])).toHaveLength(2);
    await h.t.app.dispatcher.drain();
    const toAmara = dmsTo(h.fake, SLACK.amara)
      .map(textOf)
      .filter((text) => text.includes('Countersigned: ESC-000001'));
    expect(toAmara).toHaveLength(1);
    expect(toAmara[0]).toContain('Agreed from the board: risk has risen.');
    const toDev = dmsTo(h.fake, SLACK.dev)
      .map(textOf)
      .filter((text) => text.includes('Escalation to accept: ESC-000001'));
    expect(toDev).toHaveLength(1);

    // The week's report: two charts, each with its table, and a CSV download of a table.
    await page.goto(`${h.boardUrl}/board/reports?unit=north-3`);
    expect(await headings(page, 'h1')).toEqual(['North Team 3: week of 2026-11-23']);
    expect(await page.$$eval('main figure svg[role=img]', (list) => list.length)).toBe(2);
    const timesRow = await page.$$eval('main table:first-of-type tbody tr', (rows) => rows.map((row) => (row as HTMLElement).innerText.split('\t').map((cell) => cell.trim())));
    expect(timesRow[0]).toEqual(['Time to countersign', '1', '3', '3']);
    await checkPage(page, 'reports');
    const downloads = path.join(ARTIFACTS, 'downloads');
    rmSync(downloads, { recursive: true, force: true });
    mkdirSync(downloads, { recursive: true });
    const cdp = await browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, browserContextId: context.id, eventsEnabled: true });
    await page.click('a[href="/board/reports/north-3/2026-11-23/times.csv"]');
    const file = path.join(downloads, 'dutydesk-north-3-2026-11-23-times.csv');
    await vi.waitFor(() => expect(existsSync(file)).toBe(true), { timeout: 10_000 });
    expect(readFileSync(file, 'utf8')).toBe(
      'Measure,Decisions,Median (working h),90th percentile (working h)\r\nTime to countersign,1,3,3\r\nTime to accept (duty decision),0,—,—\r\nTime to handover,0,—,—\r\n',
    );

    // Sign out: the session is gone, and the item page sends the browser back to the sign-in page.
    await page.goto(`${h.boardUrl}/board`);
    await Promise.all([page.waitForNavigation(), page.click('header form button[type=submit]')]);
    expect(await headings(page, 'h1')).toEqual(['Sign in to the DutyDesk board']);
    await page.goto(`${h.boardUrl}/board/items/ESC-000001`);
    expect(await headings(page, 'h1')).toEqual(['Sign in to the DutyDesk board']);
    await context.close();
  });

  it('an officer of another unit (signed in with Entra) gets 403 and nothing of the case; a stranger is refused', async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await signIn(page, { baseUrl: h.boardUrl, provider: 'entra', login: ENTRA.joe });
    expect(await headings(page, 'h2')).toEqual(['North Team 5']);
    // Joe is an officer, not a manager: Lena's escalation from his own unit is not his to see.
    const own = await mainText(page);
    expect(own).toContain('0 open items, 0 overdue. You see the items you have a role on.');
    expect(own).not.toContain('ESC-000002');
    const response = await page.goto(`${h.boardUrl}/board/items/ESC-000001`);
    expect(response?.status()).toBe(403);
    const html = await page.content();
    for (const secret of ['X123456', 'Breached licence', 'Amara', 'Agreed from the board']) expect(html).not.toContain(secret);
    expect(await mainText(page)).toContain('You have no role on ESC-000001');
    await checkPage(page, 'refused');
    const report = await page.goto(`${h.boardUrl}/board/reports/north-3/2026-11-23/times.csv`);
    expect(report?.status()).toBe(403);
    await context.close();

    const strangerContext = await browser.createBrowserContext();
    const stranger = await strangerContext.newPage();
    const refused = await signIn(stranger, { baseUrl: h.boardUrl, provider: 'slack', login: 'U0NOBODY' });
    expect(refused?.status()).toBe(403);
    expect(await headings(stranger, 'h1')).toEqual(['Not in the directory']);
    const again = await stranger.goto(`${h.boardUrl}/board`);
    expect(again?.status()).toBe(200);
    expect(await headings(stranger, 'h1')).toEqual(['Sign in to the DutyDesk board']);
    await strangerContext.close();
  });
});
