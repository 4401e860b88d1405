import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/database.js';
import { rowsOf } from './seed.js';

/**
 * The sweep's true floor: one set-based INSERT … SELECT that writes the same reminder rows the sweep writes (same
 * columns, the same dedupe keys, targets and payload shape, every value computed in SQL from the deadline, its
 * escalation and the org's people) into the outbox. It does none of the sweep's deciding (ladder, working time,
 * who may act): it is what writing the rows costs the database, whatever the application does.
 */
const rowsSql = (args: { due: Date; now: Date; people: { id: string; name: string; slack: string }[]; timeZone: string; pad: number }) => {
  const people = sql.join(
    args.people.map((person) => sql`(${person.id}::text, ${person.name}::text, ${person.slack}::text)`),
    sql`, `,
  );
  const now = sql`${args.now.toISOString()}::timestamptz`;
  const late = sql`(CASE WHEN ${now} - d.due_at < interval '1 hour' THEN floor(extract(epoch FROM ${now} - d.due_at) / 60)::int || ' min' ELSE floor(extract(epoch FROM ${now} - d.due_at) / 3600)::int || ' h' END)`;
  const ref = sql`'ESC-' || lpad(e.id::text, 6, '0')`;
  const button = (id: string, label: string, style: SQL | null) =>
    sql`jsonb_strip_nulls(jsonb_build_object('id', ${id}::text, 'label', ${label}::text, 'style', ${style}::text, 'itemId', e.id, 'itemType', 'escalation', 'needsForm', true))`;
  return sql`
    SELECT 'reminder:' || d.id || ':owner:' || d.owner_reminders_sent || ':' || p.id || ':slack:' || p.slack AS dedupe_key,
      'slack' AS platform,
      jsonb_build_object('id', p.slack, 'kind', 'user', 'personId', p.id, 'platform', 'slack') AS target,
      jsonb_build_object(
        'kind', 'reminder', 'rung', 'owner', 'deadlineId', d.id, 'pad', repeat('x', ${args.pad}::int),
        'message', jsonb_build_object(
          'item', jsonb_build_object('id', e.id, 'ref', ${ref}, 'type', 'escalation', 'version', e.version),
          'text', 'Reminder: Countersign for ' || ${ref} || ' (' || e.crn || ') is ' || ${late} || ' late',
          'title', 'Reminder: Countersign ' || ${ref} || ', ' || ${late} || ' late',
          'fields', jsonb_build_array(
            jsonb_build_object('label', 'CRN', 'value', e.crn),
            jsonb_build_object('label', 'Risk (RoSH)', 'value', initcap(e.rosh_current) || ' → ' || initcap(e.rosh_new)),
            jsonb_build_object('label', 'Waiting for', 'value', 'Countersign'),
            jsonb_build_object('label', 'Owed by', 'value', p.name),
            jsonb_build_object('label', 'Due', 'value', to_char(d.due_at AT TIME ZONE ${args.timeZone}::text, 'Dy FMDD Mon YYYY, HH24:MI')),
            jsonb_build_object('label', 'Late by', 'value', ${late}),
            jsonb_build_object('label', 'Urgency', 'value', CASE WHEN d.urgent THEN 'Urgent' ELSE 'Standard' END)),
          'actions', jsonb_build_array(${button('escalation.countersign', 'Countersign', sql`'primary'`)}, ${button('escalation.return', 'Return for changes', null)}))) AS payload,
      'escalation' AS item_type, e.id AS item_id, ${now} AS next_attempt_at, ${now} AS created_at
    FROM deadlines d
    JOIN escalations e ON e.id = d.item_id AND d.item_type = 'escalation'
    JOIN (VALUES ${people}) AS p(id, name, slack) ON p.id = d.owners->0->>'personId'
    WHERE d.met_at IS NULL AND d.next_check_at <= ${args.due.toISOString()}::timestamptz
    ORDER BY d.next_check_at`;
};

export type FloorArgs = { db: Db; due: Date; now: Date; people: { id: string; name: string; slack: string }[]; timeZone: string };

/** Average payload size (bytes of its JSON text) the floor would write with no padding. */
export const floorPayloadBytes = async (args: FloorArgs): Promise<number> => {
  const [row] = rowsOf<{ n: number | string }>(await args.db.execute(sql`SELECT avg(octet_length(payload::text))::float8 AS n FROM (${rowsSql({ ...args, pad: 0 })}) AS r`));
  return Number(row?.n ?? 0);
};

/** Write the floor's rows (padded to `bytes` per payload on average) in one INSERT … SELECT; returns rows written. */
export const insertFloor = async (args: FloorArgs & { pad: number }): Promise<number> => {
  const result = await args.db.execute(sql`
    INSERT INTO outbox (dedupe_key, platform, target, payload, item_type, item_id, next_attempt_at, created_at)
    ${rowsSql(args)}
    ON CONFLICT (dedupe_key) DO NOTHING`);
  return Number((result as { rowCount?: number; affectedRows?: number }).rowCount ?? (result as { affectedRows?: number }).affectedRows ?? 0);
};

/** Average payload bytes of the reminder rows in the outbox now. */
export const outboxPayloadBytes = async (db: Db): Promise<number> => {
  const [row] = rowsOf<{ n: number | string }>(await db.execute(sql`SELECT avg(octet_length(payload::text))::float8 AS n FROM outbox WHERE starts_with(dedupe_key, 'reminder:')`));
  return Number(row?.n ?? 0);
};
