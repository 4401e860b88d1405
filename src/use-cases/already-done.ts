import type { Repositories } from '../db/store.js';
import { DomainError } from '../domain/errors.js';
import type { ItemType } from '../domain/workflow.types.js';

/** The refusal of a click on an item that has moved on: who acted first, with what, and when. */
export const alreadyDoneError = async (args: { repos: Repositories; itemType: string; itemId: number; state: string }) => {
  const last = await args.repos.records.lastDecision({ itemType: args.itemType as ItemType, itemId: args.itemId });
  return new DomainError({
    code: 'item.already_done',
    details: { itemType: args.itemType, state: args.state, actorId: last?.actorId, action: last?.action, at: last?.decidedAt?.toISOString() },
  });
};
