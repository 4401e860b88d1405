import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateCommand } from '../../commands/escalate.command.js';
import { DomainError } from '../../src/domain/errors.js';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { type TestApp, startTestApp } from '../support/test-app.js';

const validForm = {
  crn: 'x123456',
  roshCurrent: 'HIGH',
  roshNew: 'HIGH',
  reason: 'breach_or_new_offence',
  urgency: 'standard',
  receivingUnitId: 'north-pp',
  summary: 'Breached licence conditions; new intelligence from police.',
  oasysReviewed: ['done'],
};

describe('escalation use cases on a real PostgreSQL engine', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const ctx = () => t.app.ctx;
  const outboxFor = async (escalationId: number) => (await t.app.store.repos.outbox.byDedupePrefix(`escalation:${escalationId}:`)).map((row) => ({ key: row.dedupeKey, target: row.target }));

  it('refuses invalid input with field errors and stores nothing', async () => {
    const result = await escalateCommand.submit({ ctx: ctx(), actorId: 'amara', values: { ...validForm, crn: '12345', summary: 'short', oasysReviewed: [] }, context: {}, platform: 'slack' });
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        crn: 'A CRN is one letter and 6 digits, like X123456',
        summary: 'Write a short summary (at least 10 characters)',
        oasysReviewed: 'Tick this once the OASys review is done',
      },
    });
    expect(await t.app.store.repos.items.recentEscalations(10)).toHaveLength(0);
  });

  it('runs raise → countersign → accept (naming the case manager) → handover by both → closed', async () => {
    const raised = await escalateCommand.submit({ ctx: ctx(), actorId: 'amara', values: validForm, context: {}, platform: 'slack' });
    expect(raised.ok).toBe(true);
    expect(raised.ok && raised.reply).toBe(
      'ESC-000001 raised for X123456. Tom Reyes has been asked to countersign by Wed 25 Nov 2026, 17:00. Chase plan: Tom Reyes by Wed 17:00, again every 2 h; then Sam Adeyemi from Fri 09:00.',
    );
    const [row] = await t.app.store.repos.items.recentEscalations(1);
    expect(row).toMatchObject({ crn: 'X123456', state: 'awaiting_countersign', countersignerId: 'tom', urgency: 'standard' });
    const id = row!.id;
    expect((await outboxFor(id)).map((entry) => entry.key)).toEqual([
      `escalation:${id}:v1:escalation.countersign_requested:tom:slack:U0TOM`,
      `escalation:${id}:v1:escalation.raised_confirmation:amara:slack:U0AMARA`,
    ]);
    const [deadline] = await t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: id });
    expect(deadline).toMatchObject({ kind: 'countersign', dueAt: new Date('2026-11-25T17:00:00Z'), urgent: false });

    // The raiser can never countersign their own escalation; a stranger cannot either.
    await expect(decideEscalation({ ctx: ctx(), actorId: 'amara', escalationId: id, action: 'countersign', rationale: 'ok', platform: 'slack' })).rejects.toMatchObject({
      code: 'escalation.own_escalation',
    });
    await expect(decideEscalation({ ctx: ctx(), actorId: 'priya', escalationId: id, action: 'countersign', rationale: 'ok', platform: 'slack' })).rejects.toMatchObject({
      code: 'escalation.not_countersigner',
    });
    await expect(decideEscalation({ ctx: ctx(), actorId: 'tom', escalationId: id, action: 'countersign', rationale: '  ', platform: 'slack' })).rejects.toMatchObject({ code: 'rationale.required' });

    t.clock.advance(30 * 60_000);
    await decideEscalation({ ctx: ctx(), actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agree, risk has risen.', platform: 'slack' });
    const second = decideEscalation({ ctx: ctx(), actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'again', platform: 'slack' });
    await expect(second).rejects.toBeInstanceOf(DomainError);
    await expect(second).rejects.toMatchObject({ code: 'item.already_done', details: { actorId: 'tom', action: 'countersign' } });

    const keysAfterCountersign = (await outboxFor(id)).map((entry) => entry.key);
    expect(keysAfterCountersign).toContain(`escalation:${id}:v2:escalation.acceptance_requested:dev:slack:U0DEV`);
    expect(keysAfterCountersign).toContain(`escalation:${id}:v2:escalation.channel_incoming:channel:slack:C0NORTHPP`);
    expect(keysAfterCountersign).toContain(`escalation:${id}:v2:refresh:slack`);

    // Only the receiving unit's duty officer or manager accepts.
    await expect(decideEscalation({ ctx: ctx(), actorId: 'omar', escalationId: id, action: 'accept', rationale: 'ok', platform: 'slack' })).rejects.toMatchObject({
      code: 'escalation.not_receiving_unit',
    });
    await decideEscalation({ ctx: ctx(), actorId: 'dev', escalationId: id, action: 'accept', rationale: 'Accepted on duty.', caseManagerId: 'omar', platform: 'slack' });
    let current = await t.app.store.repos.items.escalation(id);
    expect(current).toMatchObject({ state: 'awaiting_handover', acceptedBy: 'dev', newCaseManagerId: 'omar' });

    await decideEscalation({ ctx: ctx(), actorId: 'omar', escalationId: id, action: 'confirm_handover', platform: 'slack' });
    await expect(decideEscalation({ ctx: ctx(), actorId: 'omar', escalationId: id, action: 'confirm_handover', platform: 'slack' })).rejects.toMatchObject({
      code: 'escalation.handover_already_confirmed',
    });
    await decideEscalation({ ctx: ctx(), actorId: 'amara', escalationId: id, action: 'confirm_handover', platform: 'slack' });
    current = await t.app.store.repos.items.escalation(id);
    expect(current?.state).toBe('closed');
    expect(await t.app.store.repos.deadlines.openForItem({ itemType: 'escalation', itemId: id })).toEqual([]);

    const decisions = await t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }]);
    expect(decisions.map((d) => [d.action, d.actorId, d.toState])).toEqual([
      ['raise', 'amara', 'awaiting_countersign'],
      ['countersign', 'tom', 'awaiting_acceptance'],
      ['accept', 'dev', 'awaiting_handover'],
      ['confirm_handover', 'omar', 'awaiting_handover'],
      ['confirm_handover', 'amara', 'closed'],
    ]);
    const audit = await t.app.store.repos.records.auditForCrn('X123456');
    expect(audit.map((entry) => entry.event)).toEqual(['escalation.raised', 'escalation.countersign', 'escalation.accept', 'escalation.confirm_handover', 'escalation.confirm_handover']);
  });

  it('makes exactly one transition out of 20 concurrent countersigns', async () => {
    const raised = await escalateCommand.submit({ ctx: ctx(), actorId: 'ben', values: { ...validForm, crn: 'Y765432' }, context: {}, platform: 'slack' });
    expect(raised.ok).toBe(true);
    const [row] = await t.app.store.repos.items.recentEscalations(1);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => decideEscalation({ ctx: ctx(), actorId: 'tom', escalationId: row!.id, action: 'countersign', rationale: 'Yes', platform: 'slack' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(19).fill('item.already_done'));
    const decisions = await t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: row!.id }]);
    expect(decisions.filter((d) => d.action === 'countersign')).toHaveLength(1);
    const requests = (await outboxFor(row!.id)).filter((entry) => entry.key.includes('acceptance_requested'));
    expect(requests).toHaveLength(1);
  });
});
