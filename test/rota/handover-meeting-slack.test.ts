import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { type Harness, buttonsOf, click, clickForForm, dmsTo, inputBlock, raiseViaSlack, startHarness, submit, textOf } from '../slack/slack-harness.js';
import { stateValue } from '../support/slack-requests.js';
import { SLACK } from '../support/test-org.js';
import { vi } from 'vitest';

describe('Slack: the handover meeting, over HTTP', () => {
  let h: Harness;
  let id = 0;
  beforeAll(async () => {
    h = await startHarness(); // Tue 24 Nov 2026, 10:00 London
  });
  afterAll(async () => {
    await h?.stop();
  });
  const drain = () => h.t.app.dispatcher.drain();
  const headed = (userId: string, headline: string) => dmsTo(h.fake, userId).filter((call) => textOf(call).includes(headline));
  const tick = async (at: string) => {
    h.t.clock.set(at);
    await h.t.app.scheduler.sweepOnce();
    await drain();
  };
  const meetingValues = (date: string, time: string, link: string | null) => ({ handoverDate: stateValue.date(date), handoverTime: time, handoverLink: stateValue.text(link) });

  it('the new case manager schedules it (validated), both are told, reminded an hour before, and chased when the time passes', async () => {
    const { t, fake } = h;
    id = await raiseViaSlack(h, { userId: SLACK.amara, crn: 'X123456' });
    await decideEscalation({ ctx: t.app.ctx, actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agreed.', platform: 'slack' });
    await decideEscalation({ ctx: t.app.ctx, actorId: 'dev', escalationId: id, action: 'accept', rationale: 'Accepted on duty.', caseManagerId: 'omar', platform: 'slack' });
    await drain();

    // Only the new case manager is offered Schedule handover; both can confirm it happened.
    const [toOmar] = headed(SLACK.omar, 'Handover needed');
    const [toAmara] = headed(SLACK.amara, 'Handover needed');
    expect(buttonsOf(toOmar!).map((button) => button.action_id)).toEqual(['escalation.confirm_handover', 'escalation.schedule_handover']);
    expect(buttonsOf(toAmara!).map((button) => button.action_id)).toEqual(['escalation.confirm_handover']);

    const form = await clickForForm(h, { userId: SLACK.omar, message: toOmar!, actionId: 'escalation.schedule_handover' });
    expect(form.callbackId).toBe('decision');
    expect(['handoverDate', 'handoverTime', 'handoverLink'].map((block) => Boolean(inputBlock(form.blocks, block)))).toEqual([true, true, true]);

    // Bad input: a time already past, a link that is not https, a malformed time. Each shown in the form; nothing stored.
    const refused = async (values: ReturnType<typeof meetingValues>) => {
      const res = await submit(h, { userId: SLACK.omar, view: form, values });
      return (res.json as { response_action: string; errors: Record<string, string> }).errors;
    };
    expect(await refused(meetingValues('2026-11-24', '09:30', null))).toEqual({ handoverTime: 'That time has already passed: choose a time from now on' });
    expect(await refused(meetingValues('2026-11-24', '14:00', 'http://meet.example.org/abc'))).toEqual({ handoverLink: 'Enter a full https:// link, or leave it empty' });
    expect(await refused(meetingValues('2026-11-24', '2pm', 'https://meet.example.org/abc'))).toEqual({ handoverTime: 'Enter a time as HH:MM, e.g. 14:30' });
    expect(await t.app.store.repos.items.escalation(id)).toMatchObject({ handoverAt: null, handoverLink: null, version: 3 });

    const scheduled = await submit(h, { userId: SLACK.omar, view: form, values: meetingValues('2026-11-24', '14:00', 'https://meet.example.org/abc') });
    expect((scheduled.json as { response_action: string }).response_action).toBe('update');
    expect(await t.app.store.repos.items.escalation(id)).toMatchObject({ state: 'awaiting_handover', handoverAt: new Date('2026-11-24T14:00:00Z'), handoverLink: 'https://meet.example.org/abc' });
    await drain();
    for (const userId of [SLACK.omar, SLACK.amara]) {
      expect(headed(userId, 'Handover meeting scheduled')).toHaveLength(1);
      const told = textOf(headed(userId, 'Handover meeting scheduled')[0]!);
      expect(told).toContain('Tue 24 Nov 2026, 14:00');
      expect(told).toContain('https://meet.example.org/abc');
      expect(buttonsOf(headed(userId, 'Handover meeting scheduled')[0]!).map((button) => button.action_id)).toContain('escalation.confirm_handover');
    }

    // An hour before: both reminded, once, however often the scheduler ticks.
    await tick('2026-11-24T12:59:00Z');
    expect([...headed(SLACK.omar, 'Handover meeting in an hour'), ...headed(SLACK.amara, 'Handover meeting in an hour')]).toHaveLength(0);
    await tick('2026-11-24T13:00:30Z');
    await tick('2026-11-24T13:20:00Z');
    expect(headed(SLACK.omar, 'Handover meeting in an hour')).toHaveLength(1);
    expect(headed(SLACK.amara, 'Handover meeting in an hour')).toHaveLength(1);

    // The agreed time passes without both confirmations: each owner is chased, with the Handover done button.
    const chased = (userId: string) => dmsTo(fake, userId).filter((call) => /Handover meeting/.test(textOf(call)) && /late|due now/.test(textOf(call)));
    await tick('2026-11-24T14:00:30Z');
    expect(chased(SLACK.omar)).toHaveLength(1);
    expect(chased(SLACK.amara)).toHaveLength(1);
    expect(buttonsOf(chased(SLACK.amara)[0]!).map((button) => button.action_id)).toEqual(['escalation.confirm_handover']);

    // Omar confirms; the next repeat goes to Amara only.
    await click(h, { userId: SLACK.omar, message: chased(SLACK.omar)[0]!, actionId: 'escalation.confirm_handover' });
    await vi.waitFor(async () => expect((await t.app.store.repos.items.escalation(id))?.handoverNewConfirmedAt).not.toBeNull());
    await tick('2026-11-24T16:01:00Z');
    expect(chased(SLACK.omar)).toHaveLength(1);
    expect(chased(SLACK.amara)).toHaveLength(2);
    expect(fake.violations).toEqual([]);
  });
});
