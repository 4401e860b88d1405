import type { DeadlineRow } from '../db/deadlines.repository.js';
import type { Owner } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { DEADLINE_LABELS, type DeadlineKind, type Recipient } from '../domain/workflow.types.js';
import { formatLateness, localDateTime } from '../domain/time/time-format.js';
import { actionButtons, refOf } from '../presenters/item-message.presenter.js';
import { formatDuration, formatWorkingDuration, loadCaseHistory } from './case-history.js';
import { chasePlanLine } from './chase-plan.js';
import { changeLines } from './item-changes.js';
import type { ChatAction, ChatMessage } from './chat-message.js';
import type { UseCaseContext } from './context.js';
import { resolveRecipient } from './effects.js';
import { orgViewFor } from './org-view.js';
import { type ItemRecord, dutyUnitsOf } from './workflows/workflow-module.js';

/** Slack allows 25 elements in an actions block; a queue longer than this says how many more there are. */
const MAX_ACTIONS = 25;
const MAX_LINES = 40;

export interface QueueEntry {
  deadline: DeadlineRow;
  ref: string;
  crn: string;
  overdue: boolean;
  actions: ChatAction[];
}

const toRecipient = (owner: Owner): Recipient | null => {
  if (owner.kind === 'person' && owner.personId) return { kind: 'person', personId: owner.personId };
  if ((owner.kind === 'unitDuty' || owner.kind === 'unitManager' || owner.kind === 'unitSeniorManager') && owner.unitId) {
    return { kind: owner.kind, unitId: owner.unitId };
  }
  return null;
};

/** The open deadlines a person owes now (they are an owner and can act on it), earliest due first. */
export const queueFor = async (args: { ctx: UseCaseContext; personId: string }): Promise<QueueEntry[]> => {
  const { ctx, personId } = args;
  const { directory } = ctx;
  const repos = ctx.store.repos;
  const now = ctx.clock.now();
  const open = await repos.deadlines.open();
  const rows = new Map<string, Map<number, ItemRecord>>();
  for (const module of ctx.workflows.all()) {
    const ids = open.filter((d) => d.itemType === module.definition.itemType).map((d) => d.itemId);
    rows.set(module.definition.itemType, new Map((await module.table(repos).byIds(ids)).map((row: ItemRecord) => [row.id, row])));
  }
  const dutyUnits = ctx.workflows.all().flatMap((module) => [...(rows.get(module.definition.itemType)?.values() ?? [])].flatMap((row) => dutyUnitsOf(module, row)));
  const org = await orgViewFor({ repos, directory, now, dutyUnits });
  const entries: QueueEntry[] = [];
  for (const deadline of open) {
    let owes = false;
    for (const owner of deadline.owners) {
      const recipient = toRecipient(owner);
      if (recipient && (await resolveRecipient({ repos, directory, recipient, now })).personIds.includes(personId)) owes = true;
    }
    if (!owes) continue;
    const module = ctx.workflows.get(deadline.itemType);
    const row = rows.get(deadline.itemType)?.get(deadline.itemId);
    if (!module || !row) continue;
    const crn = row.crn;
    const actions = actionButtons({ module, row, personId, org, on: `deadline:${deadline.kind}` });
    if (actions.length === 0) continue;
    const ref = refOf(module, deadline.itemId);
    entries.push({ deadline, ref, crn, overdue: deadline.dueAt.getTime() <= now.getTime(), actions });
  }
  // Overdue first (most overdue at the top), then by due time.
  return entries.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.deadline.dueAt.getTime() - b.deadline.dueAt.getTime());
};

/** `/cases` (and the App Home tab): what I owe, overdue first, each item with its buttons. */
export const myQueue = async (args: { ctx: UseCaseContext; personId: string }): Promise<ChatMessage> => {
  const { ctx, personId } = args;
  if (!ctx.directory.person(personId)) throw new DomainError({ code: 'person.unknown' });
  const now = ctx.clock.now();
  const zone = ctx.directory.org.timezone;
  const entries = await queueFor({ ctx, personId });
  const overdue = entries.filter((entry) => entry.overdue).length;
  const lines = entries.slice(0, MAX_LINES).map((entry) => {
    const label = DEADLINE_LABELS[entry.deadline.kind as DeadlineKind] ?? entry.deadline.kind;
    const due = localDateTime({ timeZone: zone, at: entry.deadline.dueAt });
    const when = entry.overdue ? `OVERDUE by ${formatLateness(now.getTime() - entry.deadline.dueAt.getTime())} (due ${due})` : `due ${due}`;
    return `${entry.ref} · ${entry.crn} · ${label} · ${when}`;
  });
  if (entries.length > MAX_LINES) lines.push(`… and ${entries.length - MAX_LINES} more`);
  const actions = entries.flatMap((entry) => entry.actions.map((action) => ({ ...action, label: `${entry.ref}: ${action.label}` }))).slice(0, MAX_ACTIONS);
  const text = entries.length === 0 ? 'Nothing waiting for you.' : `${entries.length} item${entries.length === 1 ? '' : 's'} waiting for you, ${overdue} overdue`;
  return { text, title: 'My queue', fields: [], lines, actions };
};

/** `/cases X123456`: every item on the CRN with each decision (actor, role, time, rationale, step time) and deadline. */
export const timeline = async (args: { ctx: UseCaseContext; crn: string }): Promise<ChatMessage> => {
  const { ctx, crn } = args;
  const zone = ctx.directory.org.timezone;
  const history = await loadCaseHistory({ ctx, crn, now: ctx.clock.now() });
  if (history.items.length === 0) {
    return { text: `Nothing recorded for ${crn}.`, title: `Timeline for ${crn}`, fields: [], lines: [], actions: [] };
  }
  const lines: string[] = [];
  for (const item of history.items) {
    lines.push(`${item.ref} · ${item.heading} · ${item.stateLabel}`);
    for (const step of item.steps) {
      const d = step.decision;
      const took = step.elapsedMs === null ? '' : ` · took ${formatDuration(step.elapsedMs)} (${formatWorkingDuration(step.workingMs)} working)`;
      const rationale = d.rationale ? ` · “${d.rationale}”` : '';
      const behalf = d.onBehalfOf ? ` on behalf of ${history.nameOf(d.onBehalfOf)} (${d.onBehalfRole})` : '';
      lines.push(`  ${localDateTime({ timeZone: zone, at: d.decidedAt })} · ${step.actorName} (${d.actorRole})${behalf} · ${d.action.replaceAll('_', ' ')}${rationale}${took}`);
      for (const line of d.changes?.length ? changeLines({ changes: d.changes, directory: ctx.directory }) : []) lines.push(`    ${line}`);
    }
    for (const entry of item.deadlines) {
      lines.push(`  Deadline ${entry.label}: due ${localDateTime({ timeZone: zone, at: entry.deadline.dueAt })}, ${entry.outcome}`);
      if (!entry.deadline.metAt) lines.push(await chasePlanLine({ ctx, deadline: entry.deadline }));
    }
  }
  return {
    text: `Timeline for ${crn}: ${history.items.length} item${history.items.length === 1 ? '' : 's'}`,
    title: `Timeline for ${crn}`,
    fields: [
      { label: 'CRN', value: crn },
      { label: 'Items', value: history.items.map((item) => `${item.ref} (${item.stateLabel})`).join(', ') },
    ],
    lines,
    actions: [],
  };
};
