import type { DeadlineKind, ItemType } from '../domain/workflow.types.js';
import type { ChatMessage } from '../use-cases/chat-message.js';

/**
 * What an outbox row asks to be sent: an intent, rendered once at send time (`renderIntent`), not a message
 * rendered when it was queued. An item message names the item and the message; the dispatcher renders the item
 * as it stands when the row is sent, so a message that waited behind a retry never shows a state or buttons that
 * no longer hold.
 */
export type MessageIntent = ItemIntent | ReminderIntent | DigestIntent | StaticIntent | RefreshIntent;

/** An item's message for one recipient (`personId` null = a shared channel: CRN, risk, state and deadline only). */
export interface ItemIntent {
  kind: 'item';
  itemType: ItemType;
  itemId: number;
  /** The item version the message was queued for: if the item has moved on by send time, no buttons. */
  version: number;
  /** The message key (e.g. `referral.received`): its headline and which buttons belong on it. */
  messageKey: string;
  personId: string | null;
  withActions: boolean;
  /**
   * Deadlines started by the decision that queued the message, in the order started (the last shown is the
   * message's "due"). Kept here because the presenter shows what this decision started, not every open deadline.
   */
  deadlines: { kind: DeadlineKind; dueAt: string }[];
  /** The rationale of the decision that queued the message (also in the decisions table; carried to avoid a join). */
  rationale?: { actorId: string; text: string | null; action: string; changes?: { field: string; from: unknown; to: unknown }[] } | null;
  /** A line shown on the message (e.g. "Passed to you: Tom Reyes is away until 4 Dec"). */
  notice?: string;
}

/**
 * A reminder rung. Still prepared when queued: its words (who owes it, how late it is, which rung) are a snapshot
 * of the chase at the moment the sweep ran, and the sweep's audit records that same moment. Its buttons are still
 * checked at send time (a reminder whose item has moved on loses them).
 */
export interface ReminderIntent {
  kind: 'reminder';
  deadlineId: number;
  rung: string;
  message: ChatMessage;
}

/**
 * A unit's morning digest. A snapshot by nature: it says what was overdue and due at the morning's run (the
 * digest_runs row records that run), so re-rendering it at send time would report a different morning.
 */
export interface DigestIntent {
  kind: 'digest';
  unitId: string;
  day: string;
  message: ChatMessage;
}

/** A message that is not about one item and is complete when queued (the board's weekly chart). */
export interface StaticIntent {
  kind: 'static';
  message: ChatMessage;
}

/** Bring the earlier messages about an item on one platform up to the item's current status. */
export interface RefreshIntent {
  kind: 'refresh';
  itemType: ItemType;
  itemId: number;
  version: number;
  /** Only these people's messages, whatever their version (a request passed on: their buttons retired). */
  onlyFor?: string[];
  /**
   * Only this person's messages, whatever version they showed, with `notice` as their line: a request passed to
   * someone else (use-cases/pass-request.ts) retires the buttons the first person still holds.
   */
  personId?: string;
  /** The line the refreshed messages show instead of the last decision (e.g. to whom it passed). */
  notice?: string;
}

/** What a sent row's payload becomes once retention has cleared it (see outbox-retention). */
export interface ClearedPayload {
  cleared: true;
}

/** The outbox `payload` column: an intent, or the marker left once a sent row was cleared. */
export type OutboxPayload = MessageIntent | ClearedPayload;

export const itemIntent = (args: Omit<ItemIntent, 'kind' | 'deadlines'> & { deadlines: ReadonlyMap<DeadlineKind, Date> }): ItemIntent => ({
  ...args,
  kind: 'item',
  deadlines: [...args.deadlines.entries()].map(([kind, dueAt]) => ({ kind, dueAt: dueAt.toISOString() })),
});
