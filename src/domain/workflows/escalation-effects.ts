import { type DeadlineKind, type Effect, type Recipient, notify, person } from '../workflow.types.js';
import type { EscalationFacts } from './escalation.workflow.js';

/** The recipients and effects the escalation's actions share (its definition is split over three files). */
export const receivingDuty = (facts: EscalationFacts) => ({ kind: 'unitDuty' as const, unitId: facts.receivingUnitId });
export const manager = (unitId: string) => ({ kind: 'unitManager' as const, unitId });

export const start = (kind: DeadlineKind, owners: Recipient[], unitId: string): Effect => ({
  type: 'startDeadline',
  kind,
  owners,
  unitId,
});

export const handoverEffects = (facts: EscalationFacts, newCaseManagerId: string): Effect[] => [
  start('handover', [person(facts.raisedBy), person(newCaseManagerId)], facts.receivingUnitId),
  notify(person(facts.raisedBy), 'escalation.handover_requested', { withActions: true }),
  notify(person(newCaseManagerId), 'escalation.handover_requested', { withActions: true }),
];

/** Back to the countersigner: a new countersign clock and the request with its buttons (raise, resubmit, edit). */
export const countersignRequested = (args: { countersignerId: string; senderUnitId: string }): Effect[] => [
  start('countersign', [person(args.countersignerId)], args.senderUnitId),
  notify(person(args.countersignerId), 'escalation.countersign_requested', { withActions: true }),
];
