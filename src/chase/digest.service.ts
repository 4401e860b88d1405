import type { OrgUnit } from '../config/org.schema.js';
import type { NewOutboxRow } from '../db/outbox.repository.js';
import type { Repositories } from '../db/store.js';
import { localDateTime } from '../domain/time/time-format.js';
import { isWorkingDay, localDate, startOfLocalDay } from '../domain/time/working-time.js';
import { itemRef } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import type { Directory } from '../use-cases/directory.js';
import { keepsDutyDesk } from '../use-cases/duty-rota.js';
import { type DigestNotes, renderChannelDigest, renderManagerDigest } from '../use-cases/digest-messages.js';
import { outboxRowsFor } from '../use-cases/effects.js';
import { orgViewWithDuty } from '../use-cases/org-view.js';
import { reachNotes } from './reach-notes.js';
import type { DueRow } from '../db/digest.repository.js';
import { MANAGER_ACTIONS, type UnitDigest, dutyOfDay, groupDigests, daysAfter } from './digest-plan.js';

const DAY_MS = 86_400_000;
/** A referral whose release is closer than this and has no action plan is called out (the through-the-gate window). */
const RELEASE_CALLOUT_WEEKS = 12;

/** Everyone who belongs with a unit, for scoping undelivered messages and unreachable people. */
const unitPeople = (unit: OrgUnit) => new Set([unit.manager, ...unit.members, ...unit.duty]);

/** Does this unit keep a duty desk (it receives work, or the org file gives it a rota)? */

/** What every unit's notes are drawn from, read once per digest run (not once per unit). */
interface RunFacts {
  dead: Awaited<ReturnType<Repositories['outbox']['dead']>>;
  unreachableEvents: Awaited<ReturnType<Repositories['records']['auditEvents']>>;
  /** Each unit's latest digest run before today (bounds "since the last digest"). */
  lastRun: ReadonlyMap<string, Date>;
  duty: ReadonlyMap<string, readonly string[]>;
}

/** One unit's notes, from the run's facts. A new note: one line here filling its `DigestNotes` field. */
const notesFor = (args: { directory: Directory; unit: OrgUnit; now: Date; facts: RunFacts }): DigestNotes => {
  const { directory, unit, now, facts } = args;
  const people = unitPeople(unit);
  const since = facts.lastRun.get(unit.id) ?? new Date(now.getTime() - DAY_MS);
  const undelivered = facts.dead
    .filter((row) => row.createdAt.getTime() >= since.getTime())
    .filter((row) => (row.target.personId && people.has(row.target.personId)) || (row.target.kind === 'channel' && (row.target.id === unit.channel.slack || row.target.id === unit.channel.teams)))
    .map((row) => {
      const about = row.itemType && row.itemId ? itemRef(row.itemType as 'escalation' | 'referral', row.itemId) : row.dedupeKey.split(':')[0];
      const to = row.target.personId ? directory.nameOf(row.target.personId) : `channel ${row.target.id}`;
      return `${about} to ${to} (${row.platform}, ${row.lastError ?? 'failed'})`;
    });
  const unreachable = new Set<string>();
  for (const event of facts.unreachableEvents) {
    if (event.at.getTime() < since.getTime()) continue;
    for (const id of (event.details.people as string[] | undefined) ?? []) if (people.has(id)) unreachable.add(directory.nameOf(id));
  }
  const uncovered = keepsDutyDesk(directory, unit.id) && (facts.duty.get(unit.id) ?? []).length === 0;
  return { uncoveredFallback: uncovered ? directory.nameOf(unit.manager) : null, undelivered, unreachable: [...unreachable] };
};

const hasAnyNote = (notes: DigestNotes) => Object.values(notes).some((value) => (Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined && value !== false));

/** One unit's digest rows (channel and manager DM), built in memory; nothing is written here. */
const unitRows = async (args: { ctx: UseCaseContext; repos: Repositories; unit: OrgUnit; digest: UnitDigest; notes: DigestNotes; now: Date; today: string; teamsReachable: ReadonlySet<string> }) => {
  const { ctx, repos, unit, digest, notes, now, today } = args;
  const { directory } = ctx;
  const dateLabel = localDateTime({ timeZone: directory.org.timezone, at: now }).split(', ')[0] ?? today;
  const prefix = `digest:${unit.id}:${today}`;
  const request = { repos, directory, reach: ctx.reach, item: null, now, teamsReachable: args.teamsReachable };
  const rows: NewOutboxRow[] = [];
  if (ctx.reach.some((provider) => provider.unitChannel(unit))) {
    const message = renderChannelDigest({ unitName: unit.name, dateLabel, overdue: digest.overdue, dueToday: digest.dueToday, referred: digest.referred, releaseSoon: digest.releaseSoon, notes });
    const channel = await outboxRowsFor({
      ...request,
      dedupePrefix: prefix,
      recipient: { personIds: [], channelOf: unit.id },
      intent: () => ({ kind: 'digest', unitId: unit.id, day: today, message }),
    });
    rows.push(...channel.rows);
  }
  if (digest.overdue.length > 0 || digest.referred.length > 0 || digest.releaseSoon.length > 0 || hasAnyNote(notes)) {
    const message = renderManagerDigest({
      unitName: unit.name,
      dateLabel,
      overdue: digest.overdue,
      referred: digest.referred,
      releaseSoon: digest.releaseSoon,
      actions: digest.actions.slice(0, MANAGER_ACTIONS),
      notes,
    });
    const dm = await outboxRowsFor({
      ...request,
      dedupePrefix: `${prefix}:manager`,
      recipient: { personIds: [unit.manager] },
      intent: () => ({ kind: 'digest', unitId: unit.id, day: today, message }),
    });
    rows.push(...dm.rows);
  }
  return rows;
};

