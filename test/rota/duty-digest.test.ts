// A duty desk the rota leaves empty today: duty messages go to the unit manager, and the unit's digest says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, dmsTo, raiseViaSlack, textOf } from '../slack/slack-harness.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { SLACK } from '../support/test-org.js';
import { countersign, rotaOrg } from './rota-support.js';

describe('an uncovered duty desk from the rota', () => {
  let t: TestApp;
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
    const org = rotaOrg((text) => text.replace('rota: { wed: [dev], sun: [] }', 'rota: { tue: [], wed: [dev] }'));
    t = await startTestApp({ org, env: { SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.url } }); // Tue 24 Nov 2026, 10:00
  });
  afterAll(async () => {
    await t?.stop();
    await fake?.close();
  });

  it('sends the acceptance to the unit manager and says so in the digest', async () => {
    const id = await raiseViaSlack({ t, fake, stop: async () => {} }, { userId: SLACK.amara, crn: 'X123456' });
    await countersign(t, id);
    await t.app.dispatcher.drain();
    expect(dmsTo(fake, SLACK.dev)).toHaveLength(0);
    const toKate = dmsTo(fake, SLACK.kate).filter((call) => textOf(call).includes('Escalation to accept'));
    expect(toKate).toHaveLength(1);
    expect(buttonsOf(toKate[0]!).map((button) => button.action_id)).toEqual(['escalation.accept', 'escalation.decline']);

    await t.app.scheduler.digestOnce();
    await t.app.dispatcher.drain();
    const digests = fake.messagesTo('C0NORTHPP').filter((call) => textOf(call).includes('Daily digest'));
    expect(digests).toHaveLength(1);
    expect(textOf(digests[0]!)).toContain('Duty desk uncovered today: nobody is on duty, duty messages go to Kate Morgan.');
    const otherDigests = fake.messagesTo('C0NORTH3').filter((call) => textOf(call).includes('Daily digest'));
    expect(otherDigests.map((call) => textOf(call).includes('Duty desk uncovered'))).toEqual([false]);
  });
});
