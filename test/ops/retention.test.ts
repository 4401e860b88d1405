import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateCommand } from '../../commands/escalate.command.js';
import { buildCaseExport } from '../../src/use-cases/export.use-case.js';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { applyRetention } from '../../src/ops/retention.job.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { exampleOrg } from '../support/test-org.js';

const DAY = 24 * 60 * 60_000;
const MARKER = '[removed after retention]';
const form = (crn: string, summary: string) => ({
  crn,
  roshCurrent: 'HIGH',
  roshNew: 'HIGH',
  reason: 'breach_or_new_offence',
  urgency: 'standard',
  receivingUnitId: 'north-pp',
  summary,
  oasysReviewed: ['done'],
});

describe('retention of case narrative', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ org: exampleOrg((text) => text.replace('retention: P7Y', 'retention: P30D')) });
  });
  afterAll(async () => {
    await t?.stop();
  });
  const ctx = () => t.app.ctx;

  const raise = async (crn: string, summary: string) => {
    await escalateCommand.submit({ ctx: ctx(), actorId: 'amara', values: form(crn, summary), context: {}, platform: 'slack' });
    const [row] = await t.app.store.repos.items.recentEscalations(1);
    return row!.id;
  };
  const close = async (id: number) => {
    await decideEscalation({ ctx: ctx(), actorId: 'tom', escalationId: id, action: 'countersign', rationale: `Countersigned ${id}: risk has risen.`, platform: 'slack' });
    await decideEscalation({ ctx: ctx(), actorId: 'dev', escalationId: id, action: 'accept', rationale: `Accepted ${id} on duty.`, caseManagerId: 'omar', platform: 'slack' });
    await decideEscalation({ ctx: ctx(), actorId: 'omar', escalationId: id, action: 'confirm_handover', platform: 'slack' });
    await decideEscalation({ ctx: ctx(), actorId: 'amara', escalationId: id, action: 'confirm_handover', platform: 'slack' });
  };
  const snapshot = async (id: number) => ({
    row: await t.app.store.repos.items.escalation(id),
    decisions: await t.app.store.repos.records.decisionsFor([{ itemType: 'escalation', itemId: id }]),
    deadlines: await t.app.store.repos.deadlines.forItem({ itemType: 'escalation', itemId: id }),
    outbox: await t.app.store.repos.outbox.byDedupePrefix(`escalation:${id}:`),
  });

  it('removes the narrative of a case closed longer ago than the period, and nothing else', { timeout: 90_000 }, async () => {
    const old = await raise('X100001', 'Old case: breached licence, police intelligence about the address.');
    await close(old);
    await t.app.dispatcher.drain();
    t.clock.advance(20 * DAY);
    const recent = await raise('X100002', 'Recent case: missed appointments and a new partner.');
    await close(recent);
    const open = await raise('X100003', 'Open case: still waiting for the countersign.');
    await t.app.dispatcher.drain();
    t.clock.advance(15 * DAY); // old: closed 35 days ago (> P30D); recent: 15 days ago

    const before = { old: await snapshot(old), recent: await snapshot(recent), open: await snapshot(open) };
    expect(before.old.row?.state).toBe('closed');
    const delivered = (row: { status: string }) => row.status === 'sent' || row.status === 'dead';

    expect(await applyRetention({ ctx: ctx() })).toBe(1);
    const after = { old: await snapshot(old), recent: await snapshot(recent), open: await snapshot(open) };

    // The old case: narrative replaced; actors, times, states and deadlines as they were.
    expect(after.old.row).toEqual({ ...before.old.row, summary: MARKER });
    expect(after.old.decisions).toEqual(before.old.decisions.map((d) => ({ ...d, rationale: d.rationale === null ? null : MARKER })));
    expect(before.old.decisions.filter((d) => d.rationale !== null)).toHaveLength(2);
    expect(after.old.deadlines).toEqual(before.old.deadlines);
    // Messages already delivered lose their text; one still queued keeps what it must send.
    expect(after.old.outbox).toEqual(before.old.outbox.map((row) => (delivered(row) ? { ...row, payload: { text: MARKER, removed: true } } : row)));
    const kept = JSON.stringify({ row: after.old.row, decisions: after.old.decisions, outbox: after.old.outbox.filter(delivered) });
    expect(kept).not.toContain('police intelligence');
    expect(kept).not.toContain('risk has risen');
    // The recent and the open case: untouched.
    expect(after.recent).toEqual(before.recent);
    expect(after.open).toEqual(before.open);

    const [audit, ...more] = await t.app.store.repos.records.auditEvents('retention.applied');
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      itemType: 'escalation',
      itemId: old,
      crn: 'X100001',
      actorId: null,
      details: { period: 'P30D', closedAt: before.old.row!.closedAt!.toISOString(), rationales: 2, messages: before.old.outbox.filter(delivered).length, replacedWith: MARKER },
    });
    // Idempotent: a second run (another replica, the next day) finds nothing to do.
    expect(await applyRetention({ ctx: ctx() })).toBe(0);

    // The export says when the narrative was removed.
    const exported = await buildCaseExport({ ctx: ctx(), crn: 'X100001', now: t.clock.now() });
    const removal = exported.rows.filter((row) => row.event === 'retention.applied');
    expect(removal).toHaveLength(1);
    expect(removal[0]).toMatchObject({ record: 'audit', time_utc: t.clock.now().toISOString(), item_ref: 'ESC-000001' });
    expect(exported.rows.filter((row) => row.record === 'decision').map((row) => row.rationale)).toEqual(['', MARKER, MARKER, '', '']);
  });

  it('drops Teams file offers nobody answered within a day, daily, and keeps a fresh one', { timeout: 90_000 }, async () => {
    const offer = (id: string, createdAt: Date) =>
      t.app.store.repos.teamsFileOffers.offer({ id, aadObjectId: 'aad-amara', personId: 'amara', crn: 'X100001', filename: 'X100001-export.csv', mimeType: 'text/csv', content: 'YSxi', createdAt });
    const now = t.clock.now();
    await offer('stale-offer', new Date(now.getTime() - DAY - 60_000));
    await offer('fresh-offer', new Date(now.getTime() - DAY + 60_000));
    await applyRetention({ ctx: ctx() });
    const left = ((await t.app.database.db.execute(sql`SELECT id FROM teams_file_offers ORDER BY id`)) as unknown as { rows: { id: string }[] }).rows;
    expect(left).toEqual([{ id: 'fresh-offer' }]);
  });

  it('lets the database refuse any other change to decisions (append-only, with only the retention marker allowed)', { timeout: 90_000 }, async () => {
    const { db } = t.app.database;
    await expect(db.execute(sql`UPDATE decisions SET actor_id = 'ben' WHERE id = 1`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only: (UPDATE|DELETE) refused/) } });
    await expect(db.execute(sql`UPDATE decisions SET rationale = 'rewritten' WHERE rationale IS NOT NULL`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/append-only: (UPDATE|DELETE) refused/) },
    });
    await expect(db.execute(sql`UPDATE decisions SET rationale = ${MARKER}, to_state = 'closed' WHERE rationale IS NOT NULL`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/append-only: (UPDATE|DELETE) refused/) },
    });
    await expect(db.execute(sql`DELETE FROM decisions`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only: (UPDATE|DELETE) refused/) } });
    await expect(db.execute(sql`UPDATE audit_log SET actor_id = 'ben'`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only: (UPDATE|DELETE) refused/) } });
  });
});

