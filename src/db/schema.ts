import { sql } from 'drizzle-orm';
import type { OutboxPayload } from '../delivery/message-intent.js';
import { bigserial, boolean, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

import { created, ts } from './schema-columns.js';

/** People from the org file. Never deleted: history keeps its actors. */
export const people = pgTable(
  'people',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    slackUserId: text('slack_user_id'),
    teamsAadId: text('teams_aad_id'),
    email: text('email'),
    inOrgFile: boolean('in_org_file').notNull().default(true),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('people_slack_idx').on(t.slackUserId), index('people_teams_idx').on(t.teamsAadId)],
);

export const units = pgTable('units', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  managerId: text('manager_id')
    .notNull()
    .references(() => people.id),
  seniorManagerId: text('senior_manager_id').references(() => people.id),
  escalatesTo: text('escalates_to'),
  receives: jsonb('receives').$type<string[]>().notNull().default([]),
  slackChannel: text('slack_channel'),
  teamsChannel: text('teams_channel'),
  defaultDuty: jsonb('default_duty').$type<string[]>().notNull().default([]),
  inOrgFile: boolean('in_org_file').notNull().default(true),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const unitMembers = pgTable(
  'unit_members',
  {
    unitId: text('unit_id')
      .notNull()
      .references(() => units.id),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    active: boolean('active').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.personId] })],
);

/** Duty rota changes, one row per change; the latest row for (unit, day) wins over the org default. */
export const dutyAssignments = pgTable(
  'duty_assignments',
  {
    id: serial('id').primaryKey(),
    unitId: text('unit_id')
      .notNull()
      .references(() => units.id),
    onDate: date('on_date', { mode: 'string' }).notNull(),
    /** The last day of a ranged change (inclusive); null: the change is for `onDate` only. */
    untilDate: date('until_date', { mode: 'string' }),
    personIds: jsonb('person_ids').$type<string[]>().notNull(),
    setBy: text('set_by').references(() => people.id),
    setAt: created(),
  },
  (t) => [index('duty_unit_date_idx').on(t.unitId, t.onDate, t.id)],
);

export const escalations = pgTable(
  'escalations',
  {
    id: serial('id').primaryKey(),
    crn: text('crn').notNull(),
    noms: text('noms'),
    roshCurrent: text('rosh_current').notNull(),
    roshNew: text('rosh_new').notNull(),
    mappaCategory: integer('mappa_category'),
    mappaLevel: integer('mappa_level'),
    reason: text('reason').notNull(),
    urgency: text('urgency').notNull(),
    summary: text('summary').notNull(),
    oasysReviewed: boolean('oasys_reviewed').notNull(),
    /** The OASys assessment reference (a number, not the assessment): DMs and the timeline only. */
    oasysRef: text('oasys_ref'),
    senderUnitId: text('sender_unit_id')
      .notNull()
      .references(() => units.id),
    receivingUnitId: text('receiving_unit_id')
      .notNull()
      .references(() => units.id),
    raisedBy: text('raised_by')
      .notNull()
      .references(() => people.id),
    countersignerId: text('countersigner_id')
      .notNull()
      .references(() => people.id),
    state: text('state').notNull(),
    version: integer('version').notNull().default(1),
    acceptedBy: text('accepted_by').references(() => people.id),
    newCaseManagerId: text('new_case_manager_id').references(() => people.id),
    handoverOldConfirmedAt: ts('handover_old_confirmed_at'),
    handoverNewConfirmedAt: ts('handover_new_confirmed_at'),
    /** The agreed time of the handover meeting (Schedule handover), and its video-call link if any. */
    handoverAt: ts('handover_at'),
    handoverLink: text('handover_link'),
    createdAt: created(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
  },
  (t) => [index('escalations_crn_idx').on(t.crn), index('escalations_state_idx').on(t.state)],
);

export const referrals = pgTable(
  'referrals',
  {
    id: serial('id').primaryKey(),
    crn: text('crn').notNull(),
    noms: text('noms'),
    referralType: text('referral_type').notNull(),
    providerUnitId: text('provider_unit_id')
      .notNull()
      .references(() => units.id),
    senderUnitId: text('sender_unit_id')
      .notNull()
      .references(() => units.id),
    prison: text('prison').notNull(),
    releaseDate: date('release_date', { mode: 'string' }).notNull(),
    releaseType: text('release_type').notNull(),
    needs: jsonb('needs').$type<string[]>().notNull().default([]),
    notes: text('notes').notNull().default(''),
    referBy: date('refer_by', { mode: 'string' }).notNull(),
    lateWeeks: integer('late_weeks').notNull().default(0),
    raisedBy: text('raised_by')
      .notNull()
      .references(() => people.id),
    assignedWorkerId: text('assigned_worker_id').references(() => people.id),
    state: text('state').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: created(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
  },
  (t) => [index('referrals_crn_idx').on(t.crn)],
);

/** Every decision with its actor, role, rationale and time. */
export const decisions = pgTable(
  'decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    itemType: text('item_type').notNull(),
    itemId: integer('item_id').notNull(),
    action: text('action').notNull(),
    actorId: text('actor_id')
      .notNull()
      .references(() => people.id),
    actorRole: text('actor_role').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    rationale: text('rationale'),
    platform: text('platform'),
    decidedAt: ts('decided_at').notNull(),
    /** A delegate or acting manager decided for this person (absence cover); null = in their own right. */
    onBehalfOf: text('on_behalf_of'),
    /** The roles of the person acted for, as `actorRole` records the actor's. */
    onBehalfRole: text('on_behalf_role'),
    /** An edit's changes, field by field (edit and resubmit, a planned referral sent). */
    changes: jsonb('changes').$type<{ field: string; from: unknown; to: unknown; narrative?: true }[]>(),
  },
  (t) => [index('decisions_item_idx').on(t.itemType, t.itemId)],
);

export type Owner = { kind: string; personId?: string; unitId?: string };

/** Deadlines as rows. `next_check_at` is when the sweep must look again; the partial index keeps sweeps cheap. */
export const deadlines = pgTable(
  'deadlines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    itemType: text('item_type').notNull(),
    itemId: integer('item_id').notNull(),
    kind: text('kind').notNull(),
    unitId: text('unit_id')
      .notNull()
      .references(() => units.id),
    owners: jsonb('owners').$type<Owner[]>().notNull(),
    urgent: boolean('urgent').notNull(),
    startedAt: ts('started_at').notNull(),
    dueAt: ts('due_at').notNull(),
    metAt: ts('met_at'),
    metBy: text('met_by'),
    policy: jsonb('policy').$type<Record<string, unknown>>().notNull(),
    nextCheckAt: ts('next_check_at').notNull(),
    ownerRemindersSent: integer('owner_reminders_sent').notNull().default(0),
    lastOwnerReminderAt: ts('last_owner_reminder_at'),
    managerRemindedAt: ts('manager_reminded_at'),
    seniorRemindedAt: ts('senior_reminded_at'),
  },
  (t) => [
    index('deadlines_open_next_check_idx').on(t.nextCheckAt).where(sql`met_at IS NULL`),
    index('deadlines_item_idx').on(t.itemType, t.itemId),
    uniqueIndex('deadlines_open_kind_uq').on(t.itemType, t.itemId, t.kind).where(sql`met_at IS NULL`),
  ],
);

