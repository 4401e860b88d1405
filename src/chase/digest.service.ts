import type { Repositories } from '../db/store.js';
import type { OrgUnit } from '../config/org.schema.js';
import { formatLateness, localDateTime } from '../domain/time/time-format.js';
import { isWorkingDay, localDate, startOfLocalDay } from '../domain/time/working-time.js';
import { type ChatAction, itemRef } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import type { Directory } from '../use-cases/directory.js';
import { dutyToday, enqueueMessage } from '../use-cases/effects.js';
import { orgViewFor } from '../use-cases/org-view.js';
import { dutyUnitsOf } from '../use-cases/workflows/workflow-module.js';
import { type DigestEntry, type DigestNotes, renderChannelDigest, renderManagerDigest } from '../use-cases/digest-messages.js';
import { type ChasedItem, deadlineButtons, deadlineLabel } from '../use-cases/reminder-messages.js';
import type { DeadlineRow } from '../db/deadlines.repository.js';
import { resolveOwners } from './deadline-sweeper.js';
import { reachNotes } from './reach-notes.js';

const DAY_MS = 86_400_000;
/** Buttons in a manager's digest DM (Slack allows 25 elements per actions block; a phone screen fewer). */
const MANAGER_ACTIONS = 20;

/** Everyone who belongs with a unit, for scoping undelivered messages and unreachable people. */
const unitPeople = (unit: OrgUnit) => new Set([unit.manager, ...unit.members, ...unit.duty]);

/** Does this unit keep a duty desk (it receives work, or the org file gives it a rota)? */
const hasDutyDesk = (directory: Directory, unit: OrgUnit) => unit.duty.length > 0 || unit.receives.length > 0 || directory.org.units.some((other) => other.escalatesTo === unit.id);

/** What every unit's notes are drawn from, read once per digest run (not once per unit). */
interface RunFacts {
  dead: Awaited<ReturnType<Repositories['outbox']['dead']>>;
  unreachableEvents: Awaited<ReturnType<Repositories['records']['auditEvents']>>;
}

const notesFor = async (args: { repos: Repositories; directory: Directory; unit: OrgUnit; now: Date; today: string; facts: RunFacts }): Promise<DigestNotes> => {
  const { repos, directory, unit, now } = args;
  const people = unitPeople(unit);
  const since = (await repos.digestRuns.lastBefore({ unitId: unit.id, day: args.today })) ?? new Date(now.getTime() - DAY_MS);
  const undelivered = args.facts.dead
    .filter((row) => row.createdAt.getTime() >= since.getTime())
    .filter((row) => (row.target.personId && people.has(row.target.personId)) || (row.target.kind === 'channel' && row.target.id === unit.channel.slack))
    .map((row) => {
      const about = row.itemType && row.itemId ? itemRef(row.itemType as 'escalation' | 'referral', row.itemId) : row.dedupeKey.split(':')[0];
      const to = row.target.personId ? directory.nameOf(row.target.personId) : `channel ${row.target.id}`;
      return `${about} to ${to} (${row.platform}, ${row.lastError ?? 'failed'})`;
    });
  const unreachable = new Set<string>();
  for (const event of args.facts.unreachableEvents) {
    if (event.at.getTime() < since.getTime()) continue;
    for (const id of (event.details.people as string[] | undefined) ?? []) if (people.has(id)) unreachable.add(directory.nameOf(id));
  }
  const uncovered = hasDutyDesk(directory, unit) && (await dutyToday({ repos, directory, unitId: unit.id, now })).length === 0;
  return { uncoveredFallback: uncovered ? directory.nameOf(unit.manager) : null, undelivered, unreachable: [...unreachable] };
};