describe('retention in the org file', () => {
  it('defaults to P7Y and refuses what is not an ISO 8601 period, with its line', async () => {
    const { parseOrgText } = await import('../../src/config/org.loader.js');
    const { readFileSync } = await import('node:fs');
    const { EXAMPLE_ORG_FILE } = await import('../support/test-org.js');
    const text = readFileSync(EXAMPLE_ORG_FILE, 'utf8');
    const withoutLine = text.replace(/\nretention: P7Y\n/, '\n');
    expect(parseOrgText({ text: withoutLine, fileName: 'org.yaml' }).retention).toEqual({ text: 'P7Y', years: 7, months: 0, weeks: 0, days: 0 });
    expect(parseOrgText({ text: text.replace('retention: P7Y', 'retention: P1Y6M'), fileName: 'org.yaml' }).retention).toEqual({ text: 'P1Y6M', years: 1, months: 6, weeks: 0, days: 0 });
    const line = text.split('\n').findIndex((row) => row.startsWith('retention:')) + 1;
    expect(() => parseOrgText({ text: text.replace('retention: P7Y', 'retention: seven years'), fileName: 'org.yaml' })).toThrow(
      expect.objectContaining({ problems: [`org.yaml:${line} retention: "seven years": expected an ISO 8601 period such as P7Y, P18M or P90D`] }),
    );
    expect(() => parseOrgText({ text: text.replace('retention: P7Y', 'retention: P0D'), fileName: 'org.yaml' })).toThrow(
      expect.objectContaining({ problems: [`org.yaml:${line} retention: "P0D": expected a period longer than zero`] }),
    );
  });
});