/** Append-only: a trigger (migration 0001) refuses UPDATE and DELETE. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull(),
    actorId: text('actor_id'),
    event: text('event').notNull(),
    itemType: text('item_type'),
    itemId: integer('item_id'),
    crn: text('crn'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_crn_idx').on(t.crn), index('audit_item_idx').on(t.itemType, t.itemId), index('audit_event_at_idx').on(t.event, t.at)],
);

/** Every outgoing message, written in the transaction that caused it. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    platform: text('platform').notNull(),
    target: jsonb('target').$type<Record<string, string>>().notNull(),
    /** A message intent, rendered at send time (see delivery/message-intent.ts). */
    payload: jsonb('payload').$type<OutboxPayload>().notNull(),
    itemType: text('item_type'),
    itemId: integer('item_id'),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    leaseUntil: ts('lease_until'),
    lastError: text('last_error'),
    createdAt: created(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey),
    index('outbox_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    // The digest's "dead in the last week": dead rows are few, so this stays small whatever the outbox holds.
    index('outbox_dead_idx').on(t.createdAt).where(sql`status = 'dead'`),
    // The claim's other half (leases run out): with the due index, a claim reads only claimable rows, not the history.
    index('outbox_lease_idx').on(t.leaseUntil).where(sql`status = 'sending'`),
  ],
);

/** Where each message about an item landed, so later decisions can update it (chat.update, card refresh). */
export const messageRefs = pgTable(
  'message_refs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    itemType: text('item_type').notNull(),
    itemId: integer('item_id').notNull(),
    platform: text('platform').notNull(),
    personId: text('person_id'),
    channel: text('channel').notNull(),
    messageId: text('message_id').notNull(),
    /** The item version the message showed; a refresh updates only messages of earlier versions. */
    itemVersion: integer('item_version'),
    createdAt: created(),
  },
  (t) => [index('message_refs_item_idx').on(t.itemType, t.itemId)],
);

/**
 * Managers' board sessions (and sign-ins in flight: person_id null, `pending` holds the OpenID state, nonce and
 * PKCE verifier). Only a SHA-256 of the cookie's random id is stored, so a database read cannot sign anyone in.
 */
export const boardSessions = pgTable(
  'board_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    personId: text('person_id').references(() => people.id),
    provider: text('provider').notNull(),
    csrfSecret: text('csrf_secret').notNull(),
    pending: jsonb('pending').$type<{ state: string; nonce: string; codeVerifier: string; returnTo: string }>(),
    createdAt: created(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('board_sessions_expires_idx').on(t.expiresAt)],
);

// The edge and operations tables (Teams references, replay ledger, registered workflows, digest runs).
export * from './schema-edge.js';
export * from './schema-duty.js';
export * from './schema-teams.js';
export * from './schema-teams-files.js';
// Absences and delegation (/away).
export * from './schema-absence.js';
