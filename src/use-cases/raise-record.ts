import type { DecisionRow } from '../db/records.repository.js';
import type { Repositories } from '../db/store.js';
import type { Platform } from './context.js';

/**
 * What every raise writes besides its item: the `raise` decision (the raiser, from `new` to the first state) and
 * the `<type>.raised` audit event with the workflow's own details. One writer for every workflow's raise.
 */
export const recordRaise = async (args: {
  repos: Repositories;
  itemType: string;
  item: { id: number; crn: string; state: string };
  actorId: string;
  platform: Platform;
  now: Date;
  details: (decision: DecisionRow) => Record<string, unknown>;
}): Promise<DecisionRow> => {
  const { repos, item, actorId, now } = args;
  const itemType = args.itemType as never;
  const decision = await repos.records.insertDecision({
    itemType,
    itemId: item.id,
    action: 'raise',
    actorId,
    actorRole: 'raiser',
    fromState: 'new',
    toState: item.state,
    rationale: null,
    platform: args.platform,
    decidedAt: now,
  });
  await repos.records.audit({ at: now, actorId, event: `${args.itemType}.raised`, itemType, itemId: item.id, crn: item.crn, details: args.details(decision) });
  return decision;
};

/** How every raise names the case it is about: the CRN, and the prison number when one was given. */
export const caseOf = (input: { crn: string; noms?: string | null }) => ({ crn: input.crn, noms: input.noms ?? null });
