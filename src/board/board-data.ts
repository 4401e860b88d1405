import type { BoardRepository } from '../db/board.repository.js';
import type { DeadlineRow } from '../db/deadlines.repository.js';
import { ESCALATION_STATE_LABELS, type EscalationState } from '../domain/escalation.machine.js';
import { REFERRAL_STATE_LABELS, type ReferralState } from '../domain/referral.machine.js';
import { DEADLINE_LABELS, type DeadlineKind } from '../domain/workflow.types.js';
import { localDate } from '../domain/working-time.js';
import { type HistoryItem, loadCaseHistory } from '../use-cases/case-history.js';
import { itemRef, parseItemRef } from '../use-cases/chat-message.js';
import type { ChatAction } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { dutyToday } from '../use-cases/effects.js';
import { type BoardScope, maySeeItem, scopeUnits } from './board-access.js';
import { type BoardItem, boardActions, rolesOn } from './board-actions.js';

/** At most this many items per state on the units page (most urgent first); the count says how many more. */
export const ROWS_PER_STATE = 50;

export interface BoardRow {
  ref: string;
  crn: string;
  kind: 'Escalation' | 'Referral';
  state: string;
  stateLabel: string;
  route: string;
  next: { label: string; dueAt: Date; overdue: boolean } | null;
}

export interface UnitView {
  unitId: string;
  name: string;
  overseen: boolean;
  states: { state: string; label: string; total: number; rows: BoardRow[] }[];
  open: number;
  overdue: number;
  duty: { date: string; names: string[] }[];
}

const addDays = (date: string, days: number) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};

const itemUnits = (item: BoardItem) =>
  item.itemType === 'escalation' ? [item.row.senderUnitId, item.row.receivingUnitId] : [item.row.senderUnitId, item.row.providerUnitId];
const workUnit = (item: BoardItem) => (item.itemType === 'escalation' ? item.row.receivingUnitId : item.row.providerUnitId);

/** The "my units" page: open items by state (overdue first, then by due time), and the duty for the week. */
export const loadUnits = async (args: { ctx: UseCaseContext; repo: BoardRepository; scope: BoardScope }): Promise<UnitView[]> => {
  const { ctx, repo, scope } = args;
  const { directory } = ctx;
  const repos = ctx.store.repos;
  const now = ctx.clock.now();
  const unitIds = scopeUnits(scope);
  const [escalations, referrals, open] = await Promise.all([repo.openEscalations(unitIds), repo.openReferrals(unitIds), repo.openDeadlinesOfUnits(unitIds)]);
  const nextDue = new Map<string, DeadlineRow>();
  for (const deadline of open) {
    const key = `${deadline.itemType}:${deadline.itemId}`;
    const seen = nextDue.get(key);
    if (!seen || deadline.dueAt.getTime() < seen.dueAt.getTime()) nextDue.set(key, deadline);
  }
  const duty = new Map<string, string[]>();
  for (const unitId of new Set([...unitIds, ...escalations.map((r) => r.receivingUnitId), ...referrals.map((r) => r.providerUnitId)])) {
    duty.set(unitId, await dutyToday({ repos, directory, unitId, now }));
  }
  const items: BoardItem[] = [
    ...escalations.map((row): BoardItem => ({ itemType: 'escalation', row })),
    ...referrals.map((row): BoardItem => ({ itemType: 'referral', row })),
  ];
  const today = localDate({ calendar: directory.calendar, at: now });
  const views: UnitView[] = [];
  for (const unitId of unitIds) {
    const unit = directory.unit(unitId);
    if (!unit) continue;
    const overseen = scope.overseen.has(unitId);
    const rows: BoardRow[] = [];
    for (const item of items) {
      const units = itemUnits(item);
      if (!units.includes(unitId)) continue;
      const visible = overseen || maySeeItem({ scope, unitIds: units, roleCount: rolesOn({ ctx, item, personId: scope.personId, duty: duty.get(workUnit(item)) ?? [] }).size });
      if (!visible) continue;
      const deadline = nextDue.get(`${item.itemType}:${item.row.id}`);
      const ref = itemRef(item.itemType, item.row.id);
      rows.push({
        ref,
        crn: item.row.crn,
        kind: item.itemType === 'escalation' ? 'Escalation' : 'Referral',
        state: item.row.state,
        stateLabel:
          item.itemType === 'escalation'
            ? (ESCALATION_STATE_LABELS[item.row.state as EscalationState] ?? item.row.state)
            : (REFERRAL_STATE_LABELS[item.row.state as ReferralState] ?? item.row.state),
        route: units[0] === unitId ? `to ${directory.unit(units[1] as string)?.name ?? units[1]}` : `from ${directory.unit(units[0] as string)?.name ?? units[0]}`,
        next: deadline
          ? { label: DEADLINE_LABELS[deadline.kind as DeadlineKind] ?? deadline.kind, dueAt: deadline.dueAt, overdue: deadline.dueAt.getTime() <= now.getTime() }
          : null,
      });
    }
    rows.sort(
      (a, b) =>
        Number(b.next?.overdue ?? false) - Number(a.next?.overdue ?? false) ||
        (a.next?.dueAt.getTime() ?? Infinity) - (b.next?.dueAt.getTime() ?? Infinity) ||
        a.ref.localeCompare(b.ref),
    );
    const byState = new Map<string, BoardRow[]>();
    for (const row of rows) byState.set(row.state, [...(byState.get(row.state) ?? []), row]);
    const weekDuty: { date: string; names: string[] }[] = [];
    for (let day = 0; day < 7; day += 1) {
      const date = addDays(today, day);
      const change = await repos.duty.latest({ unitId, onDate: date });
      weekDuty.push({ date, names: (change ? change.personIds : unit.duty).map((id) => directory.nameOf(id)) });
    }
    views.push({
      unitId,
      name: unit.name,
      overseen,
      states: [...byState.entries()].map(([state, list]) => ({ state, label: list[0]?.stateLabel ?? state, total: list.length, rows: list.slice(0, ROWS_PER_STATE) })),
      open: rows.length,
      overdue: rows.filter((row) => row.next?.overdue).length,
      duty: weekDuty,
    });
  }
  return views;
};

