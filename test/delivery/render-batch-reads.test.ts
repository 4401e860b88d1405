import { afterEach, describe, expect, it } from 'vitest';
import { batchReads, renderIntent } from '../../src/delivery/render-intent.js';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { type ChaseHarness, startChase } from '../chase/chase-support.js';

// The dispatcher reads an item, its units' duty and who is away once per claimed batch (render-intent.ts
// batchReads): every message must come out exactly as rendered on its own, current or moved on.
describe('messages rendered with one batch of reads', { timeout: 120_000 }, () => {
  let h: ChaseHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('are the same messages, byte for byte, as each rendered alone, for current and moved-on items alike', async () => {
    h = await startChase();
    const first = await h.raise({ crn: 'X500101' });
    const second = await h.raise({ crn: 'X500102' });
    // The first moves on: its countersign request is now stale, the decision queues new requests.
    await decideEscalation({ ctx: h.t.app.ctx, actorId: 'tom', escalationId: first, action: 'countersign', rationale: 'Agreed.', platform: 'slack' });
    const rows = [...(await h.t.app.store.repos.outbox.byDedupePrefix(`escalation:${first}:`)), ...(await h.t.app.store.repos.outbox.byDedupePrefix(`escalation:${second}:`))].filter(
      (row) => 'kind' in row.payload && row.payload.kind === 'item',
    );
    // Two DMs per raise; the countersign queues the acceptance request, the raiser's note and the unit channel's.
    expect(rows).toHaveLength(7);
    const { ctx } = h.t.app;
    const now = h.t.clock.now();
    const alone = await Promise.all(rows.map((row) => renderIntent({ ctx, payload: row.payload, now })));
    const reads = batchReads(ctx);
    const batched = await Promise.all(rows.map((row) => renderIntent({ ctx, payload: row.payload, now, reads })));
    expect(JSON.stringify(batched)).toBe(JSON.stringify(alone));
    // The first item's two v1 messages are stale in both: no buttons, and a line saying why.
    const stale = alone.filter((message) => message.notice?.startsWith('Moved on since this was sent'));
    expect(stale).toHaveLength(2);
    expect(stale.every((message) => message.actions.length === 0)).toBe(true);
  });
});
