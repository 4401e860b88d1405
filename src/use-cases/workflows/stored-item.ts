import type { WorkflowItemRow } from '../../db/workflow-items.repository.js';
import type { Repositories } from '../../db/store.js';
import { DomainError } from '../../domain/errors.js';
import type { Effect } from '../../domain/workflow.types.js';
import { recordRaise } from '../raise-record.js';
import type { Platform, UseCaseContext } from '../context.js';
import { applyItemEffects, itemRefOf, moduleFor } from '../decide.use-case.js';
import type { WorkflowModule } from './workflow-module.js';

/** A workflow item kept in `workflow_items`: its facts flattened next to id, state and version. */
export type StoredItem = Omit<WorkflowItemRow, 'facts'> & Record<string, unknown>;

const flatten = (row: WorkflowItemRow): StoredItem => {
  const { facts, ...rest } = row;
  return { ...facts, ...rest };
};

/** The table of a workflow registered at composition, in `workflow_items`. */
export const storedItemTable =
  (itemType: string): WorkflowModule<StoredItem>['table'] =>
  (repos: Repositories) => ({
    get: async (id) => {
      const row = await repos.workflowItems.get(itemType, id);
      return row ? flatten(row) : undefined;
    },
    byIds: async (ids) => (await repos.workflowItems.byIds(itemType, ids)).map(flatten),
    update: async (args) => {
      const row = await repos.workflowItems.update(itemType, args);
      return row ? flatten(row) : undefined;
    },
  });

/**
 * Raise an item of any workflow kept in `workflow_items`: the row, the decision, the audit event and the effects
 * of raising (who is told, which deadlines start), in one transaction.
 */
export const raiseStoredItem = async (args: {
  ctx: UseCaseContext;
  itemType: string;
  actorId: string;
  crn: string;
  state: string;
  facts: Record<string, string | null>;
  effects: Effect[];
  platform: Platform;
}) => {
  const { ctx, actorId } = args;
  if (!ctx.directory.person(actorId)) throw new DomainError({ code: 'person.unknown' });
  const module = moduleFor(ctx, args.itemType);
  const now = ctx.clock.now();
  const row = await ctx.store.transaction(async (repos) => {
    const inserted = flatten(await repos.workflowItems.insert({ itemType: args.itemType, crn: args.crn, state: args.state, facts: args.facts, createdAt: now, updatedAt: now }));
    await recordRaise({ repos, itemType: args.itemType, item: inserted, actorId, platform: args.platform, now, details: () => ({ ref: itemRefOf(module, inserted.id), platform: args.platform }) });
    await applyItemEffects({ ctx, repos, module, row: inserted, effects: args.effects, actorId, now });
    return inserted;
  });
  ctx.onCommitted?.({ outbox: true, deadlines: true });
  return { row, ref: itemRefOf(module, row.id) };
};
