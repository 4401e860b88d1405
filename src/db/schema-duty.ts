// Duty hand-overs, kept apart so schema.ts stays short; src/db/schema.ts re-exports them.
import { date, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { created } from './schema-columns.js';

/**
 * One row per hand-over of a duty desk's pending requests: `key` says which change caused it (a /duty change by
 * its row id, or the day turning by unit and date), so a second replica or a restart inserting it again does
 * nothing and the pending requests move exactly once.
 */
export const dutyHandovers = pgTable('duty_handovers', {
  key: text('key').primaryKey(),
  unitId: text('unit_id').notNull(),
  onDate: date('on_date', { mode: 'string' }).notNull(),
  fromIds: jsonb('from_ids').$type<string[]>().notNull(),
  toIds: jsonb('to_ids').$type<string[]>().notNull(),
  at: created(),
});