/** Where a digest run's time went (wall ms): reading the morning, building every message, writing them. */
export interface DigestPhases {
  readMs: number;
  buildMs: number;
  insertMs: number;
  deadlines: number;
  rows: number;
}

let lastPhases: DigestPhases | null = null;
/** The phases of this process's latest digest run that wrote anything (logged, and read by the benchmark). */
export const lastDigestPhases = (): DigestPhases | null => lastPhases;

/** How a run reads the morning's deadlines and groups them (a test passes the previous way, to compare). */
export interface DigestPlanner {
  dueBefore: (repos: Repositories, before: Date) => Promise<DueRow[]>;
  group: typeof groupDigests;
}
const PLANNER: DigestPlanner = { dueBefore: (repos, before) => repos.digest.dueBefore(before), group: groupDigests };

/**
 * Every unit's digest rows (channel and manager DM) for the units not done today, built in memory: one query for
 * all units' overdue and due-today deadlines with their items (the referring units' side included), one for the
 * release call-outs, grouped in memory, the messages built without the store. Nothing is written here.
 */
export const digestRows = async (args: {
  ctx: UseCaseContext;
  repos: Repositories;
  now: Date;
  today: string;
  units: readonly OrgUnit[];
  lastRun: ReadonlyMap<string, Date>;
  planner?: DigestPlanner;
}): Promise<{ rows: NewOutboxRow[]; deadlines: number; readMs: number; buildMs: number }> => {
  const { ctx, repos, now, today, units } = args;
  const { directory } = ctx;
  const planner = args.planner ?? PLANNER;
  const t0 = performance.now();
  const tomorrow = daysAfter(today, 1);
  const due = await planner.dueBefore(repos, startOfLocalDay({ timeZone: directory.org.timezone, date: tomorrow }));
  const releaseSoon = await repos.digest.releaseWithoutPlan({ from: today, before: daysAfter(today, 7 * RELEASE_CALLOUT_WEEKS) });
  const duty = dutyOfDay({ directory, day: today, changes: await repos.digest.dutyChanges(today) });
  const facts: RunFacts = {
    dead: await repos.outbox.dead({ since: new Date(now.getTime() - 7 * DAY_MS) }),
    unreachableEvents: await repos.records.auditEventsSince({ event: 'person.unreachable', since: new Date(now.getTime() - 7 * DAY_MS) }),
    lastRun: args.lastRun,
    duty,
  };
  const teamsReachable = await repos.teams.reachable();
  const reach = await reachNotes({ ctx, repos, units, lastRun: args.lastRun, now });
  const t1 = performance.now();
  const org = orgViewWithDuty({ directory, duty });
  const grouped = planner.group({ directory, workflows: ctx.workflows, org, duty, due, releaseSoon, now, today });
  const rows: NewOutboxRow[] = [];
  for (const unit of units) {
    const notes = { ...notesFor({ directory, unit, now, facts }), ...reach.get(unit.id) };
    const digest = grouped.get(unit.id) ?? { overdue: [], dueToday: [], referred: [], releaseSoon: [], actions: [] };
    rows.push(...(await unitRows({ ctx, repos, unit, digest, notes, now, today, teamsReachable })));
  }
  return { rows, deadlines: due.length, readMs: t1 - t0, buildMs: performance.now() - t1 };
};

/**
 * Every unit's digest in one pass, in one transaction (see digestRows), every row written in one set-based
 * insert. The dedupe keys (`digest:<unit>:<day>`, `…:manager`) make each once a day, whichever replica writes first.
 */
const digestAll = async (args: { ctx: UseCaseContext; repos: Repositories; now: Date; today: string }): Promise<number> => {
  const { ctx, repos, now, today } = args;
  const t0 = performance.now();
  const runs = await repos.digest.runs(today);
  const units = ctx.directory.org.units.filter((unit) => !runs.done.has(unit.id));
  if (units.length === 0) return 0;
  const built = await digestRows({ ctx, repos, now, today, units, lastRun: runs.lastBefore });
  const t2 = performance.now();
  const written = await repos.outbox.enqueueMany(built.rows);
  const perUnit = new Map<string, number>();
  for (const key of written) {
    const unitId = key.split(':')[1] as string;
    perUnit.set(unitId, (perUnit.get(unitId) ?? 0) + 1);
  }
  await repos.digest.recordRuns([...perUnit].map(([unitId, messages]) => ({ unitId, day: today, at: now, messages })));
  lastPhases = { readMs: t2 - t0 - built.buildMs, buildMs: built.buildMs, insertMs: performance.now() - t2, deadlines: built.deadlines, rows: built.rows.length };
  return written.size;
};

/**
 * The daily digests: skipped on weekends and bank holidays unless forced. Safe to run on every replica and
 * again after a restart: each unit's rows carry `digest:<unit>:<local date>` keys, so each is written once.
 */
export const runDigests = async (args: { ctx: UseCaseContext; force?: boolean }): Promise<{ digests: number }> => {
  const { ctx } = args;
  const now = ctx.clock.now();
  const { calendar } = ctx.directory;
  if (!args.force && !isWorkingDay({ calendar, at: now })) return { digests: 0 };
  const today = localDate({ calendar, at: now });
  const digests = await ctx.store.transaction((repos) => digestAll({ ctx, repos, now, today }));
  if (digests > 0) ctx.onCommitted?.({ outbox: true, deadlines: false });
  ctx.logger.info({ digests, date: today, ...(digests > 0 ? lastPhases : {}) }, 'digests written');
  return { digests };
};
