import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewOutboxRow } from '../../src/db/outbox.repository.js';
import { type TestApp, startTestApp } from '../support/test-app.js';

/**
 * A sweep batch's one write statement (src/db/bulk-writes.ts writeSweepRows): outbox rows in the order given with
 * new keys only, audit rows in the order given with each rung's `enqueued` = how many of its rows this write
 * added (a row another sweep wrote first counts 0), and the chase state saved.
 */
describe('sweep batch write', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('writes new outbox rows, audits what each rung added and saves the chase state, in one statement', async () => {
    const now = new Date('2026-11-24T10:00:00Z');
    const repos = t.app.store.repos;
    const deadline = await repos.deadlines.insert({
      itemType: 'escalation',
      itemId: 41,
      kind: 'countersign',
      unitId: 'north-3',
      owners: [{ kind: 'person', personId: 'tom' }] as never,
      urgent: false,
      startedAt: new Date('2026-11-23T10:00:00Z'),
      dueAt: new Date('2026-11-24T09:00:00Z'),
      policy: {},
      nextCheckAt: new Date('2026-11-24T09:00:00Z'),
    });
    const row = (key: string, text: string): NewOutboxRow => ({
      dedupeKey: key,
      platform: 'slack',
      target: { platform: 'slack', kind: 'user', id: 'U0TOM', personId: 'tom' },
      payload: { kind: 'reminder', deadlineId: deadline.id, rung: 'owner', message: { text, title: text, fields: [], actions: [] } },
      itemType: 'escalation',
      itemId: 41,
      nextAttemptAt: now,
      createdAt: now,
    });
    // Another sweep already wrote the manager rung's row.
    await repos.outbox.enqueueMany([row('k:manager:kate', 'written before')]);
    const owner = [row('k:owner:tom', 'owner one'), row('k:owner:tom2', 'owner two')];
    const manager = [row('k:manager:kate', 'written again')];
    const about = { at: now, actorId: null, itemType: 'escalation', itemId: 41, crn: 'X300041' };
    await t.app.store.transaction((tx) =>
      tx.deadlines.writeSweepBatch({
        outbox: [...owner, ...manager],
        audits: [
          { ...about, event: 'reminder.sent', details: { rung: 'owner', recipients: ['tom'] }, enqueuedOf: [...owner.map((r) => r.dedupeKey), 'k:owner:tom'] },
          { ...about, event: 'reminder.sent', details: { rung: 'manager', recipients: ['kate'] }, enqueuedOf: manager.map((r) => r.dedupeKey) },
          { ...about, event: 'reminder.sent', details: { rung: 'seniorManager', recipients: [] }, enqueuedOf: [] },
          { ...about, event: 'person.unreachable', details: { people: ['sam'], deadlineId: deadline.id } },
        ],
        chase: [
          {
            id: deadline.id,
            nextCheckAt: new Date('2026-11-24T12:00:00Z'),
            ownerRemindersSent: 1,
            lastOwnerReminderAt: now,
            managerRemindedAt: now,
            seniorRemindedAt: null,
          },
        ],
      }),
    );

    const rows = await repos.outbox.byDedupePrefix('k:');
    expect(rows.map((r) => [r.dedupeKey, (r.payload as { message: { text: string } }).message.text])).toEqual([
      ['k:manager:kate', 'written before'],
      ['k:owner:tom', 'owner one'],
      ['k:owner:tom2', 'owner two'],
    ]);
    expect(rows[1]?.target).toEqual({ platform: 'slack', kind: 'user', id: 'U0TOM', personId: 'tom' });
    expect(rows[1]?.nextAttemptAt.toISOString()).toBe(now.toISOString());
    expect(rows[1]?.itemId).toBe(41);

    const sent = await repos.records.auditEvents('reminder.sent');
    expect(sent.map((event) => event.details)).toEqual([
      { rung: 'owner', recipients: ['tom'], enqueued: 2 },
      { rung: 'manager', recipients: ['kate'], enqueued: 0 },
      { rung: 'seniorManager', recipients: [], enqueued: 0 },
    ]);
    expect(sent.map((event) => [event.crn, event.itemId, event.at.toISOString(), event.actorId])).toEqual([
      ['X300041', 41, now.toISOString(), null],
      ['X300041', 41, now.toISOString(), null],
      ['X300041', 41, now.toISOString(), null],
    ]);
    const unreachable = await repos.records.auditEvents('person.unreachable');
    expect(unreachable.map((event) => event.details)).toEqual([{ people: ['sam'], deadlineId: deadline.id }]);
    expect(unreachable[0]!.id).toBeGreaterThan(sent[2]!.id);

    const [saved] = await repos.deadlines.forItem({ itemType: 'escalation', itemId: 41 });
    expect(saved).toMatchObject({
      nextCheckAt: new Date('2026-11-24T12:00:00Z'),
      ownerRemindersSent: 1,
      lastOwnerReminderAt: now,
      managerRemindedAt: now,
      seniorRemindedAt: null,
    });
  });
});
