import { afterEach, describe, expect, it, vi } from 'vitest';
import { digestTimeOfDay } from '../../src/chase/chase-scheduler.js';
import { type ChaseHarness, startChase } from './chase-support.js';

const textOf = (call: { args: Record<string, unknown> }) => `${String(call.args.text ?? '')}\n${JSON.stringify(call.args.blocks ?? [])}`;

// Each test starts the real app on a fresh database: generous time on a busy machine (no timing assertions).
describe('daily digests', { timeout: 120_000 }, () => {
  let h: ChaseHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('posts each unit channel its overdue and due-today items without narrative, and each manager their overdue items with buttons, once a day', async () => {
    h = await startChase({ now: '2026-11-23T10:00:00Z' }); // Monday
    await h.raise({ crn: 'X600001' }); // countersign due Tue 24 Nov 17:00
    h.t.clock.set('2026-11-24T08:00:00Z');
    await h.raise({ crn: 'X600002' }); // due Wed 25 Nov 17:00

    h.t.clock.set('2026-11-24T09:00:00Z');
    await h.t.app.scheduler.digestOnce();
    await h.dispatcher.drain();
    const tuesday = h.fake.messagesTo('C0NORTH3');
    expect(tuesday).toHaveLength(1);
    expect(textOf(tuesday[0]!)).toContain('Due today: ESC-000001 · X600001 · Countersign · Tom Reyes · due 17:00');
    expect(h.fake.messagesTo('U0TOM').filter((call) => /^Overdue in/.test(String(call.args.text)))).toHaveLength(0);

    h.t.clock.set('2026-11-25T09:00:00Z');
    await h.t.app.store.repos.duty.set({ unitId: 'north-pp', onDate: '2026-11-25', personIds: [], setBy: 'kate', at: h.t.clock.now() });
    expect(await h.t.app.scheduler.digestOnce()).toMatchObject({ digests: expect.any(Number) });
    await h.t.app.scheduler.digestOnce();
    await h.dispatcher.drain();
    const channel = h.fake.messagesTo('C0NORTH3');
    expect(channel).toHaveLength(2);
    const wednesday = textOf(channel[1]!);
    expect(wednesday).toContain('1 overdue, 1 due today');
    expect(wednesday).toContain('Overdue: ESC-000001 · X600001 · Countersign · Tom Reyes · 16 h late');
    expect(wednesday).toContain('Due today: ESC-000002 · X600002 · Countersign · Tom Reyes · due 17:00');
    expect(wednesday).not.toContain('Breached licence');
    expect(wednesday).not.toContain('"actions"');

    const managerDms = h.fake.messagesTo('U0TOM').filter((call) => /^Overdue in/.test(String(call.args.text)));
    expect(managerDms).toHaveLength(1);
    expect(textOf(managerDms[0]!)).toContain('ESC-000001 · X600001 · Countersign · Tom Reyes · 16 h late');
    expect(textOf(managerDms[0]!)).toContain('escalation:1:escalation.countersign');

    const pp = h.fake.messagesTo('C0NORTHPP');
    expect(pp).toHaveLength(2);
    expect(textOf(pp[1]!)).toContain('Duty desk uncovered today: nobody is on duty, duty messages go to Kate Morgan.');
    expect(textOf(pp[0]!)).not.toContain('uncovered');
  });

  it('skips weekends and bank holidays unless forced, and lists undelivered messages and unreachable people', async () => {
    h = await startChase({ now: '2026-11-27T10:00:00Z' }); // Friday
    const id = await h.raise({ crn: 'X700001' });
    const now = h.t.clock.now();
    const repos = h.t.app.store.repos;
    await repos.outbox.enqueue([
      {
        dedupeKey: 'test:dead:ben',
        platform: 'slack',
        target: { platform: 'slack', kind: 'user', id: 'U0BEN', personId: 'ben' },
        payload: { kind: 'static', message: { text: 'x', title: 'x', fields: [], actions: [] } },
        itemType: 'escalation',
        itemId: id,
        nextAttemptAt: now,
        createdAt: now,
      },
    ]);
    const [dead] = await repos.outbox.byDedupePrefix('test:dead:ben');
    await repos.outbox.markDead({ id: dead!.id, error: 'channel_not_found' });
    await repos.records.audit({ at: now, actorId: null, event: 'person.unreachable', itemType: 'escalation', itemId: id, crn: 'X700001', details: { people: ['ben'] } });

    h.t.clock.set('2026-11-28T09:00:00Z'); // Saturday
    expect(await h.t.app.scheduler.digestOnce()).toEqual({ digests: 0 });
    h.t.clock.set('2026-12-25T09:00:00Z'); // Christmas Day, a Friday
    expect(await h.t.app.scheduler.digestOnce()).toEqual({ digests: 0 });
    await h.dispatcher.drain();
    expect(h.fake.messagesTo('C0NORTH3')).toHaveLength(0);

    h.t.clock.set('2026-11-28T09:00:00Z');
    expect((await h.t.app.scheduler.digestOnce({ force: true })).digests).toBeGreaterThan(0);
    await h.dispatcher.drain();
    const [digest] = h.fake.messagesTo('C0NORTH3');
    expect(textOf(digest!)).toContain('Not delivered: ESC-000001 to Ben Carter (slack, channel_not_found)');
    expect(textOf(digest!)).toContain('The bot cannot reach: Ben Carter');
    // North Team 5 has nobody concerned: its digest says so and lists nothing.
    const [other] = h.fake.messagesTo('C0NORTH5');
    expect(textOf(other!)).toContain('Nothing overdue and nothing due today.');
    expect(textOf(other!)).not.toContain('Ben Carter');
  });

  it("sends the day's digest at start-up when the bot was down at 09:00 on a working day", async () => {
    expect(digestTimeOfDay('0 9 * * 1-5')).toBe('09:00');
    expect(digestTimeOfDay('0 30 8 * * 1-5')).toBe('08:30');
    h = await startChase({ now: '2026-11-24T11:15:00Z' });
    h.t.app.scheduler.start();
    try {
      await vi.waitFor(async () => expect(await h!.t.app.store.repos.outbox.existsWithPrefix('digest:north-3:2026-11-24')).toBe(true), { timeout: 20_000, interval: 100 });
    } finally {
      h.t.app.scheduler.stop();
    }
    await h.dispatcher.drain();
    expect(h.fake.messagesTo('C0NORTH3')).toHaveLength(1);
  });

  it('does not post the morning digest when the bot starts after working hours', async () => {
    h = await startChase({ now: '2026-11-24T18:30:00Z' });
    try {
      await h.t.app.scheduler.start();
    } finally {
      h.t.app.scheduler.stop();
    }
    expect(await h.t.app.store.repos.outbox.existsWithPrefix('digest:')).toBe(false);
  });
});
