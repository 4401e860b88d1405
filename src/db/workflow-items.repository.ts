import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { workflowItems } from './schema.js';

export type WorkflowItemRow = typeof workflowItems.$inferSelect;
export type NewWorkflowItem = typeof workflowItems.$inferInsert;

/**
 * Items of workflows registered at composition without a table of their own. Each workflow sees only its own
 * rows (`item_type`); changes are conditional updates on the version, like every item.
 */
export const createWorkflowItemsRepository = (db: Executor) => ({
  async insert(values: NewWorkflowItem): Promise<WorkflowItemRow> {
    const [row] = await db.insert(workflowItems).values(values).returning();
    return row as WorkflowItemRow;
  },
  async get(itemType: string, id: number): Promise<WorkflowItemRow | undefined> {
    const [row] = await db
      .select()
      .from(workflowItems)
      .where(and(eq(workflowItems.itemType, itemType), eq(workflowItems.id, id)));
    return row;
  },
  async byIds(itemType: string, ids: number[]): Promise<WorkflowItemRow[]> {
    if (ids.length === 0) return [];
    return db
      .select()
      .from(workflowItems)
      .where(and(eq(workflowItems.itemType, itemType), inArray(workflowItems.id, ids)));
  },
  /** A patch's `state` is the column; every other key is one of the item's facts. */
  async update(itemType: string, args: { id: number; expectedVersion: number; patch: Record<string, unknown> }): Promise<WorkflowItemRow | undefined> {
    const { state, ...facts } = args.patch as { state?: string } & Record<string, string | null>;
    const [row] = await db
      .update(workflowItems)
      .set({
        ...(state ? { state } : {}),
        facts: sql`${workflowItems.facts} || ${JSON.stringify(facts)}::jsonb`,
        version: sql`${workflowItems.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(workflowItems.itemType, itemType), eq(workflowItems.id, args.id), eq(workflowItems.version, args.expectedVersion)))
      .returning();
    return row;
  },
});