export type ItemLookup =
  | { kind: 'not_found' }
  | { kind: 'forbidden'; ref: string }
  | { kind: 'ok'; item: BoardItem; ref: string; history: HistoryItem; actions: ChatAction[] };

/** One item for the item page, or a refusal that carries nothing of the case. Every view is audited. */
export const loadItem = async (args: { ctx: UseCaseContext; scope: BoardScope; ref: string }): Promise<ItemLookup> => {
  const { ctx, scope } = args;
  const parsed = parseItemRef(args.ref);
  if (!parsed) return { kind: 'not_found' };
  const repos = ctx.store.repos;
  const now = ctx.clock.now();
  const item: BoardItem | null =
    parsed.itemType === 'escalation'
      ? (await repos.items.escalation(parsed.id).then((row) => (row ? { itemType: 'escalation' as const, row } : null)))
      : (await repos.items.referral(parsed.id).then((row) => (row ? { itemType: 'referral' as const, row } : null)));
  if (!item) return { kind: 'not_found' };
  const ref = itemRef(item.itemType, item.row.id);
  const duty = await dutyToday({ repos, directory: ctx.directory, unitId: workUnit(item), now });
  const roles = rolesOn({ ctx, item, personId: scope.personId, duty });
  if (!maySeeItem({ scope, unitIds: itemUnits(item), roleCount: roles.size })) {
    await repos.records.audit({ at: now, actorId: scope.personId, event: 'board.item_refused', itemType: item.itemType, itemId: item.row.id, crn: item.row.crn, details: { ref } });
    return { kind: 'forbidden', ref };
  }
  const history = (await loadCaseHistory({ ctx, crn: item.row.crn, now })).items.find((entry) => entry.itemType === item.itemType && entry.id === item.row.id);
  if (!history) return { kind: 'not_found' };
  await repos.records.audit({ at: now, actorId: scope.personId, event: 'board.item_viewed', itemType: item.itemType, itemId: item.row.id, crn: item.row.crn, details: { ref } });
  return { kind: 'ok', item, ref, history, actions: boardActions({ ctx, item, personId: scope.personId, duty }) };
};
