import type { DeadlineRow } from '../db/deadlines.repository.js';
import type { DutyRow } from '../db/duty.repository.js';
import type { Repositories } from '../db/store.js';
import { resolveDuty } from '../domain/duty-rota.js';
import type { OrgView } from '../domain/policy/org-view.js';
import { localDate } from '../domain/time/working-time.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { coverAt, orgViewWithDuty } from '../use-cases/org-view.js';
import type { ChasedItem } from '../use-cases/reminder-messages.js';
import { absencesOnce } from './chase-recipients.js';

/**
 * What one sweep batch reads before it plans anything, each in one query: the claimed deadlines' items (one query
 * per item type), today's duty rota of every unit, and who the bot can reach on Teams. Planning then runs over
 * this snapshot without a round trip per deadline (inside the batch's transaction nothing else changes it).
 */
export interface SweepSnapshot {
  itemOf(deadline: DeadlineRow): ChasedItem | null;
  /** Today's duty of a unit as dutyToday() reads it: the newest /duty change, else the weekly rota, else the default. */
  dutyOf(unitId: string): readonly string[];
  /** The org view role policies see for an item: duty of just these units (as orgViewFor builds it). */
  orgView(dutyUnits: readonly string[]): OrgView;
  teamsReachable: ReadonlySet<string>;
  /** The batch's repositories with items and today's duty served from the snapshot (for code that still asks). */
  repos: Repositories;
}

export const loadSweepSnapshot = async (args: { ctx: UseCaseContext; repos: Repositories; due: DeadlineRow[]; now: Date }): Promise<SweepSnapshot> => {
  const { ctx, repos, due, now } = args;
  const { directory } = ctx;
  const idsOf = (type: string) => [...new Set(due.filter((deadline) => deadline.itemType === type).map((deadline) => deadline.itemId))];
  const escalationIds = idsOf('escalation');
  const referralIds = idsOf('referral');
  const escalations = new Map(escalationIds.length ? (await repos.items.escalationsByIds(escalationIds)).map((row) => [row.id, row]) : []);
  const referrals = new Map(referralIds.length ? (await repos.items.referralsByIds(referralIds)).map((row) => [row.id, row]) : []);
  const today = localDate({ calendar: directory.calendar, at: now });
  const changes = new Map<string, DutyRow>((await repos.duty.latestOnDate({ onDate: today })).map((row) => [row.unitId, row]));
  const teamsReachable = await repos.teams.reachable();
  const cover = await coverAt({ repos, now });
  const dutyCache = new Map<string, readonly string[]>();
  // Today's duty as dutyToday() answers it: the newest change covering today, else the weekly rota, else the default.
  const dutyOf = (unitId: string): readonly string[] => {
    const hit = dutyCache.get(unitId);
    if (hit) return hit;
    const unit = directory.unit(unitId);
    const personIds = resolveDuty({ date: today, change: changes.get(unitId), rota: unit?.rota, defaultDuty: unit?.duty ?? [] }).personIds;
    dutyCache.set(unitId, personIds);
    return personIds;
  };
  const views = new Map<string, OrgView>();
  return {
    itemOf: (deadline) => {
      if (deadline.itemType === 'escalation') {
        const row = escalations.get(deadline.itemId);
        return row ? { itemType: 'escalation', row } : null;
      }
      const row = referrals.get(deadline.itemId);
      return row ? { itemType: 'referral', row } : null;
    },
    dutyOf,
    orgView: (dutyUnits) => {
      const key = [...new Set(dutyUnits)].sort().join('\u0000');
      let view = views.get(key);
      if (!view) {
        view = orgViewWithDuty({ directory, duty: new Map([...new Set(dutyUnits)].map((unitId) => [unitId, dutyOf(unitId)])), cover });
        views.set(key, view);
      }
      return view;
    },
    teamsReachable,
    repos: {
      ...repos,
      absences: absencesOnce(repos), // who is away, read once per batch
      items: {
        ...repos.items,
        escalation: async (id) => escalations.get(id) ?? repos.items.escalation(id),
        referral: async (id) => referrals.get(id) ?? repos.items.referral(id),
      },
      duty: {
        ...repos.duty,
        latest: async (query) => (query.onDate === today ? changes.get(query.unitId) : repos.duty.latest(query)),
      },
    },
  };
};
