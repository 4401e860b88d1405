import type { BoardRepository } from '../db/board.repository.js';
import { stateWords } from '../words/catalogue.js';
import { DEADLINE_LABELS, type DeadlineKind } from '../domain/workflow.types.js';
import { localDate } from '../domain/time/working-time.js';
import { type HistoryItem, loadCaseHistory } from '../use-cases/case-history.js';
import { itemRef, parseItemRef } from '../use-cases/chat-message.js';
import type { ChatAction } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { dutyToday } from '../use-cases/effects.js';
import { dutyOn } from '../use-cases/duty-rota.js';
import { type CoverSnapshot, effectiveDelegate, isAwayAt } from '../domain/policy/absence-cover.js';
import { coverAt, orgViewWithDuty } from '../use-cases/org-view.js';
import { type BoardScope, boardScope, maySeeItem, scopeUnits } from './board-access.js';
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

const itemUnits = (item: BoardItem) => (item.itemType === 'escalation' ? [item.row.senderUnitId, item.row.receivingUnitId] : [item.row.senderUnitId, item.row.providerUnitId]);
const workUnit = (item: BoardItem) => (item.itemType === 'escalation' ? item.row.receivingUnitId : item.row.providerUnitId);

/** The absent people whose delegate this person is at the snapshot's moment. */
const coveredBy = (args: { ctx: UseCaseContext; cover: CoverSnapshot; personId: string }): string[] => {
  const units = orgViewWithDuty({ directory: args.ctx.directory, duty: new Map(), cover: args.cover }).units();
  const absent = new Set(args.cover.absences.filter((absence) => isAwayAt(absence, args.cover.at)).map((absence) => absence.personId));
  return [...absent].filter((id) => id !== args.personId && effectiveDelegate({ units, cover: args.cover, personId: id }) === args.personId);
};

/** Who may see what for this person now, including what they see as someone's delegate. */
export const boardScopeNow = async (args: { ctx: UseCaseContext; personId: string }): Promise<{ scope: BoardScope; cover: CoverSnapshot }> => {
  const cover = await coverAt({ repos: args.ctx.store.repos, now: args.ctx.clock.now() });
  return { scope: boardScope({ directory: args.ctx.directory, personId: args.personId, covering: coveredBy({ ctx: args.ctx, cover, personId: args.personId }) }), cover };
};

