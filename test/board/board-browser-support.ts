/** What the board's browser tests share: a real sign-in through the loopback OpenID provider, and reading pages. */
import type { HTTPResponse, Page } from 'puppeteer-core';

export const mainText = (page: Page) => page.$eval('main', (element) => (element as HTMLElement).innerText);
export const headings = (page: Page, level: 'h1' | 'h2') => page.$$eval(`main ${level}`, (list) => list.map((element) => element.textContent?.trim() ?? ''));

/** A real authorization-code flow: the board's button, the provider's login and consent pages, the callback. */
export const signIn = async (page: Page, args: { baseUrl: string; provider: 'slack' | 'entra'; login: string }): Promise<HTTPResponse | null> => {
  await page.goto(`${args.baseUrl}/board`);
  await Promise.all([page.waitForNavigation(), page.click(`a[href="/board/sign-in/${args.provider}"]`)]);
  await page.type('input[name=login]', args.login);
  await page.type('input[name=password]', 'any password');
  let response = (await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]))[0];
  if (await page.$('input[name=prompt][value=consent]')) {
    response = (await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]))[0];
  }
  return response;
};
