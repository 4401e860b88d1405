import { type RoshLevel, type Urgency, deriveUrgency } from '../domain/case-facts.js';
import { DomainError } from '../domain/errors.js';
import { ESCALATION_ACTIONS, type EscalationAction, type EscalationState, raiseEscalationEffects } from '../domain/workflows/escalation.workflow.js';
import { itemRef } from './chat-message.js';
import { caseOf, recordRaise } from './raise-record.js';
import type { Platform, UseCaseContext } from './context.js';
import { applyItemEffects, decide } from './decide.use-case.js';
import { escalationModule } from './workflows/escalation.module.js';

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
  /** The OASys assessment reference, when given (DMs and the timeline only). */
  oasysRef?: string | null;
}

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
      ...caseOf(input),
      roshCurrent: input.roshCurrent,
      roshNew: input.roshNew,
      mappaCategory: input.mappaCategory ?? null,
      mappaLevel: input.mappaLevel ?? null,
      reason: input.reason,
      urgency,
      summary: input.summary,
      oasysReviewed: input.oasysReviewed,
      oasysRef: input.oasysRef ?? null,
      senderUnitId: sender.id,
      receivingUnitId: input.receivingUnitId,
      raisedBy: actorId,
      countersignerId,
      state: 'awaiting_countersign' satisfies EscalationState,
      createdAt: now,
      updatedAt: now,
    });
    await recordRaise({
      repos,
      itemType: 'escalation',
      item: row,
      actorId,
      platform: args.platform,
      now,
      details: () => ({ ref: itemRef('escalation', row.id), urgency, senderUnitId: sender.id, receivingUnitId: row.receivingUnitId, countersignerId, platform: args.platform }),
    });
    const applied = await applyItemEffects({
      module: escalationModule,
      ctx,
      repos,
      row,
      actorId,
      now,
      effects: raiseEscalationEffects({ raisedBy: actorId, countersignerId, senderUnitId: sender.id }),
    });
    return { row, countersignDueAt: applied.deadlinesStarted.get('countersign') as Date };
  });
  ctx.onCommitted?.({ outbox: true, deadlines: true });
  return { ...result, ref: itemRef('escalation', result.row.id) };
};

export const isEscalationAction = (value: string): value is EscalationAction => (ESCALATION_ACTIONS as readonly string[]).includes(value);

/** Take a decision on an escalation: the generic decide (src/use-cases/decide.use-case.ts) under its old name. */
export const decideEscalation = (args: {
  ctx: UseCaseContext;
  actorId: string;
  escalationId: number;
  action: EscalationAction;
  rationale?: string | null;
  caseManagerId?: string | null;
  platform: Platform;
}) =>
  decide({
    ctx: args.ctx,
    itemType: 'escalation',
    itemId: args.escalationId,
    action: args.action,
    actorId: args.actorId,
    rationale: args.rationale,
    personId: args.caseManagerId,
    platform: args.platform,
  });
