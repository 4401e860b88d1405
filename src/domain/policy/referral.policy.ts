import type { ReferralFacts, ReferralRole } from '../workflows/referral.workflow.js';
import { type OrgView, type RolePolicy, managesUnit } from './org-view.js';

/** A person's relations to a referral. */
export const referralRoles = (args: { facts: ReferralFacts; personId: string; org: OrgView }): Set<ReferralRole> => {
  const { facts, personId, org } = args;
  const roles = new Set<ReferralRole>();
  if (facts.raisedBy === personId) roles.add('raiser');
  if (managesUnit(org.unit(facts.senderUnitId), personId)) roles.add('sender_manager');
  if (org.dutyOf(facts.providerUnitId).includes(personId)) roles.add('provider_duty');
  if (managesUnit(org.unit(facts.providerUnitId), personId)) roles.add('provider_manager');
  if (facts.assignedWorkerId === personId) roles.add('assigned_worker');
  return roles;
};

export const referralDutyUnits = (facts: ReferralFacts): string[] => [facts.providerUnitId];

export const referralPolicy: RolePolicy<ReferralFacts> = { roles: referralRoles, dutyUnits: referralDutyUnits };
