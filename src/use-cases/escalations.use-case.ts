import type { EscalationRow } from '../db/items.repository.js';
import type { Repositories } from '../db/store.js';
import { type RoshLevel, type Urgency, deriveUrgency } from '../domain/case-facts.js';
import { DomainError } from '../domain/errors.js';
import {
  ESCALATION_ACTIONS,
  type EscalationAction,
  type EscalationState,
  raiseEscalationEffects,
  transitionEscalation,
} from '../domain/escalation.machine.js';
import type { Effect } from '../domain/workflow.types.js';
import { alreadyDoneError } from './already-done.js';
import { itemRef } from './chat-message.js';
import type { Platform, UseCaseContext } from './context.js';
import { applyEffects, dutyToday } from './effects.js';
import { escalationFacts, escalationRoles, renderEscalationMessage } from './escalation-messages.js';

export interface EscalationInput {
  crn: string;
  noms?: string;
  roshCurrent: RoshLevel;
  roshNew: RoshLevel;
  mappaCategory?: number;
  mappaLevel?: number;
  reason: string;
  urgency: Urgency;
  receivingUnitId: string;
  summary: string;
  oasysReviewed: boolean;
}

const applyEscalationEffects = async (args: {
  ctx: UseCaseContext;
  repos: Repositories;
  row: EscalationRow;
  effects: Effect[];
  actorId: string;
  now: Date;
  rationale?: { actorId: string; text: string | null; action: string } | null;
}) => {
  const { ctx, repos, row, now } = args;
  const receivingDuty = await dutyToday({ repos, directory: ctx.directory, unitId: row.receivingUnitId, now });
  return applyEffects({
    repos,
    directory: ctx.directory,
    item: { itemType: 'escalation', itemId: row.id, version: row.version, crn: row.crn, urgent: row.urgency === 'urgent' },
    effects: args.effects,
    actorId: args.actorId,
    now,
    render: ({ message, personId, withActions, deadlines }) =>
      renderEscalationMessage({ row, directory: ctx.directory, message, personId, withActions, receivingDuty, deadlines, rationale: args.rationale }),
  });
};

/** Raise an escalation: one transaction with the row, the decision, the audit event, the deadline and the outbox. */
export const raiseEscalation = async (args: { ctx: UseCaseContext; actorId: string; input: EscalationInput; platform: Platform }) => {
  const { ctx, actorId, input } = args;
  const { directory } = ctx;
  const sender = directory.homeUnit(actorId);
  if (!directory.person(actorId)) throw new DomainError({ code: 'person.unknown' });
  if (!sender) throw new DomainError({ code: 'person.not_in_unit' });
  if (!directory.unit(input.receivingUnitId)) throw new DomainError({ code: 'unit.unknown', details: { unitId: input.receivingUnitId } });
  const countersignerId = sender.manager === actorId ? sender.seniorManager : sender.manager;
  if (!countersignerId || countersignerId === actorId) throw new DomainError({ code: 'action.not_allowed', details: { reason: 'no countersigner' } });
  const urgency = deriveUrgency({ requested: input.urgency, roshNew: input.roshNew, mappaLevel: input.mappaLevel });
  const now = ctx.clock.now();

  const result = await ctx.store.transaction(async (repos) => {
    const row = await repos.items.insertEscalation({
      crn: input.crn,
      noms: input.noms ?? null,
      roshCurrent: input.roshCurrent,
      roshNew: input.roshNew,
      mappaCategory: input.mappaCategory ?? null,
      mappaLevel: input.mappaLevel ?? null,
      reason: input.reason,
      urgency,
      summary: input.summary,
      oasysReviewed: input.oasysReviewed,
      senderUnitId: sender.id,
      receivingUnitId: input.receivingUnitId,
      raisedBy: actorId,
      countersignerId,
      state: 'awaiting_countersign' satisfies EscalationState,
      createdAt: now,
      updatedAt: now,
    });
    await repos.records.insertDecision({
      itemType: 'escalation', itemId: row.id, action: 'raise', actorId, actorRole: 'raiser',
      fromState: 'new', toState: row.state, rationale: null, platform: args.platform, decidedAt: now,
    });
    await repos.records.audit({
      at: now, actorId, event: 'escalation.raised', itemType: 'escalation', itemId: row.id, crn: row.crn,
      details: { ref: itemRef('escalation', row.id), urgency, senderUnitId: sender.id, receivingUnitId: row.receivingUnitId, countersignerId, platform: args.platform },
    });
    const applied = await applyEscalationEffects({
      ctx, repos, row, actorId, now,
      effects: raiseEscalationEffects({ raisedBy: actorId, countersignerId, senderUnitId: sender.id }),
    });
    return { row, countersignDueAt: applied.deadlinesStarted[0] as Date };
  });
  ctx.onCommitted?.({ outbox: true, deadlines: true });
  return { ...result, ref: itemRef('escalation', result.row.id) };
};

