import { afterEach, describe, expect, it } from 'vitest';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { stateWords } from '../../src/words/catalogue.js';
import { type ChaseHarness, startChase } from '../chase/chase-support.js';

const MINUTE = 60_000;

type Block = { type: string; elements?: { type: string; action_id?: string }[] };
const blocksOf = (call: { args: Record<string, unknown> }) => (call.args.blocks ?? []) as Block[];
const buttonIds = (call: { args: Record<string, unknown> }) =>
  blocksOf(call)
    .flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []))
    .filter((element) => element.type === 'button')
    .map((element) => element.action_id);

// Outbox rows hold intents, rendered when sent: a message that waited shows the item as it stands at send time.
describe('an item message is rendered at send time', { timeout: 120_000 }, () => {
  let h: ChaseHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('a request queued before a decision reaches Slack showing the item after it, with exactly the buttons that still apply', async () => {
    h = await startChase();
    h.fake.failNext('chat.postMessage', { status: 500 }, 1, 'U0TOM');
    const id = await h.raise({ crn: 'X500009' }); // Tom's countersign request fails once and waits
    const [queued] = await h.t.app.store.repos.outbox.byDedupePrefix(`escalation:${id}:v1:escalation.countersign_requested`);
    expect(queued!.payload).toMatchObject({ kind: 'item', itemType: 'escalation', itemId: id, version: 1, messageKey: 'escalation.countersign_requested', personId: 'tom', withActions: true });
    expect(h.fake.messagesTo('U0TOM')).toHaveLength(0);

    await decideEscalation({ ctx: h.t.app.ctx, actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agreed.', platform: 'slack' });
    const now = await h.t.app.store.repos.items.escalation(id);
    expect(now).toMatchObject({ state: 'awaiting_acceptance', version: 2 });
    h.t.clock.advance(MINUTE);
    await h.dispatcher.drain();

    const [late] = h.fake.messagesTo('U0TOM');
    const text = JSON.stringify(blocksOf(late!));
    // The item as it stands when sent, not as it stood when queued.
    expect(text).toContain(stateWords('awaiting_acceptance', 'escalation'));
    expect(text).not.toContain(stateWords('awaiting_countersign', 'escalation'));
    expect(text).toContain('Moved on since this was sent: Countersigned by Tom Reyes');
    expect(buttonIds(late!)).toEqual([]);
    // Dev's acceptance request, queued by the decision and still current, keeps exactly its buttons.
    const [toDev] = h.fake.messagesTo('U0DEV');
    expect(buttonIds(toDev!)).toEqual(['escalation.accept', 'escalation.decline']);
  });
});
