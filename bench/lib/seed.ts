import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/database.js';

/** Rows of a raw query on either driver (node-postgres QueryResult or PGlite Results). */
export const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

const POLICY = { deadline: '1 working day', urgency: 'standard', repeatEvery: 'PT2H', managerAfter: '1 working day', seniorManagerAfter: '2 working days' };
const URGENT_POLICY = { deadline: 'PT2H', urgency: 'urgent', repeatEvery: 'PT2H', managerAfter: 'PT4H', seniorManagerAfter: 'PT8H' };

/**
 * `count` escalations awaiting countersign in one INSERT … SELECT generate_series; ids follow on from what is
 * there. `unitOf`: SQL for the sender unit from g (1-based), e.g. `'u' || ((g - 1) % 500)`.
 */
export const seedEscalations = async (args: {
  db: Db;
  count: number;
  now: Date;
  urgent?: boolean;
  senderUnit?: string;
  receivingUnit?: string;
  raisedBy?: string;
  countersigner?: string;
  unitSql?: string;
}) => {
  const sender = args.unitSql ? sql.raw(args.unitSql) : sql`${args.senderUnit ?? 'north-3'}`;
  await args.db.execute(sql`
    INSERT INTO escalations (crn, rosh_current, rosh_new, reason, urgency, summary, oasys_reviewed, sender_unit_id,
      receiving_unit_id, raised_by, countersigner_id, state, created_at, updated_at)
    SELECT 'X' || lpad((100000 + g % 900000)::text, 6, '0'), 'HIGH', ${args.urgent ? 'VERY_HIGH' : 'HIGH'}, 'breach_or_new_offence',
      ${args.urgent ? 'urgent' : 'standard'}, 'Bench escalation: breached licence conditions.', true, ${sender},
      ${args.receivingUnit ?? 'north-pp'}, ${args.raisedBy ?? 'amara'}, ${args.countersigner ?? 'tom'}, 'awaiting_countersign',
      ${args.now.toISOString()}::timestamptz, ${args.now.toISOString()}::timestamptz
    FROM generate_series(1, ${args.count}) AS g`);
};

/**
 * Open countersign deadlines in one INSERT … SELECT: item ids `firstItemId + g - 1`, owned by `ownerSql` (a person),
 * due at `dueSql` (SQL of g), next check at the due time. Items above the seeded escalations are synthetic (no FK
 * on item_id); they are never due, so the sweep never loads them.
 */
export const seedDeadlines = async (args: { db: Db; count: number; firstItemId: number; dueSql: string; urgent?: boolean; unitSql?: string; ownerSql?: string }) => {
  const policy = JSON.stringify(args.urgent ? URGENT_POLICY : POLICY);
  await args.db.execute(sql`
    INSERT INTO deadlines (item_type, item_id, kind, unit_id, owners, urgent, started_at, due_at, policy, next_check_at)
    SELECT 'escalation', ${args.firstItemId} + g - 1, 'countersign', ${sql.raw(args.unitSql ?? `'north-3'`)},
      jsonb_build_array(jsonb_build_object('kind', 'person', 'personId', ${sql.raw(args.ownerSql ?? `'tom'`)})),
      ${args.urgent ?? false}, d.due - interval '1 day', d.due, ${policy}::jsonb, d.due
    FROM generate_series(1, ${args.count}) AS g, LATERAL (SELECT (${sql.raw(args.dueSql)})::timestamptz AS due) AS d`);
};
