import { bigserial, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './schema-columns.js';

/**
 * Absences (`/away`): one row per absence, never deleted (the runtime role has no DELETE on it and a trigger refuses
 * one): `/away off` ends it now by setting `ends_at`, and says who ended it. `passed_at` marks that the absence's
 * start has been acted on (pending requests passed to the delegate), so a sweep tick does it once.
 */
export const absences = pgTable(
  'absences',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    personId: text('person_id').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    /** The delegate the person (or whoever recorded it) named; null = the org's default order. */
    delegateId: text('delegate_id'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
    endedBy: text('ended_by'),
    endedAt: ts('ended_at'),
    passedAt: ts('passed_at'),
    /** Bumped whenever the row changes, so history readers can tell an edited row. */
    revision: integer('revision').notNull().default(1),
  },
  (t) => [index('absences_person_idx').on(t.personId, t.endsAt), index('absences_ends_idx').on(t.endsAt)],
);
