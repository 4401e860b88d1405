// Absences are rows with history on the real engine (PGlite by default, the server in CI): recorded and ended,
// never deleted, and every change audited.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endAbsence, recordAbsence } from '../../src/use-cases/away.use-case.js';
import { type TestApp, startTestApp } from '../support/test-app.js';

describe('absences in the store', { timeout: 60_000 }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('keeps who recorded it, when, for whom, from–to and the delegate; /away off ends it and audits both', async () => {
    const ctx = t.app.ctx;
    await recordAbsence({ ctx, actorId: 'tom', personId: 'amara', from: '2026-11-26', until: '2026-11-27', delegateId: 'ben', platform: 'slack' });
    t.clock.advance(30 * 60_000);
    await endAbsence({ ctx, actorId: 'sam', personId: 'amara', platform: 'teams' });
    expect(await t.app.store.repos.absences.history('amara')).toMatchObject([
      {
        personId: 'amara',
        recordedBy: 'tom',
        recordedAt: new Date('2026-11-24T10:00:00Z'),
        startsAt: new Date('2026-11-26T00:00:00Z'),
        // A future absence ended before it began is cut to nothing, and kept.
        endsAt: new Date('2026-11-26T00:00:00Z'),
        delegateId: 'ben',
        endedBy: 'sam',
        endedAt: new Date('2026-11-24T10:30:00Z'),
        revision: 2,
      },
    ]);
    const { db } = t.app.database;
    const events = await db.execute(sql`SELECT event, actor_id FROM audit_log WHERE event LIKE 'absence.%' ORDER BY id`);
    expect((events as { rows: unknown[] }).rows).toEqual([
      { event: 'absence.recorded', actor_id: 'tom' },
      { event: 'absence.ended', actor_id: 'sam' },
    ]);
  });

  it('refuses DELETE and TRUNCATE of absences in the database itself', async () => {
    const { db } = t.app.database;
    await expect(db.execute(sql`DELETE FROM absences`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/absences are never deleted: DELETE refused/) } });
    await expect(db.execute(sql`TRUNCATE absences`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/absences are never deleted: TRUNCATE refused/) } });
    expect((await t.app.store.repos.absences.history('amara')).length).toBe(1);
  });
});
