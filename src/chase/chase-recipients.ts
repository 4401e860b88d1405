import type { DeadlineRow } from '../db/deadlines.repository.js';
import type { Repositories } from '../db/store.js';
import { rungPeople } from '../domain/chase-rungs.js';
import type { OrgView } from '../domain/policy/org-view.js';
import type { ChaseFacts, Rung } from '../domain/reminder-ladder.js';
import { orgViewWithDuty } from '../use-cases/org-view.js';
import type { Recipient } from '../domain/workflow.types.js';
import type { Directory } from '../use-cases/directory.js';
import { resolveRecipient } from '../use-cases/effects.js';
import type { ChasedItem } from '../use-cases/reminder-messages.js';

export interface Owed {
  personIds: string[];
  owedBy: string;
}

/** Who owes a deadline now: its owners, with an uncovered duty desk resolved to the unit manager. */
export const resolveOwners = async (args: { repos: Repositories; directory: Directory; deadline: DeadlineRow; now: Date }): Promise<Owed> => {
  const personIds: string[] = [];
  const names: string[] = [];
  for (const owner of args.deadline.owners) {
    const resolved = await resolveRecipient({ repos: args.repos, directory: args.directory, recipient: owner as unknown as Recipient, now: args.now });
    for (const id of resolved.personIds) if (!personIds.includes(id)) personIds.push(id);
    const who = resolved.personIds.map((id) => args.directory.nameOf(id)).join(', ');
    names.push(resolved.uncovered ? `${who} (duty desk uncovered)` : who);
  }
  return { personIds, owedBy: names.filter(Boolean).join(', ') || 'nobody on record' };
};

/**
 * The people one rung of the chase goes to: the pure choice in domain/chase-rungs.ts over the sweep's snapshot
 * (`org`: units, today's duty, who is away). Without a snapshot, the org file's units with nobody away.
 */
export const rungRecipients = (args: { directory: Directory; deadline: DeadlineRow; rung: Rung; owed: Owed; canAct: (personId: string) => boolean; org?: OrgView }): string[] => {
  const org = args.org ?? orgViewWithDuty({ directory: args.directory, duty: new Map() });
  return rungPeople({ rung: args.rung, owners: args.owed.personIds, unitId: args.deadline.unitId, org, canAct: args.canAct });
};

/** The escalation or referral a deadline belongs to. */
export const loadChasedItem = async (args: { repos: Repositories; deadline: DeadlineRow }): Promise<ChasedItem | null> => {
  const { repos, deadline } = args;
  if (deadline.itemType === 'escalation') {
    const row = await repos.items.escalation(deadline.itemId);
    return row ? { itemType: 'escalation', row } : null;
  }
  const row = await repos.items.referral(deadline.itemId);
  return row ? { itemType: 'referral', row } : null;
};

/** The stored chase facts of a deadline row, as the ladder reads them. */
export const factsOf = (deadline: DeadlineRow): ChaseFacts => ({
  dueAt: deadline.dueAt,
  urgent: deadline.urgent,
  ownerRemindersSent: deadline.ownerRemindersSent,
  lastOwnerReminderAt: deadline.lastOwnerReminderAt,
  managerRemindedAt: deadline.managerRemindedAt,
  seniorRemindedAt: deadline.seniorRemindedAt,
});

/** The absences repository with `notOverAt` read once per moment: a sweep batch's snapshot of who is away. */
export const absencesOnce = (repos: Repositories): Repositories['absences'] => {
  const cache = new Map<number, ReturnType<Repositories['absences']['notOverAt']>>();
  return {
    ...repos.absences,
    notOverAt: (at) => {
      const hit = cache.get(at.getTime()) ?? repos.absences.notOverAt(at);
      cache.set(at.getTime(), hit);
      return hit;
    },
  };
};
