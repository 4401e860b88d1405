import { eq } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { teamsConversations } from './schema.js';

/** The Teams conversation reference per person (Entra object id): what proactive messages are sent with. */
export const createTeamsRepository = (db: Executor) => ({
  async saveReference(args: { aadObjectId: string; reference: Record<string, unknown>; at: Date }): Promise<void> {
    await db
      .insert(teamsConversations)
      .values({ aadObjectId: args.aadObjectId, reference: args.reference, updatedAt: args.at })
      .onConflictDoUpdate({ target: teamsConversations.aadObjectId, set: { reference: args.reference, updatedAt: args.at } });
  },
  async reference(aadObjectId: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await db.select().from(teamsConversations).where(eq(teamsConversations.aadObjectId, aadObjectId));
    return row?.reference;
  },
  async reachable(): Promise<Set<string>> {
    const rows = await db.select({ id: teamsConversations.aadObjectId }).from(teamsConversations);
    return new Set(rows.map((row) => row.id));
  },
});