/** The "my units" page: open items by state (overdue first, then by due time), and the duty for the week. */
export const loadUnits = async (args: { ctx: UseCaseContext; repo: BoardRepository; scope: BoardScope; cover?: CoverSnapshot }): Promise<UnitView[]> => {
  const { ctx, repo, scope, cover } = args;
  const { directory } = ctx;
  const repos = ctx.store.repos;
  const now = ctx.clock.now();
  const dutyToday_ = new Map<string, string[]>();
  const dutyOf = async (unitId: string) => {
    if (!dutyToday_.has(unitId)) dutyToday_.set(unitId, await dutyToday({ repos, directory, unitId, now }));
    return dutyToday_.get(unitId) as string[];
  };
  // The SQL narrows a member's units to the items they (or someone they act for) hold a role on.
  const people = [scope.personId, ...scope.covering];
  const narrowFor: { personId: string; dutyUnitIds: string[] }[] = [];
  for (const personId of people) {
    const dutyUnitIds: string[] = [];
    for (const unitId of scope.member) if ((await dutyOf(unitId)).includes(personId)) dutyUnitIds.push(unitId);
    narrowFor.push({ personId, dutyUnitIds });
  }
  const today = localDate({ calendar: directory.calendar, at: now });
  const views: UnitView[] = [];
  for (const unitId of scopeUnits(scope)) {
    const unit = directory.unit(unitId);
    if (!unit) continue;
    const overseen = scope.overseen.has(unitId);
    const ranked: Awaited<ReturnType<BoardRepository['unitPageRows']>> = [];
    const listed = new Set<string>();
    for (const roleOf of overseen ? [undefined] : narrowFor) {
      for (const itemType of ['escalation', 'referral'] as const) {
        for (const row of await repo.unitPageRows({ itemType, unitId, now, perState: ROWS_PER_STATE, roleOf })) {
          if (listed.has(`${row.itemType}:${row.id}`)) continue;
          listed.add(`${row.itemType}:${row.id}`);
          ranked.push(row);
        }
      }
    }
    let visible = ranked;
    if (!overseen) {
      // The SQL narrowed by role; the policy decides, on the full rows, what is shown.
      const items = [
        ...(await repos.items.escalationsByIds(ranked.filter((r) => r.itemType === 'escalation').map((r) => r.id))).map((row): BoardItem => ({ itemType: 'escalation', row })),
        ...(await repos.items.referralsByIds(ranked.filter((r) => r.itemType === 'referral').map((r) => r.id))).map((row): BoardItem => ({ itemType: 'referral', row })),
      ];
      const allowed = new Set<string>();
      for (const item of items) {
        const roles = rolesOn({ ctx, item, personId: scope.personId, duty: await dutyOf(workUnit(item)), cover });
        if (maySeeItem({ scope, unitIds: itemUnits(item), roleCount: roles.size })) allowed.add(`${item.itemType}:${item.row.id}`);
      }
      visible = ranked.filter((r) => allowed.has(`${r.itemType}:${r.id}`));
    }
    const byState = new Map<string, { total: number; overdue: number; rows: BoardRow[] }>();
    for (const r of visible) {
      const entry = byState.get(r.state) ?? { total: 0, overdue: 0, rows: [] };
      if (!byState.has(r.state)) byState.set(r.state, entry);
      const otherUnit = r.senderUnitId === unitId ? r.otherUnitId : r.senderUnitId;
      entry.rows.push({
        ref: itemRef(r.itemType, r.id),
        crn: r.crn,
        kind: r.itemType === 'escalation' ? 'Escalation' : 'Referral',
        state: r.state,
        stateLabel: stateWords(r.state, r.itemType),
        route: `${r.senderUnitId === unitId ? 'to' : 'from'} ${directory.unit(otherUnit)?.name ?? otherUnit}`,
        next: r.nextDueAt ? { label: DEADLINE_LABELS[r.nextKind as DeadlineKind] ?? String(r.nextKind), dueAt: r.nextDueAt, overdue: r.nextDueAt.getTime() <= now.getTime() } : null,
      });
    }
    // Totals per state from SQL (one figure per item type and state; both types can share a state name).
    const seen = new Set<string>();
    for (const r of ranked) {
      const key = `${r.itemType}:${r.state}`;
      const entry = byState.get(r.state);
      if (!entry || seen.has(key)) continue;
      seen.add(key);
      entry.total += overseen ? r.stateTotal : 0;
      entry.overdue += overseen ? r.stateOverdue : 0;
    }
    const states = [...byState.entries()].map(([state, entry]) => {
      const rows = entry.rows
        .sort(
          (a, b) => Number(b.next?.overdue ?? false) - Number(a.next?.overdue ?? false) || (a.next?.dueAt.getTime() ?? Infinity) - (b.next?.dueAt.getTime() ?? Infinity) || a.ref.localeCompare(b.ref),
        )
        .slice(0, ROWS_PER_STATE);
      const total = overseen ? entry.total : entry.rows.length;
      const overdue = overseen ? entry.overdue : entry.rows.filter((row) => row.next?.overdue).length;
      return { state, label: rows[0]?.stateLabel ?? state, total, overdue, rows };
    });
    const weekDuty: { date: string; names: string[] }[] = [];
    for (let day = 0; day < 7; day += 1) {
      const date = addDays(today, day);
      const onDay = await dutyOn({ repos, directory, unitId, date }); // change > rota > default, as everywhere
      weekDuty.push({ date, names: onDay.personIds.map((id) => directory.nameOf(id)) });
    }
    views.push({
      unitId,
      name: unit.name,
      overseen,
      states: states.map(({ state, label, total, rows }) => ({ state, label, total, rows })),
      open: states.reduce((sum, entry) => sum + entry.total, 0),
      overdue: states.reduce((sum, entry) => sum + entry.overdue, 0),
      duty: weekDuty,
    });
  }
  return views;
};

export type ItemLookup = { kind: 'not_found' } | { kind: 'forbidden'; ref: string } | { kind: 'ok'; item: BoardItem; ref: string; history: HistoryItem; actions: ChatAction[] };

/** One item for the item page, or a refusal that carries nothing of the case. Every view is audited. */
export const loadItem = async (args: { ctx: UseCaseContext; scope: BoardScope; cover?: CoverSnapshot; ref: string }): Promise<ItemLookup> => {
  const { ctx, scope, cover } = args;
  const parsed = parseItemRef(args.ref);
  if (!parsed) return { kind: 'not_found' };
  const repos = ctx.store.repos;
  const now = ctx.clock.now();
  const item: BoardItem | null =
    parsed.itemType === 'escalation'
      ? await repos.items.escalation(parsed.id).then((row) => (row ? { itemType: 'escalation' as const, row } : null))
      : await repos.items.referral(parsed.id).then((row) => (row ? { itemType: 'referral' as const, row } : null));
  if (!item) return { kind: 'not_found' };
  const ref = itemRef(item.itemType, item.row.id);
  const duty = await dutyToday({ repos, directory: ctx.directory, unitId: workUnit(item), now });
  const roles = rolesOn({ ctx, item, personId: scope.personId, duty, cover });
  if (!maySeeItem({ scope, unitIds: itemUnits(item), roleCount: roles.size })) {
    await repos.records.audit({ at: now, actorId: scope.personId, event: 'board.item_refused', itemType: item.itemType, itemId: item.row.id, crn: item.row.crn, details: { ref } });
    return { kind: 'forbidden', ref };
  }
  const history = (await loadCaseHistory({ ctx, crn: item.row.crn, now })).items.find((entry) => entry.itemType === item.itemType && entry.id === item.row.id);
  if (!history) return { kind: 'not_found' };
  await repos.records.audit({ at: now, actorId: scope.personId, event: 'board.item_viewed', itemType: item.itemType, itemId: item.row.id, crn: item.row.crn, details: { ref } });
  return { kind: 'ok', item, ref, history, actions: boardActions({ ctx, item, personId: scope.personId, duty, cover }) };
};
