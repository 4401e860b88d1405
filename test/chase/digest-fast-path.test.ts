import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestRows } from '../../src/chase/digest.service.js';
import type { Db } from '../../src/db/database.js';
import type { Owner } from '../../src/db/schema.js';
import { DEADLINE_LABELS, type DeadlineKind } from '../../src/domain/workflow.types.js';
import type { ChatMessage } from '../../src/use-cases/chat-message.js';
import { orgViewWithDuty } from '../../src/use-cases/org-view.js';
import { type ChasedItem, deadlineButtons } from '../../src/use-cases/reminder-messages.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { exampleOrg } from '../support/test-org.js';
import { referenceButtons, referenceDueBefore, referencePlanner } from './digest-reference.js';

const NOW = new Date('2026-11-24T10:00:00Z'); // Tuesday 10:00 London
const TEAMS_CHANNEL = '19:north-team-5@thread.tacv2';
const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * A mixed org: a unit with a Slack and a Teams channel (the app not installed in the team: a "not reached" note),
 * a rota giving Public Protection today's duty, a /duty change for the provider, an away manager.
 */
const mixedOrg = () =>
  exampleOrg((text) =>
    text
      .replace('channel: { slack: C0NORTH5 }', `channel: { slack: C0NORTH5, teams: "${TEAMS_CHANNEL}" }`)
      .replace('    duty: [dev]\n    receives: [escalations]', '    duty: [dev]\n    rota: { tue: [omar] }\n    receives: [escalations]'),
  );

const ESCALATION_KINDS: { kind: DeadlineKind; state: string; unit: (sender: string) => string; owners: (args: { sender: string; manager: string; countersigner: string }) => Owner[] }[] = [
  { kind: 'countersign', state: 'awaiting_countersign', unit: (sender) => sender, owners: ({ countersigner }) => [{ kind: 'person', personId: countersigner }] },
  { kind: 'acceptance', state: 'awaiting_acceptance', unit: () => 'north-pp', owners: () => [{ kind: 'unitDuty', unitId: 'north-pp' }] },
  { kind: 'reallocation', state: 'awaiting_reallocation', unit: () => 'north-pp', owners: () => [{ kind: 'unitManager', unitId: 'north-pp' }] },
  {
    kind: 'handover',
    state: 'awaiting_handover',
    unit: (sender) => sender,
    owners: ({ sender }) => [
      { kind: 'person', personId: 'amara' },
      { kind: 'unitSeniorManager', unitId: sender },
    ],
  },
];
const REFERRAL_KINDS: { kind: DeadlineKind; state: string; owners: Owner[] }[] = [
  { kind: 'providerAssessment', state: 'acknowledged', owners: [{ kind: 'unitDuty', unitId: 'gateway-resettle' }] },
  { kind: 'providerAssessment', state: 'awaiting_acknowledgement', owners: [{ kind: 'unitDuty', unitId: 'gateway-resettle' }] },
  { kind: 'actionPlan', state: 'assessed', owners: [{ kind: 'person', personId: 'will' }] },
];

/** Due times around now: overdue by seconds to days, due later today, tomorrow (not listed), in a varied order. */
const dueAt = (i: number) => {
  const offsets = [-90 * 1000, -7 * MIN, -3 * HOUR - 25 * MIN, -26 * HOUR, -3 * 24 * HOUR - 5 * HOUR, 5 * HOUR + 30 * MIN, 2 * HOUR, 20 * HOUR, -2 * HOUR];
  return new Date(NOW.getTime() + (offsets[i % offsets.length] as number) - (i % 7) * 1000);
};

