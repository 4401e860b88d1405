import type { DeadlineRow } from '../db/deadlines.repository.js';
import type { AuditRow, DecisionRow } from '../db/records.repository.js';
import { stateWords } from '../words/catalogue.js';
import { DEADLINE_LABELS, type DeadlineKind, type ItemType } from '../domain/workflow.types.js';
import { formatLateness } from '../domain/time/time-format.js';
import { workingMsBetween } from '../domain/time/working-time.js';
import { itemRef } from './chat-message.js';
import type { UseCaseContext } from './context.js';

/** What reading a case's history needs: the store and the directory (the export script has no chat). */
export type HistoryContext = Pick<UseCaseContext, 'store' | 'directory'>;

export interface HistoryStep {
  decision: DecisionRow;
  actorName: string;
  /** Time since the item's previous decision (null for the first). */
  elapsedMs: number | null;
  workingMs: number | null;
}

export interface HistoryDeadline {
  deadline: DeadlineRow;
  label: string;
  /** 'met' | 'late' | 'ended' (closed by a decline/withdrawal) | 'replaced' | 'open' | 'overdue' */
  status: 'met' | 'late' | 'ended' | 'replaced' | 'open' | 'overdue';
  /** Plain words, e.g. "met on time", "met 2 days 3 h late", "overdue by 4 h". */
  outcome: string;
  endedBy: string | null;
}

export interface HistoryItem {
  itemType: ItemType;
  id: number;
  ref: string;
  state: string;
  stateLabel: string;
  raisedBy: string;
  createdAt: Date;
  closedAt: Date | null;
  /** Sender → receiver, with the kind of item. */
  heading: string;
  steps: HistoryStep[];
  deadlines: HistoryDeadline[];
}

export interface CaseHistory {
  crn: string;
  items: HistoryItem[];
  audit: AuditRow[];
  nameOf(id: string | null | undefined): string;
}

/** Actions that close an item without doing the deadline's work. */
const ENDING_ACTIONS = new Set(['decline', 'withdraw', 'return_misallocated']);

const describeDeadline = (args: { deadline: DeadlineRow; decisions: DecisionRow[]; now: Date; nameOf: (id: string) => string }): HistoryDeadline => {
  const { deadline, now } = args;
  const label = DEADLINE_LABELS[deadline.kind as DeadlineKind] ?? deadline.kind;
  const base = { deadline, label };
  if (!deadline.metAt) {
    const late = now.getTime() - deadline.dueAt.getTime();
    return late > 0 ? { ...base, status: 'overdue', outcome: `overdue by ${formatLateness(late)}`, endedBy: null } : { ...base, status: 'open', outcome: 'open', endedBy: null };
  }
  if (!deadline.metBy) return { ...base, status: 'replaced', outcome: 'replaced by a new deadline of the same kind', endedBy: null };
  const decision = args.decisions.find((entry) => entry.decidedAt.getTime() === deadline.metAt?.getTime() && entry.actorId === deadline.metBy);
  const by = `${args.nameOf(deadline.metBy)}${decision ? `, ${decision.action}` : ''}`;
  if (decision && ENDING_ACTIONS.has(decision.action)) return { ...base, status: 'ended', outcome: `ended by ${by}`, endedBy: deadline.metBy };
  const late = deadline.metAt.getTime() - deadline.dueAt.getTime();
  return late > 0
    ? { ...base, status: 'late', outcome: `met ${formatLateness(late)} late (${by})`, endedBy: deadline.metBy }
    : { ...base, status: 'met', outcome: `met on time (${by})`, endedBy: deadline.metBy };
};

/** Every escalation and referral on a CRN, each with its decisions (in order, with step durations) and deadlines. */
export const loadCaseHistory = async (args: { ctx: HistoryContext; crn: string; now: Date }): Promise<CaseHistory> => {
  const { ctx, crn, now } = args;
  const { repos } = ctx.store;
  const { directory } = ctx;
  const stored = await repos.org.names();
  const nameOf = (id: string | null | undefined) => (id ? (directory.person(id)?.name ?? stored.get(id) ?? id) : '—');
  const unitName = (id: string) => directory.unit(id)?.name ?? id;
  const escalations = await repos.items.escalationsByCrn(crn);
  const referrals = await repos.items.referralsByCrn(crn);
  const keys = [...escalations.map((row) => ({ itemType: 'escalation', itemId: row.id })), ...referrals.map((row) => ({ itemType: 'referral', itemId: row.id }))];
  const decisions = await repos.records.decisionsFor(keys);
  const build = async (base: Omit<HistoryItem, 'steps' | 'deadlines' | 'ref'>): Promise<HistoryItem> => {
    const own = decisions.filter((entry) => entry.itemType === base.itemType && entry.itemId === base.id);
    const steps = own.map((decision, index): HistoryStep => {
      const previous = index > 0 ? own[index - 1] : undefined;
      return {
        decision,
        actorName: nameOf(decision.actorId),
        elapsedMs: previous ? decision.decidedAt.getTime() - previous.decidedAt.getTime() : null,
        workingMs: previous ? workingMsBetween({ calendar: directory.calendar, from: previous.decidedAt, to: decision.decidedAt }) : null,
      };
    });
    const rows = await repos.deadlines.forItem({ itemType: base.itemType, itemId: base.id });
    const deadlines = rows.map((deadline) => describeDeadline({ deadline, decisions: own, now, nameOf }));
    return { ...base, ref: itemRef(base.itemType, base.id), steps, deadlines };
  };
  const items: HistoryItem[] = [];
  for (const row of escalations) {
    items.push(
      await build({
        itemType: 'escalation',
        id: row.id,
        state: row.state,
        raisedBy: row.raisedBy,
        createdAt: row.createdAt,
        closedAt: row.closedAt,
        stateLabel: stateWords(row.state, 'escalation'),
        heading: `Risk escalation, ${unitName(row.senderUnitId)} → ${unitName(row.receivingUnitId)}${row.oasysRef ? `, OASys assessment ${row.oasysRef}` : ''}`,
      }),
    );
  }
  for (const row of referrals) {
    items.push(
      await build({
        itemType: 'referral',
        id: row.id,
        state: row.state,
        raisedBy: row.raisedBy,
        createdAt: row.createdAt,
        closedAt: row.closedAt,
        stateLabel: stateWords(row.state, 'referral'),
        heading: `Referral (${row.referralType}), ${unitName(row.senderUnitId)} → ${unitName(row.providerUnitId)}, release ${row.releaseDate}`,
      }),
    );
  }
  items.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.ref.localeCompare(b.ref));
  return { crn, items, audit: await repos.records.auditForCrn(crn), nameOf };
};

export const formatDuration = (ms: number | null) => (ms === null ? '' : formatLateness(ms));

/** Working time in hours and minutes ("8 h", "112 h 30 min"): a working day is not 24 hours. */
export const formatWorkingDuration = (ms: number | null) => {
  if (ms === null) return '';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest ? `${Math.floor(minutes / 60)} h ${rest} min` : `${Math.floor(minutes / 60)} h`;
};
