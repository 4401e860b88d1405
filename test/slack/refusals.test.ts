import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateValue } from '../support/slack-requests.js';
import { SLACK } from '../support/test-org.js';
import { type Harness, buttonsOf, click, clickForForm, dmsTo, raiseViaSlack, startHarness, storeSnapshot, submit, until } from './slack-harness.js';

const replyText = (h: Harness, id: string) =>
  until(() => h.fake.responsesTo(id)[0], `a reply on ${id}`).then((reply) => {
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    return (reply.body as { text: string }).text;
  });

describe('Slack refusals: private words, nothing changes', () => {
  let h: Harness;
  let id: number;
  beforeAll(async () => {
    h = await startHarness();
    id = await raiseViaSlack(h, { userId: SLACK.amara, crn: 'X111111' });
    await h.t.app.dispatcher.drain();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const tomsMessage = () => dmsTo(h.fake, SLACK.tom)[0]!;
  const viewsOpened = () => h.fake.callsTo('views.open').length;

  it('refuses the raiser countersigning her own escalation, a stranger, and someone not in the directory', async () => {
    const before = await storeSnapshot(h, id);
    const opened = viewsOpened();
    await click(h, { userId: SLACK.amara, message: tomsMessage(), actionId: 'escalation.countersign', responseId: 'own' });
    expect(await replyText(h, 'own')).toMatch(/^You raised this escalation, so you cannot countersign or return it yourself/);
    await click(h, { userId: SLACK.priya, message: tomsMessage(), actionId: 'escalation.return', responseId: 'stranger' });
    expect(await replyText(h, 'stranger')).toMatch(/^Only the countersigning manager for this escalation can do that\. Nothing was changed\./);
    await click(h, { userId: 'U0NOBODY', message: tomsMessage(), actionId: 'escalation.countersign', responseId: 'nobody' });
    expect(await replyText(h, 'nobody')).toMatch(/not in the DutyDesk directory/);
    expect(viewsOpened()).toBe(opened); // no form opened for a refused click
    expect(await storeSnapshot(h, id)).toEqual(before);
  });

  it('refuses Omar accepting while not on duty, and a click after the item moved on', async () => {
    const form = await clickForForm(h, { userId: SLACK.tom, message: tomsMessage(), actionId: 'escalation.countersign' });
    await submit(h, { userId: SLACK.tom, view: form, values: { rationale: 'Agreed.' } });
    await h.t.app.dispatcher.drain();
    const devsMessage = dmsTo(h.fake, SLACK.dev)[0]!;

    const before = await storeSnapshot(h, id);
    const opened = viewsOpened();
    await click(h, { userId: SLACK.omar, message: devsMessage, actionId: 'escalation.accept', responseId: 'omar-accept' });
    expect(await replyText(h, 'omar-accept')).toBe("Only today's duty officer or the manager of the receiving unit can do that. Nothing was changed.");
    await click(h, { userId: SLACK.tom, message: tomsMessage(), actionId: 'escalation.countersign', responseId: 'late' });
    expect(await replyText(h, 'late')).toBe('Already done: countersigned by Tom Reyes at 10:00.');
    expect(viewsOpened()).toBe(opened);
    expect(await storeSnapshot(h, id)).toEqual(before);
  });

  it('makes one transition and one set of messages from two concurrent submissions of the same decision', async () => {
    const devsMessage = dmsTo(h.fake, SLACK.dev)[0]!;
    const form = await clickForForm(h, { userId: SLACK.dev, message: devsMessage, actionId: 'escalation.accept' });
    const values = { personId: stateValue.select('omar'), rationale: 'Accepted.' };
    const responses = await Promise.all([submit(h, { userId: SLACK.dev, view: form, values }), submit(h, { userId: SLACK.dev, view: form, values })]);
    const texts = responses.map((response) => (response.json as { view: { blocks: { text: { text: string } }[] } }).view.blocks[0]!.text.text).sort();
    expect(texts[0]).toMatch(/^Accept: done for ESC-\d{6}/);
    expect(texts[1]).toBe('Already done: accepted by Dev Patel at 10:00.');
    const decisions = await h.t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }]);
    expect(decisions.filter((d) => d.action === 'accept')).toHaveLength(1);
    const keys = (await storeSnapshot(h, id)).outbox.filter((key) => key.includes('handover_requested'));
    expect(keys).toHaveLength(2); // Amara and Omar, once each
  });

  it('makes one transition from a double click on Handover done', async () => {
    await h.t.app.dispatcher.drain();
    const toOmar = dmsTo(h.fake, SLACK.omar).find((call) => buttonsOf(call).some((b) => b.action_id === 'escalation.confirm_handover'))!;
    const outboxBefore = (await storeSnapshot(h, id)).outbox;
    await Promise.all([
      click(h, { userId: SLACK.omar, message: toOmar, actionId: 'escalation.confirm_handover', responseId: 'double-1' }),
      click(h, { userId: SLACK.omar, message: toOmar, actionId: 'escalation.confirm_handover', responseId: 'double-2' }),
    ]);
    // Which words the losing click gets depends on where it lost: at the authority check ("You have already…")
    // or at the version check against the concurrent winner ("Already done: …"). Either way, one is a success.
    const replies = await Promise.all([replyText(h, 'double-1'), replyText(h, 'double-2')]);
    const successes = replies.filter((reply) => /^Handover done: done for ESC-\d{6}/.test(reply));
    const refusals = replies.filter((reply) => /^(You have already confirmed the handover|Already done: handover confirmed by Omar Haddad at 10:00\.)/.test(reply));
    expect([successes.length, refusals.length]).toEqual([1, 1]);
    const after = await storeSnapshot(h, id);
    expect(after.decisions.filter((d) => d.action === 'confirm_handover')).toHaveLength(1);
    expect(after.row?.state).toBe('awaiting_handover');
    const newKeys = after.outbox.filter((key) => !outboxBefore.includes(key));
    expect(new Set(newKeys.map((key) => key.split(':')[2])).size).toBe(1); // one version's worth of messages
  });

  it('shows a refusal inside the modal when the decision moved on while the form was open', async () => {
    // Tom opens Return, but the item is already past countersign: the submission is refused in the modal.
    const raised = await raiseViaSlack(h, { userId: SLACK.ben, crn: 'X222222' });
    await h.t.app.dispatcher.drain();
    const message = dmsTo(h.fake, SLACK.tom).find((call) => buttonsOf(call).some((b) => b.value?.startsWith(`escalation:${raised}:`)))!;
    const returnForm = await clickForForm(h, { userId: SLACK.tom, message, actionId: 'escalation.return' });
    const countersignForm = await clickForForm(h, { userId: SLACK.tom, message, actionId: 'escalation.countersign' });
    await submit(h, { userId: SLACK.tom, view: countersignForm, values: { rationale: 'Yes.' } });
    const before = await storeSnapshot(h, raised);
    const late = await submit(h, { userId: SLACK.tom, view: returnForm, values: { rationale: 'Please add the OASys date.' } });
    expect(late.json).toMatchObject({ response_action: 'update', view: { title: { text: 'Not done' } } });
    expect(JSON.stringify(late.json)).toContain('Already done: countersigned by Tom Reyes at 10:00.');
    expect(await storeSnapshot(h, raised)).toEqual(before);
    expect(h.fake.violations).toEqual([]);
  });
});