const seed = async (t: TestApp) => {
  const repos = t.app.store.repos;
  const base = { startedAt: new Date(NOW.getTime() - 48 * HOUR), urgent: false, policy: { deadline: '1 working day' } };
  for (let i = 0; i < 60; i += 1) {
    const spec = ESCALATION_KINDS[i % ESCALATION_KINDS.length]!;
    const sender = i % 3 === 0 ? 'north-5' : 'north-3';
    const manager = sender === 'north-3' ? 'tom' : 'priya';
    // Most countersigns are the sending manager's (buttons in their DM, up to the cap), some Kate's (none).
    const countersigner = i % 5 === 0 ? 'kate' : manager;
    const row = await repos.items.insertEscalation({
      crn: `X${String(610000 + i)}`,
      roshCurrent: 'MEDIUM',
      roshNew: i % 2 ? 'HIGH' : 'VERY_HIGH',
      reason: 'rosh_increase',
      urgency: i % 4 === 0 ? 'urgent' : 'standard',
      summary: 'Narrative that never reaches a digest.',
      oasysReviewed: true,
      senderUnitId: sender,
      receivingUnitId: 'north-pp',
      raisedBy: sender === 'north-3' ? 'amara' : 'lena',
      countersignerId: countersigner,
      state: spec.state,
      acceptedBy: spec.state === 'awaiting_reallocation' || spec.state === 'awaiting_handover' ? 'dev' : null,
      newCaseManagerId: spec.state === 'awaiting_handover' ? 'omar' : null,
    });
    const due = dueAt(i);
    await repos.deadlines.insert({
      ...base,
      itemType: 'escalation',
      itemId: row.id,
      kind: spec.kind,
      unitId: spec.unit(sender),
      owners: spec.owners({ sender, manager, countersigner }),
      dueAt: due,
      nextCheckAt: due,
    });
  }
  for (let i = 0; i < 24; i += 1) {
    const spec = REFERRAL_KINDS[i % REFERRAL_KINDS.length]!;
    const sender = i % 2 ? 'north-3' : 'north-5';
    const row = await repos.items.insertReferral({
      crn: `X${String(620000 + i)}`,
      referralType: 'Resettlement',
      providerUnitId: 'gateway-resettle',
      senderUnitId: sender,
      prison: 'HMP Leeds',
      // Some releases within 12 weeks (called out while there is no action plan), some later.
      releaseDate: i % 3 === 0 ? '2027-01-10' : '2027-06-01',
      releaseType: 'licence',
      needs: ['Accommodation'],
      referBy: '2026-10-01',
      raisedBy: sender === 'north-3' ? 'ben' : 'joe',
      assignedWorkerId: spec.state === 'awaiting_acknowledgement' ? null : 'will',
      state: spec.state,
    });
    const due = dueAt(i + 3);
    await repos.deadlines.insert({ ...base, itemType: 'referral', itemId: row.id, kind: spec.kind, unitId: 'gateway-resettle', owners: spec.owners, dueAt: due, nextCheckAt: due });
  }
  // A deadline whose item is gone, and a met one: neither is listed.
  const gone = new Date(NOW.getTime() - HOUR);
  await repos.deadlines.insert({
    ...base,
    itemType: 'escalation',
    itemId: 99_999,
    kind: 'countersign',
    unitId: 'north-3',
    owners: [{ kind: 'person', personId: 'tom' }],
    dueAt: gone,
    nextCheckAt: gone,
  });
  await repos.deadlines.insert({
    ...base,
    itemType: 'escalation',
    itemId: 1,
    kind: 'acceptance',
    unitId: 'north-pp',
    owners: [{ kind: 'unitDuty', unitId: 'north-pp' }],
    dueAt: gone,
    nextCheckAt: gone,
  });
  await repos.deadlines.meet({ itemType: 'escalation', itemId: 1, kinds: ['acceptance'], at: NOW, by: 'dev' });
  // Today's duty of the provider changed with /duty; Tom is away with Ben covering.
  await repos.duty.set({ unitId: 'gateway-resettle', onDate: '2026-11-24', personIds: ['rosa'], setBy: 'rosa', at: NOW });
  await repos.absences.insert({ personId: 'tom', startsAt: new Date(NOW.getTime() - 24 * HOUR), endsAt: new Date(NOW.getTime() + 48 * HOUR), delegateId: 'ben', recordedBy: 'tom', recordedAt: NOW });
};

const messageOf = (row: { payload: unknown }) => (row.payload as { message: ChatMessage }).message;

