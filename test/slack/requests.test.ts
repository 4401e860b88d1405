import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionPayload, postToSlack, slashCommandBody, stateValue, viewSubmissionPayload } from '../support/slack-requests.js';
import { SLACK } from '../support/test-org.js';
import { type Harness, SECRET, escalationValues, interact, openedView, raiseViaSlack, slash, startHarness, submit, until } from './slack-harness.js';

describe('Slack requests: signatures, input errors, commands, App Home', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });
  const stored = async () => (await h.t.app.store.repos.items.recentEscalations(100)).length;

  it('answers 401 to a forged signature and to a stale timestamp, and does nothing', async () => {
    const body = slashCommandBody({ command: '/escalate', text: 'X123456', userId: SLACK.amara });
    const forged = await postToSlack({ baseUrl: h.t.baseUrl, secret: 'not-the-secret', body });
    expect(forged.status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const stale = await postToSlack({ baseUrl: h.t.baseUrl, secret: SECRET, body, timestamp: sixMinutesAgo });
    expect(stale.status).toBe(401);
    const unsigned = await fetch(`${h.t.baseUrl}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(unsigned.status).toBe(401);

    // A correctly signed submission for a view the bot never opened (its private_metadata is not ours).
    const submission = viewSubmissionPayload({
      userId: SLACK.amara,
      callbackId: 'escalate',
      privateMetadata: JSON.stringify({ n: 'escalate', f: 'escalate', c: {}, u: SLACK.amara, s: 'forged' }),
      values: Object.fromEntries(Object.entries(escalationValues()).map(([k, v]) => [k, { value: typeof v === 'string' ? stateValue.text(v) : v }])),
    });
    const forgedView = await interact(h, submission);
    expect(forgedView.json).toMatchObject({ response_action: 'update', view: { title: { text: 'Not saved' } } });
    expect(h.fake.calls).toEqual([]);
    expect(await stored()).toBe(0);
  });

  it('refuses a form opened for someone else', async () => {
    await slash(h, { command: '/escalate', text: '', userId: SLACK.amara });
    const view = await openedView(h.fake, 1);
    const stolen = await submit(h, { userId: SLACK.ben, view, values: escalationValues() });
    expect(stolen.json).toMatchObject({ response_action: 'update', view: { title: { text: 'Not saved' } } });
    expect(await stored()).toBe(0);
  });

  it('returns field errors in the form for invalid input and stores nothing', async () => {
    const view = await openedView(h.fake, 1);
    const response = await submit(h, {
      userId: SLACK.amara,
      view,
      values: escalationValues({ crn: '12345', noms: 'nope', summary: 'short', oasysReviewed: stateValue.checkboxes([]) }),
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: {
        crn: 'A CRN is one letter and 6 digits, like X123456',
        noms: expect.any(String),
        summary: 'Write a short summary (at least 10 characters)',
        oasysReviewed: 'Tick this once the OASys review is done',
      },
    });
    expect(await stored()).toBe(0);
    expect(await h.t.app.store.repos.outbox.countsByStatus()).toEqual({});
  });

  it('answers an unknown command with help, and a person outside the directory with plain words', async () => {
    await slash(h, { command: '/dutydesk', text: '', userId: SLACK.amara, responseUrl: h.fake.responseUrl('help') });
    const help = await until(() => h.fake.responsesTo('help')[0], 'help');
    expect((help.body as { text: string }).text).toMatch(/^DutyDesk commands: \/escalate \[CRN\]/);
    await slash(h, { command: '/escalate', text: '', userId: 'U0NOBODY', responseUrl: h.fake.responseUrl('nobody') });
    const nobody = await until(() => h.fake.responsesTo('nobody')[0], 'refusal');
    expect(nobody.body).toMatchObject({ response_type: 'ephemeral' });
    expect((nobody.body as { text: string }).text).toMatch(/not in the DutyDesk directory/);
  });

  it('routes text commands (/cases, /duty) and answers privately', async () => {
    await raiseViaSlack(h, { userId: SLACK.amara, crn: 'X654321' });
    await slash(h, { command: '/cases', text: '', userId: SLACK.tom, responseUrl: h.fake.responseUrl('cases') });
    const cases = await until(() => h.fake.responsesTo('cases')[0], '/cases');
    expect(cases.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(cases.body)).toContain('X654321');
    await slash(h, { command: '/duty', text: '', userId: SLACK.dev, responseUrl: h.fake.responseUrl('duty') });
    const duty = await until(() => h.fake.responsesTo('duty')[0], '/duty');
    expect(JSON.stringify(duty.body)).toContain('Dev Patel');
    // The response_url may be gone: the answer then goes by chat.postEphemeral.
    await slash(h, { command: '/cases', text: '', userId: SLACK.tom, channelId: 'C0NORTH3' });
    const ephemeral = await h.fake.waitFor({ method: 'chat.postEphemeral' });
    expect(ephemeral[0]?.args).toMatchObject({ channel: 'C0NORTH3', user: SLACK.tom });
    expect(h.fake.violations).toEqual([]);
  });

  it('publishes the App Home queue on app_home_opened', async () => {
    const event = {
      token: 'verification-token',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: SLACK.tom, channel: 'DU0TOM', tab: 'home', event_ts: '1700000000.000100' },
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    };
    const response = await postToSlack({ baseUrl: h.t.baseUrl, secret: SECRET, body: JSON.stringify(event), contentType: 'application/json' });
    expect(response.status).toBe(200);
    const [published] = await h.fake.waitFor({ method: 'views.publish' });
    expect(published?.args.user_id).toBe(SLACK.tom);
    const view = published?.args.view as { type: string; blocks: { type: string; elements?: { action_id: string }[] }[] };
    expect(view.type).toBe('home');
    expect(JSON.stringify(view)).toContain('X654321');
    const countersign = view.blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'escalation.countersign') as { action_id: string; value: string };
    expect(countersign).toBeDefined();

    // A refused click in the Home tab (no channel, no response_url) is explained in a small modal.
    const opened = h.fake.callsTo('views.open').length;
    await interact(h, blockActionPayload({ userId: SLACK.amara, actionId: countersign.action_id, value: countersign.value, viewId: 'VHOME1' }));
    const notice = (await h.fake.waitFor({ method: 'views.open', count: opened + 1 }))[opened];
    expect(JSON.stringify(notice?.args.view)).toContain('You raised this escalation');
    // Tom's click in the Home tab opens the countersign form.
    await interact(h, blockActionPayload({ userId: SLACK.tom, actionId: countersign.action_id, value: countersign.value, viewId: 'VHOME2' }));
    const form = await openedView(h.fake, opened + 2);
    expect(form.callbackId).toBe('decision');
    expect(h.fake.violations).toEqual([]);
  });
});
