import { DomainError } from '../domain/errors.js';
import { coveredRoles } from '../domain/policy/absence-cover.js';
import type { OrgView, RolePolicy } from '../domain/policy/org-view.js';
import { type Command, authorityRefusal, roleLabel } from '../domain/workflows/workflow.js';
import type { AnyModule } from './workflows/workflow-module.js';

/** How a decision is recorded: the actor's roles, and for whom they acted when it was not in their own right. */
export interface DecisionCapacity {
  /** The command as the workflow applies it: the roles that allowed it (the absent person's, when acting for them). */
  command: Command;
  actorRole: string;
  onBehalfOf: string | null;
  onBehalfRole: string | null;
}

/** The role policy without cover (the registry wraps each module's policy with it). */
const basePolicy = (module: AnyModule): RolePolicy<unknown> => (module.policy as RolePolicy<unknown> & { base?: RolePolicy<unknown> }).base ?? module.policy;

/**
 * In whose right a person takes this action: their own when their own roles allow it, else the first person they
 * act for (an absent person whose delegate they are, a unit manager in a senior manager's line) whose roles allow it.
 * Acting as a manager who is not away needs a rationale, whatever the action's own rule.
 */
export const decisionCapacity = (args: { module: AnyModule; facts: { state: string }; command: Command; org: OrgView }): DecisionCapacity => {
  const { module, facts, command, org } = args;
  const { definition } = module;
  const { own, borrowed } = coveredRoles({ policy: basePolicy(module), facts, personId: command.actorId, org });
  const ownCommand = { ...command, actorRoles: own };
  const inOwnRight = { command: ownCommand, actorRole: roleLabel(definition, own) || 'none', onBehalfOf: null, onBehalfRole: null };
  if (authorityRefusal({ definition, facts, command: ownCommand }) === null) return inOwnRight;
  for (const entry of borrowed) {
    const asThem = { ...command, actorRoles: entry.roles };
    if (authorityRefusal({ definition, facts, command: asThem }) !== null) continue;
    if (entry.as === 'acting_manager' && !command.rationale?.trim()) throw new DomainError({ code: 'rationale.required', details: { action: command.action } });
    return { command: asThem, actorRole: [roleLabel(definition, own), entry.as].filter(Boolean).join('+'), onBehalfOf: entry.onBehalfOf, onBehalfRole: roleLabel(definition, entry.roles) || 'none' };
  }
  return { ...inOwnRight, command }; // refused below with the usual refusal, from the roles as a whole
};
