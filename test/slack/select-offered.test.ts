/** Slack view state is client data: a select value the modal never offered is a field error, and nothing is stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateValue } from '../support/slack-requests.js';
import { SLACK } from '../support/test-org.js';
import { tableCounts } from '../chaos/chaos-support.js';
import { type Harness, escalationValues, openedView, slash, startHarness, submit } from './slack-harness.js';

describe('Slack: select values checked against the options offered', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("refuses the raiser's own unit as receiving unit (not offered) with a field error and stores nothing", async () => {
    expect((await slash(h, { command: '/escalate', text: 'X123456', userId: SLACK.amara })).status).toBe(200);
    const view = await openedView(h.fake, 1);
    const before = await tableCounts(h.t.app);
    const calls = h.fake.calls.length;
    const answer = await submit(h, { userId: SLACK.amara, view, values: escalationValues({ receivingUnitId: stateValue.select('north-3') }) });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ response_action: 'errors', errors: { receivingUnitId: 'Choose from the list.' } });
    await h.t.app.dispatcher.drain();
    expect(await tableCounts(h.t.app)).toEqual(before);
    expect(h.fake.calls.length).toBe(calls);
    // The same form with an offered unit goes through.
    const ok = await submit(h, { userId: SLACK.amara, view, values: escalationValues() });
    expect(ok.json).toMatchObject({ response_action: 'update', view: { title: { text: 'Done' } } });
  });
});
