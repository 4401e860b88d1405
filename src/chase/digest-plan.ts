import type { OrgUnit } from '../config/org.schema.js';
import type { DueRow } from '../db/digest.repository.js';
import type { ReferralRow } from '../db/items.repository.js';
import { resolveDuty } from '../domain/duty-rota.js';
import type { OrgView } from '../domain/policy/org-view.js';
import { formatLateness, localDateTime } from '../domain/time/time-format.js';
import { localDate } from '../domain/time/working-time.js';
import { type ChatAction, itemRef } from '../use-cases/chat-message.js';
import type { DigestEntry, ReleaseCallout } from '../use-cases/digest-messages.js';
import type { Directory } from '../use-cases/directory.js';
import { type ChasedItem, deadlineButtons, deadlineLabel } from '../use-cases/reminder-messages.js';
import type { WorkflowRegistry } from '../use-cases/workflows/workflow-module.js';

/** Buttons in a manager's digest DM (Slack allows 25 elements per actions block; a phone screen fewer). */
export const MANAGER_ACTIONS = 20;

/** One unit's share of the morning: its own deadlines, the referrals it made that a provider owes, and call-outs. */
export interface UnitDigest {
  overdue: DigestEntry[];
  dueToday: DigestEntry[];
  referred: DigestEntry[];
  releaseSoon: ReleaseCallout[];
  actions: ChatAction[];
}

const emptyDigest = (): UnitDigest => ({ overdue: [], dueToday: [], referred: [], releaseSoon: [], actions: [] });

/** Today's duty of every unit: the day's newest /duty change, else the unit's rota for the weekday, else its default. */
export const dutyOfDay = (args: { directory: Directory; day: string; changes: ReadonlyMap<string, string[]> }): Map<string, readonly string[]> =>
  new Map(
    args.directory.org.units.map((unit) => {
      const personIds = args.changes.get(unit.id);
      const change = personIds ? { id: 0, personIds, setBy: null, setAt: new Date(0) } : undefined;
      return [unit.id, resolveDuty({ date: args.day, change, rota: unit.rota, defaultDuty: unit.duty }).personIds];
    }),
  );

/** Who owes a deadline, in words, from the day's duty snapshot (as `resolveOwners` says it, without the store). */
export const owedByOf = (args: { directory: Directory; owners: DueRow['deadline']['owners']; duty: ReadonlyMap<string, readonly string[]> }): string => {
  const { directory } = args;
  const names: string[] = [];
  for (const owner of args.owners) {
    const unit = owner.unitId ? directory.unit(owner.unitId) : undefined;
    if (owner.kind === 'person' && owner.personId) names.push(directory.nameOf(owner.personId));
    else if (owner.kind === 'unitManager' && unit) names.push(directory.nameOf(unit.manager));
    else if (owner.kind === 'unitSeniorManager' && unit) names.push(directory.nameOf(unit.seniorManager ?? unit.manager));
    else if (owner.kind === 'unitDuty' && unit) {
      const duty = args.duty.get(unit.id) ?? [];
      names.push(duty.length > 0 ? duty.map((id) => directory.nameOf(id)).join(', ') : `${directory.nameOf(unit.manager)} (duty desk uncovered)`);
    }
  }
  return names.filter(Boolean).join(', ') || 'nobody on record';
};

const chasedItemOf = (row: DueRow): ChasedItem | null => {
  if (row.deadline.itemType === 'escalation' && row.escalation) return { itemType: 'escalation', row: row.escalation };
  if (row.deadline.itemType === 'referral' && row.referral) return { itemType: 'referral', row: row.referral };
  return null;
};

/** A key for an owner list: the same owners, in the same order, owe in the same words all morning. */
const ownersKey = (owners: DueRow['deadline']['owners']) => {
  let key = '';
  for (const owner of owners) key += `${owner.kind}\u0000${owner.personId ?? ''}\u0000${owner.unitId ?? ''}\u0001`;
  return key;
};

