import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { myQueue } from '../../src/use-cases/cases.use-case.js';
import { raiseEscalation } from '../../src/use-cases/escalations.use-case.js';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { buttonsOf, cardsOf, inputsOf, personalOf, startTeamsUi, textOf } from './teams-ui-harness.js';

const GROUP = '19:3f1e9a52d0d0group@thread.v2';
const CHANNEL = '19:3f1e9a52d0d0channel@thread.tacv2';
const INPUT = {
  crn: 'P100200',
  roshCurrent: 'HIGH',
  roshNew: 'HIGH',
  reason: 'other',
  urgency: 'standard',
  receivingUnitId: 'north-pp',
  summary: 'Narrative that must stay in personal chats.',
  oasysReviewed: true,
} as const;

describe('Teams wherever the user is: mentions in group chats and channels, the welcome, the home card', () => {
  let h: Awaited<ReturnType<typeof startTeamsUi>>;
  beforeAll(async () => {
    h = await startTeamsUi();
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('welcomes a person once when the app lands in their personal scope (installationUpdate + conversationUpdate)', async () => {
    const { sent } = await h.install('tom');
    expect(sent).toHaveLength(1);
    const [welcome] = cardsOf(sent);
    expect(validateAdaptiveCard(welcome)).toEqual([]);
    expect(textOf(welcome!)).toMatch(/^Welcome to DutyDesk/);
    expect(textOf(welcome!)).toMatch(/@mention me in a group chat or channel and I answer you here/);
    expect(textOf(welcome!)).toMatch(/escalate \[CRN\]: Raise a risk escalation/);
    expect(textOf(welcome!)).toMatch(/Type home at any time/);
    expect(await h.p.t.app.store.repos.teams.reference(h.base('tom').userAadId)).toMatchObject({ conversation: { id: personalOf('tom') } });
  });

  it('answers `@dutydesk escalate X123456` in a group chat in the personal chat, with one line in the group', async () => {
    const personalBefore = h.p.teams.activitiesTo(personalOf('tom')).length;
    await h.mention('tom', 'escalate X123456', GROUP);
    const inGroup = h.p.teams.activitiesTo(GROUP);
    expect(inGroup.map((activity) => [activity.text, activity.attachments ?? []])).toEqual([['I have answered you in our personal chat.', []]]);
    const inPersonal = h.p.teams.activitiesTo(personalOf('tom')).slice(personalBefore);
    expect(inPersonal).toHaveLength(1);
    expect(inPersonal[0]!.text).toBe('You asked in another chat; here is my answer.');
    const [form] = cardsOf(inPersonal);
    expect(validateAdaptiveCard(form)).toEqual([]);
    expect(inputsOf(form!).find((input) => input.id === 'crn')).toMatchObject({ value: 'X123456' });
    expect(buttonsOf(form!).map((button) => button.title)).toEqual(['Send for countersign', 'Open in a dialog']);
  });

  it('never puts case details in a channel: a timeline asked there goes to the personal chat only', async () => {
    await raiseEscalation({ ctx: h.p.t.app.ctx, actorId: 'amara', input: INPUT, platform: 'slack' });
    const personalBefore = h.p.teams.activitiesTo(personalOf('tom')).length;
    await h.mention('tom', 'cases P100200', CHANNEL, true);
    const inChannel = h.p.teams.activitiesTo(CHANNEL);
    expect(inChannel.map((activity) => activity.text)).toEqual(['I have answered you in our personal chat.']);
    expect(JSON.stringify(inChannel)).not.toMatch(/P100200|ESC-|Narrative/);
    const inPersonal = h.p.teams.activitiesTo(personalOf('tom')).slice(personalBefore);
    expect(inPersonal).toHaveLength(1);
    expect(textOf(cardsOf(inPersonal)[0]!)).toMatch(/Timeline for P100200/);
  });

  it('tells someone with no personal chat yet, in one line, to open it, and sends nothing else anywhere', async () => {
    const before = h.p.teams.activities().length;
    await h.mention('priya', 'escalate X123456', GROUP);
    const sent = h.p.teams.activities().slice(before);
    expect(sent.map((activity) => [activity.conversation?.id, activity.text])).toEqual([
      [GROUP, 'Please open a personal chat with DutyDesk (Apps, then DutyDesk) and ask me there: case details stay in personal chats.'],
    ]);
  });

  it('answers `home` with the same queue as Slack’s App Home', async () => {
    const { sent } = await h.say('tom', 'home');
    expect(sent).toHaveLength(1);
    const [home] = cardsOf(sent);
    expect(validateAdaptiveCard(home)).toEqual([]);
    const queue = await myQueue({ ctx: h.p.t.app.ctx, personId: 'tom' });
    expect(queue.lines).toHaveLength(1);
    expect(queue.lines![0]).toMatch(/^ESC-000001 · P100200 · /);
    const text = textOf(home!);
    expect(text.split('\n')[0]).toBe('DutyDesk home');
    for (const line of queue.lines!) expect(text).toContain(line);
    expect(buttonsOf(home!).map((button) => button.title)).toEqual(queue.actions.map((action) => action.label));
  });
});
