import { sql } from 'drizzle-orm';
import type { ChaseState } from './deadlines.repository.js';
import type { Executor } from './executor.js';
import type { NewOutboxRow } from './outbox.repository.js';
import type { NewAuditRow } from './records.repository.js';
import { auditLog, deadlines, messageRefs, outbox } from './schema.js';

/**
 * Set-based writes for a sweep's batch: every row travels as one JSON array in one bind parameter and PostgreSQL
 * unpacks it (jsonb_array_elements … WITH ORDINALITY, so rows keep the order given and ids follow it). Building a
 * multi-row VALUES list instead costs drizzle a parameter object per cell, which was a tenth of a sweep's CPU, and
 * needs chunking under the 65,535 bind-parameter limit; one parameter needs neither.
 */
const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;

/** Outbox rows as the JSON parameter both writers unpack (short keys: the parameter of a sweep batch is large). */
const packOutboxRows = (rows: NewOutboxRow[]) =>
  rows.map((row) => ({
    k: row.dedupeKey,
    p: row.platform,
    t: row.target,
    b: row.payload,
    it: row.itemType ?? null,
    ii: row.itemId ?? null,
    n: row.nextAttemptAt,
    c: row.createdAt ?? null,
  }));

/** Insert outbox rows whose dedupe key is new (ON CONFLICT DO NOTHING); returns the keys that were new. */
export const insertOutboxRows = async (db: Executor, rows: NewOutboxRow[]): Promise<Set<string>> => {
  if (rows.length === 0) return new Set();
  const packed = packOutboxRows(rows);
  const result = await db.execute(sql`
    INSERT INTO ${outbox} (dedupe_key, platform, target, payload, item_type, item_id, next_attempt_at, created_at)
    SELECT e.v->>'k', e.v->>'p', e.v->'t', e.v->'b', e.v->>'it', (e.v->>'ii')::integer, (e.v->>'n')::timestamptz, coalesce((e.v->>'c')::timestamptz, now())
    FROM jsonb_array_elements(${json(packed)}) WITH ORDINALITY AS e(v, i)
    ORDER BY e.i
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING dedupe_key`);
  return new Set(rowsOf<{ dedupe_key: string }>(result).map((row) => row.dedupe_key));
};

/** Append audit rows in the order given. */
export const insertAuditRows = async (db: Executor, rows: NewAuditRow[]): Promise<void> => {
  if (rows.length === 0) return;
  const packed = rows.map((row) => ({ a: row.at, by: row.actorId ?? null, e: row.event, it: row.itemType ?? null, ii: row.itemId ?? null, crn: row.crn ?? null, d: row.details ?? {} }));
  await db.execute(sql`
    INSERT INTO ${auditLog} (at, actor_id, event, item_type, item_id, crn, details)
    SELECT (e.v->>'a')::timestamptz, e.v->>'by', e.v->>'e', e.v->>'it', (e.v->>'ii')::integer, e.v->>'crn', e.v->'d'
    FROM jsonb_array_elements(${json(packed)}) WITH ORDINALITY AS e(v, i)
    ORDER BY e.i`);
};

export type NewMessageRef = typeof messageRefs.$inferInsert;

/** Record where many messages landed, in the order given. */
export const insertMessageRefs = async (db: Executor, refs: NewMessageRef[]): Promise<void> => {
  if (refs.length === 0) return;
  await db.execute(sql`
    INSERT INTO ${messageRefs} (item_type, item_id, platform, person_id, channel, message_id, item_version, created_at)
    SELECT e.v->>'itemType', (e.v->>'itemId')::integer, e.v->>'platform', e.v->>'personId', e.v->>'channel', e.v->>'messageId',
      (e.v->>'itemVersion')::integer, coalesce((e.v->>'createdAt')::timestamptz, now())
    FROM jsonb_array_elements(${json(refs)}) WITH ORDINALITY AS e(v, i)
    ORDER BY e.i`);
};

/** An audit row of a sweep batch; `enqueuedOf`: dedupe keys whose newly written rows are counted into details.enqueued. */
export type SweepAuditRow = NewAuditRow & { enqueuedOf?: string[] };

/**
 * A sweep batch's three writes in one statement (one round trip): the outbox rows (ON CONFLICT DO NOTHING), the
 * audit rows in the order given, each 'reminder.sent' counting its rung's rows this statement wrote (from the
 * INSERT's RETURNING, so a rung another sweep already wrote counts 0), and the chase states. Each list travels as
 * one JSON parameter unpacked by json_to_recordset into typed columns (no per-field ->> extraction).
 */
export const writeSweepRows = async (db: Executor, args: { outbox: NewOutboxRow[]; audits: SweepAuditRow[]; chase: ChaseState[] }): Promise<void> => {
  const { outbox: rows, audits, chase } = args;
  if (rows.length === 0 && audits.length === 0 && chase.length === 0) return;
  const packedRows = packOutboxRows(rows);
  const packedAudits = audits.map((row) => ({
    a: row.at,
    ac: row.actorId ?? null,
    e: row.event,
    it: row.itemType ?? null,
    ii: row.itemId ?? null,
    crn: row.crn ?? null,
    d: row.details ?? {},
    q: row.enqueuedOf ?? null,
  }));
  const packedChase = chase.map((state) => ({
    id: state.id,
    n: state.nextCheckAt,
    o: state.ownerRemindersSent,
    l: state.lastOwnerReminderAt,
    m: state.managerRemindedAt,
    s: state.seniorRemindedAt,
  }));
  await db.execute(sql`
    WITH written AS (
      INSERT INTO ${outbox} (dedupe_key, platform, target, payload, item_type, item_id, next_attempt_at, created_at)
      SELECT r.k, r.p, r.t, r.b, r.it, r.ii, r.n, coalesce(r.c, now())
      FROM ROWS FROM (json_to_recordset(${JSON.stringify(packedRows)}::json) AS (k text, p text, t jsonb, b jsonb, it text, ii integer, n timestamptz, c timestamptz))
        WITH ORDINALITY AS r(k, p, t, b, it, ii, n, c, i)
      ORDER BY r.i
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING dedupe_key
    ), audited AS (
      INSERT INTO ${auditLog} (at, actor_id, event, item_type, item_id, crn, details)
      SELECT a.a, a.ac, a.e, a.it, a.ii, a.crn,
        CASE WHEN a.q IS NULL THEN a.d
        ELSE a.d || jsonb_build_object('enqueued', (SELECT count(DISTINCT k.key) FROM json_array_elements_text(a.q) AS k(key) WHERE k.key IN (SELECT dedupe_key FROM written))) END
      FROM ROWS FROM (json_to_recordset(${JSON.stringify(packedAudits)}::json) AS (a timestamptz, ac text, e text, it text, ii integer, crn text, d jsonb, q json))
        WITH ORDINALITY AS a(a, ac, e, it, ii, crn, d, q, i)
      ORDER BY a.i
    ), chased AS (
      UPDATE ${deadlines} SET
        next_check_at = s.n, owner_reminders_sent = s.o, last_owner_reminder_at = s.l, manager_reminded_at = s.m, senior_reminded_at = s.s
      FROM json_to_recordset(${JSON.stringify(packedChase)}::json) AS s(id bigint, n timestamptz, o integer, l timestamptz, m timestamptz, s timestamptz)
      WHERE ${deadlines}.id = s.id
    )
    SELECT 1`);
};