export const isEscalationAction = (value: string): value is EscalationAction => (ESCALATION_ACTIONS as readonly string[]).includes(value);


/**
 * Take a decision on an escalation. A conditional update on the version read makes a double click or a
 * second replica change nothing: the loser gets `item.already_done` with who acted first and when.
 */
export const decideEscalation = async (args: {
  ctx: UseCaseContext;
  actorId: string;
  escalationId: number;
  action: EscalationAction;
  rationale?: string | null;
  caseManagerId?: string | null;
  platform: Platform;
}) => {
  const { ctx, actorId } = args;
  if (!ctx.directory.person(actorId)) throw new DomainError({ code: 'person.unknown' });
  if (args.caseManagerId && !ctx.directory.person(args.caseManagerId)) throw new DomainError({ code: 'person.unknown', details: { field: 'caseManager' } });
  const now = ctx.clock.now();
  const outcome = await ctx.store.transaction(async (repos) => {
    const row = await repos.items.escalation(args.escalationId);
    if (!row) throw new DomainError({ code: 'item.not_found' });
    const receivingDuty = await dutyToday({ repos, directory: ctx.directory, unitId: row.receivingUnitId, now });
    const roles = escalationRoles({ row, personId: actorId, directory: ctx.directory, receivingDuty });
    let transition;
    try {
      transition = transitionEscalation({
        facts: escalationFacts(row),
        command: { action: args.action, actorId, actorRoles: roles, rationale: args.rationale, caseManagerId: args.caseManagerId, at: now },
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'item.moved_on') throw await alreadyDoneError({ repos, itemType: 'escalation', itemId: row.id, state: row.state });
      throw error;
    }
    const updated = await repos.items.updateEscalation({ id: row.id, expectedVersion: row.version, patch: transition.patch });
    if (!updated) {
      const fresh = await repos.items.escalation(row.id);
      throw await alreadyDoneError({ repos, itemType: 'escalation', itemId: row.id, state: fresh?.state ?? row.state });
    }
    const decision = await repos.records.insertDecision({
      itemType: 'escalation', itemId: row.id, action: args.action, actorId, actorRole: [...roles].join('+') || 'none',
      fromState: transition.from, toState: transition.to, rationale: args.rationale?.trim() || null, platform: args.platform, decidedAt: now,
    });
    await repos.records.audit({
      at: now, actorId, event: `escalation.${args.action}`, itemType: 'escalation', itemId: row.id, crn: row.crn,
      details: { ref: itemRef('escalation', row.id), from: transition.from, to: transition.to, decisionId: decision.id, caseManagerId: args.caseManagerId ?? undefined, platform: args.platform },
    });
    await applyEscalationEffects({
      ctx, repos, row: updated, actorId, now, effects: transition.effects,
      rationale: { actorId, text: decision.rationale, action: args.action },
    });
    return { row: updated, from: transition.from, to: transition.to, decision };
  });
  ctx.onCommitted?.({ outbox: true, deadlines: true });
  return outcome;
};