describe('the digest fast path writes what the previous read and grouping wrote', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ org: mixedOrg(), now: NOW.toISOString(), env: { TEAMS_EMULATOR: '1' } });
    await seed(t);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reads the same deadlines and items as drizzle selecting every column', async () => {
    const before = new Date('2026-11-25T00:00:00Z');
    const fast = await t.app.store.repos.digest.dueBefore(before);
    const reference = await referenceDueBefore(t.app.database.db as Db, before);
    const shown = reference.map(({ deadline, escalation, referral }) => ({
      deadline: { id: deadline.id, itemType: deadline.itemType, itemId: deadline.itemId, kind: deadline.kind, unitId: deadline.unitId, owners: deadline.owners, dueAt: deadline.dueAt },
      escalation,
      referral,
    }));
    expect(fast).toStrictEqual(shown);
    // 60 escalation and 24 referral deadlines and one whose item is gone, less those due tomorrow and the met one.
    expect(fast).toHaveLength(76);
    expect(fast.filter((row) => row.escalation)).toHaveLength(54);
    expect(fast.filter((row) => row.referral)).toHaveLength(21);
  });

  it('builds the same outbox rows, byte for byte, for every unit', async () => {
    const ctx = t.app.ctx;
    const repos = t.app.store.repos;
    const args = { ctx, repos, now: NOW, today: '2026-11-24', units: ctx.directory.org.units, lastRun: new Map<string, Date>() };
    const fast = await digestRows(args);
    const reference = await digestRows({ ...args, planner: referencePlanner(t.app.database.db as Db) });
    expect(JSON.stringify(fast.rows)).toBe(JSON.stringify(reference.rows));
    expect(fast.rows).toStrictEqual(reference.rows);

    // The comparison covers every part of a digest: each unit's channel and its manager's DM, buttons up to the
    // cap, referrals owed by a provider, due-today times, release call-outs, duty and reach notes.
    expect(fast.rows.map((row) => row.dedupeKey)).toEqual([
      'digest:north-3:2026-11-24:channel:slack:C0NORTH3',
      'digest:north-3:2026-11-24:manager:tom:slack:U0TOM',
      'digest:north-5:2026-11-24:channel:slack:C0NORTH5',
      `digest:north-5:2026-11-24:channel:teams:${TEAMS_CHANNEL}`,
      'digest:north-5:2026-11-24:manager:priya:slack:U0PRIYA',
      'digest:north-pp:2026-11-24:channel:slack:C0NORTHPP',
      'digest:north-pp:2026-11-24:manager:kate:slack:U0KATE',
      'digest:gateway-resettle:2026-11-24:channel:slack:C0GATEWAY',
      'digest:gateway-resettle:2026-11-24:manager:rosa:slack:U0ROSA',
    ]);
    const dm = (unit: string, manager: string) => messageOf(fast.rows.find((row) => row.dedupeKey.startsWith(`digest:${unit}:2026-11-24:manager:${manager}:`))!);
    const channel = (unit: string) => messageOf(fast.rows.find((row) => row.dedupeKey.startsWith(`digest:${unit}:2026-11-24:channel:slack:`))!);
    expect(dm('north-pp', 'kate').actions).toHaveLength(20);
    expect(
      dm('north-pp', 'kate')
        .actions.slice(0, 3)
        .map((action) => action.label),
    ).toEqual(['Accept ESC-000014', 'Decline ESC-000014', 'Name the case manager ESC-000059']);
    expect(dm('north-3', 'tom').actions.map((action) => action.label)).toEqual([
      'Countersign ESC-000005',
      'Return for changes ESC-000005',
      'Countersign ESC-000057',
      'Return for changes ESC-000057',
      'Countersign ESC-000045',
      'Return for changes ESC-000045',
      'Countersign ESC-000009',
      'Return for changes ESC-000009',
      'Countersign ESC-000029',
      'Return for changes ESC-000029',
    ]);
    expect(
      dm('gateway-resettle', 'rosa')
        .actions.slice(0, 4)
        .map((action) => action.id),
    ).toEqual(['referral.acknowledge', 'referral.assign', 'referral.decline', 'referral.return_misallocated']);
    expect(channel('north-3').lines?.filter((line) => line.startsWith('Overdue referral: '))).toHaveLength(8);
    expect(channel('north-3').lines).toContain('Overdue referral: REF-000018 · X620017 · Action plan · Gateway Resettlement Services (Will Evans) · 3 h 25 min late');
    expect(channel('north-pp').lines).toContain('Due today: ESC-000006 · X610005 · Duty acceptance · Omar Haddad · due 15:29');
    expect(channel('gateway-resettle').lines).toContain('Overdue: REF-000011 · X620010 · Provider assessment · Rosa Lindqvist · 3 days 5 h late');
    expect(channel('gateway-resettle').lines?.filter((line) => line.startsWith('Release in under 12 weeks'))).toHaveLength(8);
    expect(channel('north-5').lines).toContain(`Channel not reached: Teams channel ${TEAMS_CHANNEL} (North Team 5): the app is not installed in its team; its posts wait until it is.`);
  });

  it('gives every person the same buttons on every deadline as asking every action first did', async () => {
    const ctx = t.app.ctx;
    const org = orgViewWithDuty({ directory: ctx.directory, duty: new Map() });
    const rows = await t.app.store.repos.digest.dueBefore(new Date('2026-12-01T00:00:00Z'));
    let withButtons = 0;
    let compared = 0;
    for (const row of rows) {
      const item: ChasedItem | null = row.escalation ? { itemType: 'escalation', row: row.escalation } : row.referral ? { itemType: 'referral', row: row.referral } : null;
      if (!item) continue;
      for (const person of ctx.directory.org.people) {
        for (const kind of Object.keys(DEADLINE_LABELS)) {
          const args = { workflows: ctx.workflows, item, kind, personId: person.id, org };
          const fast = deadlineButtons(args);
          expect(fast).toStrictEqual(referenceButtons(args));
          compared += 1;
          if (fast.length > 0) withButtons += 1;
        }
      }
    }
    // 84 items (60 escalations, 24 referrals) × 12 people × 10 deadline kinds.
    expect(compared).toBe(84 * 12 * 10);
    expect(withButtons).toBe(319);
  });
});