/** Write one unit's digests (channel and manager DM) to the outbox; the dedupe keys make it once a day. */
const digestUnit = async (args: { ctx: UseCaseContext; repos: Repositories; unit: OrgUnit; now: Date; today: string; open: DeadlineRow[]; facts: RunFacts }): Promise<number> => {
  const { ctx, unit, now, today } = args;
  // One digest reads the same duty rota for every item: ask the store once per unit and day, not once per item.
  const dutyCache = new Map<string, ReturnType<Repositories['duty']['latest']>>();
  const repos: Repositories = {
    ...args.repos,
    duty: {
      ...args.repos.duty,
      latest: (query) => {
        const key = `${query.unitId}|${query.onDate}`;
        const cached = dutyCache.get(key) ?? args.repos.duty.latest(query);
        dutyCache.set(key, cached);
        return cached;
      },
    },
  };
  const { directory } = ctx;
  const timeZone = directory.org.timezone;
  const prefix = `digest:${unit.id}:${today}`;
  if (await repos.digestRuns.exists({ unitId: unit.id, day: today })) return 0;
  const open = args.open;
  // The unit's items in two queries, not one per deadline.
  const idsOf = (type: string) => open.filter((deadline) => deadline.itemType === type).map((deadline) => deadline.itemId);
  const items = new Map<string, ChasedItem>();
  for (const row of await repos.items.escalationsByIds(idsOf('escalation'))) items.set(`escalation:${row.id}`, { itemType: 'escalation', row });
  for (const row of await repos.items.referralsByIds(idsOf('referral'))) items.set(`referral:${row.id}`, { itemType: 'referral', row });
  const overdue: DigestEntry[] = [];
  const dueToday: DigestEntry[] = [];
  const actions: ChatAction[] = [];
  for (const deadline of open) {
    const isOverdue = deadline.dueAt.getTime() <= now.getTime();
    if (!isOverdue && localDate({ calendar: directory.calendar, at: deadline.dueAt }) !== today) continue;
    const item = items.get(`${deadline.itemType}:${deadline.itemId}`);
    if (!item) continue;
    const owed = await resolveOwners({ repos, directory, deadline, now });
    const ref = itemRef(item.itemType, item.row.id);
    const entry: DigestEntry = {
      ref,
      crn: item.row.crn,
      kindLabel: deadlineLabel(deadline.kind),
      owedBy: owed.owedBy,
      late: isOverdue ? formatLateness(now.getTime() - deadline.dueAt.getTime()) : null,
      // Formatting a local time is slow: only due-today entries show it.
      dueTime: isOverdue ? '' : (localDateTime({ timeZone, at: deadline.dueAt }).split(', ')[1] ?? ''),
    };
    (isOverdue ? overdue : dueToday).push(entry);
    if (isOverdue && actions.length < MANAGER_ACTIONS) {
      const module = ctx.workflows.get(item.itemType);
      const org = await orgViewFor({ repos, directory, now, dutyUnits: module ? dutyUnitsOf(module, item.row) : [] });
      for (const action of deadlineButtons({ workflows: ctx.workflows, item, kind: deadline.kind, personId: unit.manager, org })) {
        actions.push({ ...action, label: `${action.label} ${ref}` });
      }
    }
  }
  const notes = await notesFor({ repos, directory, unit, now, today, facts: args.facts });
  Object.assign(notes, await reachNotes({ ctx, repos, unit, now, today }));
  const dateLabel = localDateTime({ timeZone, at: now }).split(', ')[0] ?? today;
  let written = 0;
  if (ctx.reach.some((provider) => provider.unitChannel(unit))) {
    const message = renderChannelDigest({ unitName: unit.name, dateLabel, overdue, dueToday, notes });
    const result = await enqueueMessage({
      repos,
      directory,
      reach: ctx.reach,
      item: null,
      dedupePrefix: prefix,
      recipient: { personIds: [], channelOf: unit.id },
      intent: () => ({ kind: 'digest', unitId: unit.id, day: today, message }),
      now,
    });
    written += result.enqueued;
  }
  const hasNotes = notes.uncoveredFallback !== null || notes.undelivered.length > 0 || notes.unreachable.length > 0 || Boolean(notes.channelsNotReached?.length || notes.teamsInstallRefused?.length);
  if (overdue.length > 0 || hasNotes) {
    const message = renderManagerDigest({ unitName: unit.name, dateLabel, overdue, actions: actions.slice(0, MANAGER_ACTIONS), notes });
    const result = await enqueueMessage({
      repos,
      directory,
      reach: ctx.reach,
      item: null,
      dedupePrefix: `${prefix}:manager`,
      recipient: { personIds: [unit.manager] },
      intent: () => ({ kind: 'digest', unitId: unit.id, day: today, message }),
      now,
    });
    written += result.enqueued;
  }
  if (written > 0) await repos.digestRuns.record({ unitId: unit.id, day: today, at: now, messages: written });
  return written;
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
  let digests = 0;
  // Every open deadline once for the whole run, by unit (not the whole table once per unit).
  const openByUnit = new Map<string, DeadlineRow[]>();
  for (const deadline of await ctx.store.repos.deadlines.open()) openByUnit.set(deadline.unitId, [...(openByUnit.get(deadline.unitId) ?? []), deadline]);
  const facts: RunFacts = {
    dead: await ctx.store.repos.outbox.dead({ since: new Date(now.getTime() - 7 * DAY_MS) }),
    unreachableEvents: (await ctx.store.repos.records.auditEvents('person.unreachable')).filter((event) => event.at.getTime() >= now.getTime() - 7 * DAY_MS),
  };
  for (const unit of ctx.directory.org.units) {
    const open = openByUnit.get(unit.id) ?? [];
    digests += await ctx.store.transaction((repos) => digestUnit({ ctx, repos, unit, now, today, open, facts }));
  }
  if (digests > 0) ctx.onCommitted?.({ outbox: true, deadlines: false });
  ctx.logger.info({ digests, date: today }, 'digests written');
  return { digests };
};