/**
 * Every unit's digest from one read of the morning, grouped in memory and built without the store: each deadline
 * goes to the unit that owes it, and an overdue referral step also to the unit that made the referral (with the
 * provider named), so the referring team sees it too. Synchronous, one pass over the rows; what is the same for
 * many rows (who owes an owner list, a local due time) is worked out once per distinct value.
 */
export const groupDigests = (args: {
  directory: Directory;
  workflows: WorkflowRegistry;
  org: OrgView;
  duty: ReadonlyMap<string, readonly string[]>;
  due: DueRow[];
  releaseSoon: ReferralRow[];
  now: Date;
  today: string;
}): Map<string, UnitDigest> => {
  const { directory, now } = args;
  const nowMs = now.getTime();
  const timeZone = directory.org.timezone;
  const byUnit = new Map<string, UnitDigest>();
  const of = (unitId: string) => {
    let found = byUnit.get(unitId);
    if (!found) {
      found = emptyDigest();
      byUnit.set(unitId, found);
    }
    return found;
  };
  const unitName = (unitId: string) => directory.unit(unitId)?.name ?? unitId;
  const owedByMemo = new Map<string, string>();
  const owedBy = (owners: DueRow['deadline']['owners']) => {
    const key = ownersKey(owners);
    let found = owedByMemo.get(key);
    if (found === undefined) {
      found = owedByOf({ directory, owners, duty: args.duty });
      owedByMemo.set(key, found);
    }
    return found;
  };
  const dueTimeMemo = new Map<number, string>();
  // Formatting a local time is slow: only due-today entries show it, once per distinct time.
  const dueTime = (at: Date) => {
    let found = dueTimeMemo.get(at.getTime());
    if (found === undefined) {
      found = localDateTime({ timeZone, at }).split(', ')[1] ?? '';
      dueTimeMemo.set(at.getTime(), found);
    }
    return found;
  };
  const addButtons = (digest: UnitDigest, unit: OrgUnit | undefined, item: ChasedItem, kind: string, ref: string) => {
    if (!unit || digest.actions.length >= MANAGER_ACTIONS) return;
    for (const action of deadlineButtons({ workflows: args.workflows, item, kind, personId: unit.manager, org: args.org })) digest.actions.push({ ...action, label: `${action.label} ${ref}` });
  };
  for (const row of args.due) {
    const { deadline } = row;
    const dueMs = deadline.dueAt.getTime();
    const isOverdue = dueMs <= nowMs;
    if (!isOverdue && localDate({ calendar: directory.calendar, at: deadline.dueAt }) !== args.today) continue;
    const item = chasedItemOf(row);
    if (!item) continue;
    const ref = itemRef(item.itemType, item.row.id);
    const entry: DigestEntry = {
      ref,
      crn: item.row.crn,
      kindLabel: deadlineLabel(deadline.kind),
      owedBy: owedBy(deadline.owners),
      late: isOverdue ? formatLateness(nowMs - dueMs) : null,
      dueTime: isOverdue ? '' : dueTime(deadline.dueAt),
    };
    const owing = of(deadline.unitId);
    (isOverdue ? owing.overdue : owing.dueToday).push(entry);
    if (isOverdue) addButtons(owing, directory.unit(deadline.unitId), item, deadline.kind, ref);
    const sender = item.itemType === 'referral' ? item.row.senderUnitId : null;
    if (isOverdue && sender && sender !== deadline.unitId) {
      const referring = of(sender);
      referring.referred.push({ ...entry, owedBy: `${unitName(deadline.unitId)} (${entry.owedBy})` });
      addButtons(referring, directory.unit(sender), item, deadline.kind, ref);
    }
  }
  for (const referral of args.releaseSoon) {
    const callout: ReleaseCallout = { ref: itemRef('referral', referral.id), crn: referral.crn, release: referral.releaseDate, provider: unitName(referral.providerUnitId) };
    for (const unitId of new Set([referral.senderUnitId, referral.providerUnitId])) of(unitId).releaseSoon.push(callout);
  }
  return byUnit;
};

/** The local date `days` days after `day` (YYYY-MM-DD, calendar arithmetic: no time zone involved). */
export const daysAfter = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
