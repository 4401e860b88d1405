import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import type { OrgUnit } from '../../src/config/org.schema.js';
import { MANAGER_ACTIONS, type UnitDigest, owedByOf } from '../../src/chase/digest-plan.js';
import type { DigestPlanner } from '../../src/chase/digest.service.js';
import type { DueRow } from '../../src/db/digest.repository.js';
import type { Db } from '../../src/db/database.js';
import { deadlines, escalations, referrals } from '../../src/db/schema.js';
import type { OrgView } from '../../src/domain/policy/org-view.js';
import { formatLateness, localDateTime } from '../../src/domain/time/time-format.js';
import { localDate } from '../../src/domain/time/working-time.js';
import { actionsOn, allowedActions, needsForm } from '../../src/domain/workflows/workflow.js';
import { type ChatAction, itemRef } from '../../src/use-cases/chat-message.js';
import type { DigestEntry, ReleaseCallout } from '../../src/use-cases/digest-messages.js';
import { type ChasedItem, deadlineLabel } from '../../src/use-cases/reminder-messages.js';
import type { WorkflowRegistry } from '../../src/use-cases/workflows/workflow-module.js';
import { actionWords } from '../../src/words/catalogue.js';

/**
 * The digest's read and grouping as they were before the fast path (drizzle's select of every column of the three
 * tables; every row's owners put in words; buttons from every allowed action, then narrowed), kept here only so a
 * test can show the fast path writes the very same messages.
 */

/** The buttons as the presenter built them before: all allowed actions, then those that belong on the deadline. */
export const referenceButtons = (args: { workflows: WorkflowRegistry; item: ChasedItem; kind: string; personId: string; org: OrgView }): ChatAction[] => {
  const module = args.workflows.get(args.item.itemType);
  if (!module) return [];
  const { definition } = module;
  const only = new Set(actionsOn(definition, `deadline:${args.kind}`));
  if (only.size === 0) return [];
  const facts = module.facts(args.item.row);
  const roles = module.policy.roles({ facts, personId: args.personId, org: args.org });
  return allowedActions({ definition, facts, roles, actorId: args.personId })
    .filter((action) => only.has(action))
    .map((action) => ({
      id: `${definition.itemType}.${action}`,
      label: actionWords(definition.itemType, action).label,
      style: definition.actions[action]?.style,
      needsForm: needsForm(definition, action),
      itemType: definition.itemType as ChatAction['itemType'],
      itemId: args.item.row.id,
    }));
};

const chasedItemOf = (row: DueRow): ChasedItem | null => {
  if (row.deadline.itemType === 'escalation' && row.escalation) return { itemType: 'escalation', row: row.escalation };
  if (row.deadline.itemType === 'referral' && row.referral) return { itemType: 'referral', row: row.referral };
  return null;
};

const emptyDigest = (): UnitDigest => ({ overdue: [], dueToday: [], referred: [], releaseSoon: [], actions: [] });

const referenceGroup: DigestPlanner['group'] = (args) => {
  const { directory, now } = args;
  const timeZone = directory.org.timezone;
  const byUnit = new Map<string, UnitDigest>();
  const of = (unitId: string) => {
    const found = byUnit.get(unitId) ?? emptyDigest();
    byUnit.set(unitId, found);
    return found;
  };
  const unitName = (unitId: string) => directory.unit(unitId)?.name ?? unitId;
  const addButtons = (digest: UnitDigest, unit: OrgUnit | undefined, item: ChasedItem, kind: string, ref: string) => {
    if (!unit || digest.actions.length >= MANAGER_ACTIONS) return;
    for (const action of referenceButtons({ workflows: args.workflows, item, kind, personId: unit.manager, org: args.org })) digest.actions.push({ ...action, label: `${action.label} ${ref}` });
  };
  for (const row of args.due) {
    const { deadline } = row;
    const isOverdue = deadline.dueAt.getTime() <= now.getTime();
    if (!isOverdue && localDate({ calendar: directory.calendar, at: deadline.dueAt }) !== args.today) continue;
    const item = chasedItemOf(row);
    if (!item) continue;
    const ref = itemRef(item.itemType, item.row.id);
    const entry: DigestEntry = {
      ref,
      crn: item.row.crn,
      kindLabel: deadlineLabel(deadline.kind),
      owedBy: owedByOf({ directory, owners: deadline.owners, duty: args.duty }),
      late: isOverdue ? formatLateness(now.getTime() - deadline.dueAt.getTime()) : null,
      dueTime: isOverdue ? '' : (localDateTime({ timeZone, at: deadline.dueAt }).split(', ')[1] ?? ''),
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

/** drizzle's select of the due deadlines with their items, as the digest read them before. */
export const referenceDueBefore = (db: Db, before: Date): Promise<DueRow[]> =>
  db
    .select({ deadline: deadlines, escalation: escalations, referral: referrals })
    .from(deadlines)
    .leftJoin(escalations, and(eq(deadlines.itemType, 'escalation'), eq(escalations.id, deadlines.itemId)))
    .leftJoin(referrals, and(eq(deadlines.itemType, 'referral'), eq(referrals.id, deadlines.itemId)))
    .where(and(isNull(deadlines.metAt), lt(deadlines.dueAt, before)))
    .orderBy(asc(deadlines.dueAt), asc(deadlines.id));

/** The planner as it was: drizzle's read on the given database, the grouping above. */
export const referencePlanner = (db: Db): DigestPlanner => ({ dueBefore: (_repos, before) => referenceDueBefore(db, before), group: referenceGroup });
