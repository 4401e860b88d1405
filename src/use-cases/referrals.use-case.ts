import type { ReferralRow } from '../db/items.repository.js';
import type { Repositories } from '../db/store.js';
import { DomainError } from '../domain/errors.js';
import { planChase } from '../domain/reminder-ladder.js';
import {
  REFERRAL_ACTIONS,
  type ReferralAction,
  type ReferralState,
  raiseReferralEffects,
  referralLateness,
  transitionReferral,
} from '../domain/referral.machine.js';
import type { Effect } from '../domain/workflow.types.js';
import { atLocalTime, localDate } from '../domain/time/working-time.js';
import { alreadyDoneError } from './already-done.js';
import { itemRef } from './chat-message.js';
import type { Platform, UseCaseContext } from './context.js';
import { applyEffects, dutyToday } from './effects.js';
import { referralFacts, referralRoles, renderReferralMessage } from './referral-messages.js';
import { reminderPolicy } from './reminder-policy.js';

export interface ReferralInput {
  crn: string;
  noms?: string;
  referralType: string;
  providerUnitId: string;
  prison: string;
  /** Local date YYYY-MM-DD. */
  releaseDate: string;
  releaseType: string;
  needs: string[];
  notes: string;
}

export const isReferralAction = (value: string): value is ReferralAction => (REFERRAL_ACTIONS as readonly string[]).includes(value);

const handle = (row: ReferralRow) => ({
  itemType: 'referral' as const, itemId: row.id, version: row.version, crn: row.crn, urgent: false, releaseDate: row.releaseDate,
});

/**
 * Recompute the open deadlines of a referral from its current facts: the delivery deadline from the release
 * date, and every open deadline owned by the named worker once one is assigned. Returns what moved.
 */
const recomputeDeadlines = async (args: { ctx: UseCaseContext; repos: Repositories; row: ReferralRow; now: Date }) => {
  const { ctx, repos, row, now } = args;
  const changes: { kind: string; fromDueAt: string; toDueAt: string }[] = [];
  for (const deadline of await repos.deadlines.openForItem({ itemType: 'referral', itemId: row.id })) {
    if (row.assignedWorkerId && deadline.owners.some((owner) => owner.kind === 'unitDuty')) {
      await repos.deadlines.setOwners({ id: deadline.id, owners: [{ kind: 'person', personId: row.assignedWorkerId }] });
    }
    if (deadline.kind !== 'delivery') continue;
    const dueAt = atLocalTime({ timeZone: ctx.directory.org.timezone, date: row.releaseDate, time: '00:00' });
    if (dueAt.getTime() === deadline.dueAt.getTime()) continue;
    const plan = planChase({
      facts: { ...deadline, dueAt, urgent: deadline.urgent },
      policy: reminderPolicy(ctx.directory),
      calendar: ctx.directory.calendar,
      now,
    });
    await repos.deadlines.reschedule({ id: deadline.id, dueAt, nextCheckAt: plan.send.length > 0 ? now : plan.nextCheckAt });
    changes.push({ kind: deadline.kind, fromDueAt: deadline.dueAt.toISOString(), toDueAt: dueAt.toISOString() });
  }
  return changes;
};

const applyReferralEffects = async (args: {
  ctx: UseCaseContext;
  repos: Repositories;
  row: ReferralRow;
  effects: Effect[];
  actorId: string;
  now: Date;
  rationale?: { actorId: string; text: string | null; action: string } | null;
}) => {
  const { ctx, repos, row, now } = args;
  const providerDuty = await dutyToday({ repos, directory: ctx.directory, unitId: row.providerUnitId, now });
  const recomputed = args.effects.some((effect) => effect.type === 'recomputeDeadlines')
    ? await recomputeDeadlines({ ctx, repos, row, now })
    : [];
  const applied = await applyEffects({
    repos,
    directory: ctx.directory,
    item: handle(row),
    effects: args.effects.filter((effect) => effect.type !== 'recomputeDeadlines'),
    actorId: args.actorId,
    now,
    render: ({ message, personId, withActions, deadlines }) =>
      renderReferralMessage({ row, directory: ctx.directory, message, personId, withActions, providerDuty, deadlines, rationale: args.rationale }),
  });
  return { ...applied, recomputed };
};

/** Raise a referral: the row, the decision, the audit event, the deadlines and the outbox in one transaction. */
export const raiseReferral = async (args: { ctx: UseCaseContext; actorId: string; input: ReferralInput; platform: Platform }) => {
  const { ctx, actorId, input } = args;
  const { directory } = ctx;
  if (!directory.person(actorId)) throw new DomainError({ code: 'person.unknown' });
  const sender = directory.homeUnit(actorId);
  if (!sender) throw new DomainError({ code: 'person.not_in_unit' });
  if (!directory.referralProviders().some((unit) => unit.id === input.providerUnitId)) {
    throw new DomainError({ code: 'unit.unknown', details: { unitId: input.providerUnitId } });
  }
  const now = ctx.clock.now();
  const today = localDate({ calendar: directory.calendar, at: now });
  const lateness = referralLateness({ releaseDate: input.releaseDate, weeksBeforeRelease: directory.org.deadlines.referral.weeksBeforeRelease, today });

  const result = await ctx.store.transaction(async (repos) => {
    const row = await repos.items.insertReferral({
      crn: input.crn, noms: input.noms ?? null, referralType: input.referralType, providerUnitId: input.providerUnitId,
      senderUnitId: sender.id, prison: input.prison, releaseDate: input.releaseDate, releaseType: input.releaseType,
      needs: input.needs, notes: input.notes, referBy: lateness.referBy, lateWeeks: lateness.lateWeeks, raisedBy: actorId,
      state: 'awaiting_acknowledgement' satisfies ReferralState, createdAt: now, updatedAt: now,
    });
    const decision = await repos.records.insertDecision({
      itemType: 'referral', itemId: row.id, action: 'raise', actorId, actorRole: 'raiser',
      fromState: 'new', toState: row.state, rationale: null, platform: args.platform, decidedAt: now,
    });
    await repos.records.audit({
      at: now, actorId, event: 'referral.raised', itemType: 'referral', itemId: row.id, crn: row.crn,
      details: {
        ref: itemRef('referral', row.id), decisionId: decision.id, senderUnitId: sender.id, providerUnitId: row.providerUnitId,
        releaseDate: row.releaseDate, referBy: row.referBy, lateWeeks: row.lateWeeks, platform: args.platform,
      },
    });
    const applied = await applyReferralEffects({ ctx, repos, row, actorId, now, effects: raiseReferralEffects({ raisedBy: actorId, providerUnitId: row.providerUnitId }) });
    return { row, assessmentDueAt: applied.deadlinesStarted[0] as Date, deliveryDueAt: applied.deadlinesStarted[1] as Date };
  });
  ctx.onCommitted?.({ outbox: true, deadlines: true });
  return { ...result, lateness, ref: itemRef('referral', result.row.id) };
};


