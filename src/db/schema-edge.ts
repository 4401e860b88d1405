// Tables at the edges and for operations, kept apart so each schema file stays short; src/db/schema.ts re-exports
// them, so drizzle-kit and every repository still see one schema.
import { date, index, integer, jsonb, pgTable, primaryKey, serial, text } from 'drizzle-orm/pg-core';
import { created, ts } from './schema-columns.js';

/** Teams conversation references, stored on install or first message. */
export const teamsConversations = pgTable('teams_conversations', {
  aadObjectId: text('aad_object_id').primaryKey(),
  reference: jsonb('reference').$type<Record<string, unknown>>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Slack requests already accepted, one row per signed request, shared by every replica: a captured request replayed
 * to another replica inside Slack's 5-minute window finds its row and is refused. Rows older than the window go.
 */
export const slackRequestLedger = pgTable(
  'slack_request_ledger',
  {
    /** `<timestamp>:<v0 signature>`: unique per signed request (Slack's retries are signed anew). */
    requestKey: text('request_key').primaryKey(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('slack_request_ledger_expires_idx').on(t.expiresAt)],
);

/**
 * Items of workflows registered at composition that bring no table of their own (src/use-cases/workflows/):
 * the state and version like any item, the workflow's facts as one typed jsonb object.
 */
export const workflowItems = pgTable(
  'workflow_items',
  {
    id: serial('id').primaryKey(),
    itemType: text('item_type').notNull(),
    crn: text('crn').notNull(),
    state: text('state').notNull(),
    version: integer('version').notNull().default(1),
    facts: jsonb('facts').$type<Record<string, string | null>>().notNull(),
    createdAt: created(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('workflow_items_type_idx').on(t.itemType, t.id)],
);

/** One row per unit and local day whose digest was written: the run's bookkeeping, not inferred from outbox keys. */
export const digestRuns = pgTable(
  'digest_runs',
  {
    unitId: text('unit_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    ranAt: ts('ran_at').notNull(),
    messages: integer('messages').notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.day] })],
);
