import { alreadyDoneError } from './already-done.js';
import { DomainError } from '../domain/errors.js';
import { checkEscalationAuthority } from '../domain/escalation.machine.js';
import type { UseCaseContext } from './context.js';
import { dutyToday } from './effects.js';
import { escalationFacts, escalationRoles } from './escalation-messages.js';
import { isEscalationAction } from './escalations.use-case.js';

/**
 * May this person take this decision now (ignoring the rationale they have not written yet)? Throws the
 * same DomainError the decision itself would, so a button that opens a form can refuse before the form.
 * Read-only; the decision re-checks everything in its own transaction.
 */
export const checkDecision = async (args: { ctx: UseCaseContext; actorId: string; actionId: string; itemId: number }): Promise<void> => {
  const { ctx } = args;
  const [itemType, action] = args.actionId.split('.') as [string, string | undefined];
  if (!ctx.directory.person(args.actorId)) throw new DomainError({ code: 'person.unknown' });
  if (itemType !== 'escalation') return; // other item types refuse when the form is submitted
  if (!action || !isEscalationAction(action)) throw new DomainError({ code: 'action.unknown', details: { action } });
  const repos = ctx.store.repos;
  const row = await repos.items.escalation(args.itemId);
  if (!row) throw new DomainError({ code: 'item.not_found' });
  const receivingDuty = await dutyToday({ repos, directory: ctx.directory, unitId: row.receivingUnitId, now: ctx.clock.now() });
  const roles = escalationRoles({ row, personId: args.actorId, directory: ctx.directory, receivingDuty });
  const refusal = checkEscalationAuthority({
    facts: escalationFacts(row),
    command: { action, actorId: args.actorId, actorRoles: roles, rationale: 'pending', caseManagerId: 'pending', at: ctx.clock.now() },
  });
  if (!refusal) return;
  if (refusal.code === 'item.moved_on') {
    throw await alreadyDoneError({ repos, itemType: 'escalation', itemId: row.id, state: row.state });
  }
  throw refusal;
};