const ROLE_ORDER = ['assigned_worker', 'provider_duty', 'provider_manager', 'raiser', 'sender_manager'];

/**
 * Take a decision on a referral (provider steps, decline, withdraw, release date change). A conditional update
 * on the version read makes a double click change nothing: the loser gets `item.already_done`.
 */
export const decideReferral = async (args: {
  ctx: UseCaseContext;
  actorId: string;
  referralId: number;
  action: ReferralAction;
  rationale?: string | null;
  workerId?: string | null;
  releaseDate?: string | null;
  platform: Platform;
}) => {
  const { ctx, actorId } = args;
  const { directory } = ctx;
  if (!directory.person(actorId)) throw new DomainError({ code: 'person.unknown' });
  if (args.workerId && !directory.person(args.workerId)) throw new DomainError({ code: 'person.unknown', details: { field: 'worker' } });
  if (args.releaseDate && !/^\d{4}-\d{2}-\d{2}$/.test(args.releaseDate)) throw new DomainError({ code: 'input.invalid', details: { field: 'releaseDate' } });
  const now = ctx.clock.now();
  const outcome = await ctx.store.transaction(async (repos) => {
    const row = await repos.items.referral(args.referralId);
    if (!row) throw new DomainError({ code: 'item.not_found' });
    if (args.action === 'assign' && args.workerId) {
      const provider = directory.unit(row.providerUnitId);
      const staff = provider ? [...provider.members, ...provider.duty, provider.manager, provider.seniorManager] : [];
      if (!staff.includes(args.workerId)) throw new DomainError({ code: 'person.not_in_unit', details: { field: 'worker', unitId: row.providerUnitId } });
    }
    const providerDuty = await dutyToday({ repos, directory, unitId: row.providerUnitId, now });
    const roles = referralRoles({ row, personId: actorId, directory, providerDuty });
    let transition;
    try {
      transition = transitionReferral({
        facts: referralFacts(row),
        command: { action: args.action, actorId, actorRoles: roles, rationale: args.rationale, workerId: args.workerId, releaseDate: args.releaseDate, at: now },
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'item.moved_on') throw await alreadyDoneError({ repos, itemType: 'referral', itemId: row.id, state: row.state });
      throw error;
    }
    const patch: Parameters<typeof repos.items.updateReferral>[0]['patch'] = { ...transition.patch };
    if (transition.patch.releaseDate) {
      const raisedOn = localDate({ calendar: directory.calendar, at: row.createdAt });
      const lateness = referralLateness({ releaseDate: transition.patch.releaseDate, weeksBeforeRelease: directory.org.deadlines.referral.weeksBeforeRelease, today: raisedOn });
      patch.referBy = lateness.referBy;
      patch.lateWeeks = lateness.lateWeeks;
    }
    const updated = await repos.items.updateReferral({ id: row.id, expectedVersion: row.version, patch });
    if (!updated) {
      const fresh = await repos.items.referral(row.id);
      throw await alreadyDoneError({ repos, itemType: 'referral', itemId: row.id, state: fresh?.state ?? row.state });
    }
    const actorRole = ROLE_ORDER.filter((role) => roles.has(role as never)).join('+') || 'unknown';
    const decision = await repos.records.insertDecision({
      itemType: 'referral', itemId: row.id, action: args.action, actorId, actorRole,
      fromState: transition.from, toState: transition.to, rationale: args.rationale?.trim() || null, platform: args.platform, decidedAt: now,
    });
    const applied = await applyReferralEffects({
      ctx, repos, row: updated, actorId, now, effects: transition.effects,
      rationale: { actorId, text: decision.rationale, action: args.action },
    });
    await repos.records.audit({
      at: now, actorId, event: `referral.${args.action}`, itemType: 'referral', itemId: row.id, crn: row.crn,
      details: {
        ref: itemRef('referral', row.id), from: transition.from, to: transition.to, decisionId: decision.id, platform: args.platform,
        workerId: args.action === 'assign' ? (args.workerId ?? undefined) : undefined,
        ...(args.action === 'change_release_date'
          ? { releaseDateFrom: row.releaseDate, releaseDateTo: updated.releaseDate, referBy: updated.referBy, lateWeeks: updated.lateWeeks, deadlines: applied.recomputed }
          : {}),
      },
    });
    return { row: updated, from: transition.from, to: transition.to, decision, recomputed: applied.recomputed };
  });
  ctx.onCommitted?.({ outbox: true, deadlines: true });
  return outcome;
};
