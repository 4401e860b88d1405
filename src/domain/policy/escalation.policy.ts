import type { EscalationFacts, EscalationRole } from '../workflows/escalation.workflow.js';
import { type OrgView, type RolePolicy, managesUnit } from './org-view.js';

/** A person's relations to an escalation. The raiser is also the old case manager in the handover. */
export const escalationRoles = (args: { facts: EscalationFacts; personId: string; org: OrgView }): Set<EscalationRole> => {
  const { facts, personId, org } = args;
  const roles = new Set<EscalationRole>();
  if (facts.raisedBy === personId) roles.add('raiser').add('old_case_manager');
  if (facts.countersignerId === personId) roles.add('countersigner');
  if (managesUnit(org.unit(facts.senderUnitId), personId)) roles.add('sender_manager');
  if (org.dutyOf(facts.receivingUnitId).includes(personId)) roles.add('receiving_duty');
  if (managesUnit(org.unit(facts.receivingUnitId), personId)) roles.add('receiving_manager');
  if (facts.acceptedBy === personId) roles.add('acceptor');
  if (facts.newCaseManagerId === personId) roles.add('new_case_manager');
  return roles;
};

/** The units whose duty list the roles depend on (the caller snapshots only these). */
export const escalationDutyUnits = (facts: EscalationFacts): string[] => [facts.receivingUnitId];

export const escalationPolicy: RolePolicy<EscalationFacts> = { roles: escalationRoles, dutyUnits: escalationDutyUnits };
