import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ChaseHarness, startChase } from './chase-support.js';

/** The cron sweep is only the safety net: here it never fires (1 January, midnight), so only the timer can sweep. */
const NO_CRON = { SWEEP_CRON: '0 0 1 1 *', DIGEST_CRON: '0 0 1 1 *' };

// Each test starts the real app on a fresh database: generous time on a busy machine (no timing assertions).
describe('the punctual timer', { timeout: 120_000 }, () => {
  let h: ChaseHarness | undefined;
  afterEach(async () => {
    h?.t.app.scheduler.stop();
    await h?.stop();
    h = undefined;
  });

  it('sweeps from the timer armed at the next check, without the cron', async () => {
    h = await startChase({ now: '2026-11-24T10:00:00Z', env: NO_CRON });
    const scheduler = h.t.app.scheduler;
    scheduler.start();
    const id = await h.raise({ crn: 'X900001' }); // the commit re-arms the timer for Wed 25 Nov 17:00
    const [deadline] = await h.t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: id });
    expect(await h.reminders()).toEqual([]);

    // The next check (Thursday 09:00, the first working minute after the 17:00 deadline) arrives.
    h.t.clock.set('2026-11-26T09:00:00Z');
    scheduler.rearm();
    await vi.waitFor(async () => expect((await h!.reminders()).map((r) => r.key)).toEqual([`reminder:${deadline!.id}:owner:0:tom:slack:U0TOM`]), {
      timeout: 10_000,
      interval: 50,
    });
    scheduler.stop();
  });

  it('does nothing before start() and after stop()', async () => {
    h = await startChase({ now: '2026-11-24T10:00:00Z', env: NO_CRON });
    await h.raise({ crn: 'X900002' });
    h.t.clock.set('2026-11-26T09:00:00Z');
    h.t.app.scheduler.rearm(); // not started: tests drive the sweep by hand
    await h.t.app.dispatcher.drain();
    expect(await h.reminders()).toEqual([]);
    await h.tick();
    expect(await h.reminders()).toHaveLength(1);
  });
});
