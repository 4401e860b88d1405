// Need to know, applied: loads a CRN's items (or one item) and today's duty lists, asks the pure policy, and
// records every case view, export and refusal in the audit log. Called by /cases, the export (chat and CLI), and
// before any click or form on an item renders anything of it.
import type { Repositories } from '../db/store.js';
import type { EscalationRow, ReferralRow } from '../db/items.repository.js';
import { DomainError, isDomainError } from '../domain/errors.js';
import { type AccessView, type ItemAccessFacts, caseAccess, itemAccessReasons } from '../domain/policy/case-access.policy.js';
import type { ItemType } from '../domain/workflow.types.js';
import type { Platform, UseCaseContext } from './context.js';
import type { Directory } from './directory.js';
import { dutyToday } from './effects.js';
import { decisionOf } from '../../commands/decide.command.js';
import { checkAuthority, rolesOn } from './decide.use-case.js';
import { loadItem } from './workflows/workflow-module.js';
import { coverAt } from './org-view.js';

export const escalationAccessFacts = (row: EscalationRow): ItemAccessFacts => ({
  kind: 'escalation',
  raisedBy: row.raisedBy,
  countersignerId: row.countersignerId,
  senderUnitId: row.senderUnitId,
  receivingUnitId: row.receivingUnitId,
  acceptedBy: row.acceptedBy,
  newCaseManagerId: row.newCaseManagerId,
});

export const referralAccessFacts = (row: ReferralRow): ItemAccessFacts => ({
  kind: 'referral',
  raisedBy: row.raisedBy,
  senderUnitId: row.senderUnitId,
  providerUnitId: row.providerUnitId,
  assignedWorkerId: row.assignedWorkerId,
});

const unitsNamed = (items: readonly ItemAccessFacts[]) => [
  ...new Set(items.flatMap((item) => (item.kind === 'escalation' ? [item.senderUnitId, item.receivingUnitId] : [item.senderUnitId, item.providerUnitId]))),
];

/** The organisation as the policy reads it, with today's duty of every unit the items name. */
const accessView = async (args: { repos: Repositories; directory: Directory; now: Date; items: readonly ItemAccessFacts[] }): Promise<AccessView> => {
  const duty = new Map<string, string[]>();
  for (const unitId of unitsNamed(args.items)) duty.set(unitId, await dutyToday({ repos: args.repos, directory: args.directory, unitId, now: args.now }));
  return {
    unit: (id) => {
      const unit = args.directory.unit(id);
      return unit ? { id: unit.id, manager: unit.manager, seniorManager: unit.seniorManager ?? null, members: unit.members } : undefined;
    },
    dutyOf: (unitId) => duty.get(unitId) ?? [],
    cover: await coverAt({ repos: args.repos, now: args.now }),
    allUnits: () => args.directory.org.units,
  };
};

/** The access facts of every item on a CRN. */
export const caseItems = async (args: { repos: Repositories; crn: string }): Promise<ItemAccessFacts[]> => [
  ...(await args.repos.items.escalationsByCrn(args.crn)).map(escalationAccessFacts),
  ...(await args.repos.items.referralsByCrn(args.crn)).map(referralAccessFacts),
];

/**
 * May this person see this CRN's case? `purpose` view is audited here as `case.viewed`; an export is audited by
 * the export itself (`case.exported`, with its row count). A refusal is audited as `case.view_refused` and throws
 * `case.not_shown`, whose words name the CRN and nothing else, the same for a CRN with no items.
 */
export const authorizeCaseAccess = async (args: { ctx: UseCaseContext; actorId: string; crn: string; purpose: 'view' | 'export'; platform: Platform }): Promise<void> => {
  const { ctx } = args;
  const now = ctx.clock.now();
  const items = await caseItems({ repos: ctx.store.repos, crn: args.crn });
  const view = await accessView({ repos: ctx.store.repos, directory: ctx.directory, now, items });
  const decision = caseAccess({ personId: args.actorId, items, view });
  if (!decision.allowed) {
    await ctx.store.transaction((repos) =>
      repos.records.audit({ at: now, actorId: args.actorId, event: 'case.view_refused', crn: args.crn, details: { purpose: args.purpose, platform: args.platform } }),
    );
    ctx.logger.info({ event: 'case.view_refused', actorId: args.actorId, purpose: args.purpose }, 'case.view_refused');
    throw new DomainError({ code: 'case.not_shown', details: { crn: args.crn } });
  }
  if (args.purpose === 'view') {
    await ctx.store.transaction((repos) =>
      repos.records.audit({ at: now, actorId: args.actorId, event: 'case.viewed', crn: args.crn, details: { reasons: decision.reasons, items: items.length, platform: args.platform } }),
    );
  }
};

/** Whether a person may see a CRN's case (no audit: for a second check inside a use case that audits its own way). */
export const mayViewCase = async (args: { ctx: Pick<UseCaseContext, 'store' | 'directory' | 'clock'>; personId: string; crn: string }): Promise<boolean> => {
  const { ctx } = args;
  const items = await caseItems({ repos: ctx.store.repos, crn: args.crn });
  const view = await accessView({ repos: ctx.store.repos, directory: ctx.directory, now: ctx.clock.now(), items });
  return caseAccess({ personId: args.personId, items, view }).allowed;
};

/** Whether a person has any role on one item (false when it does not exist). Read-only; no audit. */
export const hasRoleOnItem = async (args: { ctx: UseCaseContext; personId: string; itemType: ItemType; itemId: number }): Promise<boolean> => {
  const { ctx } = args;
  const repos = ctx.store.repos;
  if (args.itemType !== 'escalation' && args.itemType !== 'referral') {
    // A workflow registered at composition: a role is whatever its own policy gives.
    const module = ctx.workflows.get(args.itemType);
    const row = module ? await loadItem(module, repos, args.itemId) : undefined;
    if (!module || !row) return false;
    return (await rolesOn({ ctx, repos, module, row, personId: args.personId, now: ctx.clock.now() })).roles.size > 0;
  }
  const row = args.itemType === 'escalation' ? await repos.items.escalation(args.itemId) : await repos.items.referral(args.itemId);
  if (!row) return false;
  const item = args.itemType === 'escalation' ? escalationAccessFacts(row as EscalationRow) : referralAccessFacts(row as ReferralRow);
  const view = await accessView({ repos, directory: ctx.directory, now: ctx.clock.now(), items: [item] });
  return itemAccessReasons({ personId: args.personId, item, view }).length > 0;
};

/** Refusals that tell something of the item's state or history (who acted, when, that it exists). */
const STATE_REFUSALS = new Set(['item.moved_on', 'item.already_done', 'item.not_found']);

/**
 * Before a click or a form on an item renders or decides anything. A person with a role on it goes on to the usual
 * checks. A person with none never gets a form, a card or a state: only the refusal of the role they lack (words
 * that name nothing of the case, e.g. "Only the countersigning manager … can do that"), and when the answer would
 * depend on the item's state or existence, the plain "not allowed". Roles before state.
 */
export const refuseWithoutRole = async (args: { ctx: UseCaseContext; personId: string; actionId: string; itemType: ItemType; itemId: number }): Promise<void> => {
  if (await hasRoleOnItem(args)) return;
  try {
    await checkAuthority({ ctx: args.ctx, itemType: args.itemType, itemId: args.itemId, action: decisionOf(args.ctx, args.actionId).action, actorId: args.personId });
  } catch (error) {
    if (isDomainError(error) && !STATE_REFUSALS.has(error.code)) throw error;
  }
  throw new DomainError({ code: 'action.not_allowed', details: {} });
};
