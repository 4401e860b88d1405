import type { Repositories } from '../db/store.js';
import { type ChasePlan, planChase } from '../domain/reminder-ladder.js';
import type { DeadlineKind, Effect, ItemType } from '../domain/workflow.types.js';
import { addDeadline, atLocalTime } from '../domain/time/working-time.js';
import type { MessageIntent } from '../delivery/message-intent.js';
import type { ReachProvider } from '../delivery/reach.js';
import type { Directory } from './directory.js';
import { coverFor } from './cover-recipients.js';
import { outboxRowsFor } from './outbox-rows.js';
import type { NewOutboxRow } from '../db/outbox.repository.js';
import { resolveRecipient } from './recipients.js';
import { reminderPolicy } from './reminder-policy.js';

// Who a message is for (recipients.ts) and the outbox rows it becomes (outbox-rows.ts) have their own files;
// re-exported here for callers that import them from effects.
export { type ResolvedRecipient, dutyToday, resolveRecipient, targetsForPerson } from './recipients.js';
export { type MessageRequest, enqueueMessage, outboxRowsFor } from './outbox-rows.js';

export interface ItemHandle {
  itemType: ItemType;
  itemId: number;
  version: number;
  crn: string;
  urgent: boolean;
  /** For the delivery deadline: the release date (local YYYY-MM-DD). */
  releaseDate?: string;
  /** For the handover meeting deadline: the agreed time. */
  meetingAt?: Date;
}

/** The intent of a message for one recipient (a person id, or null for a unit channel), rendered at send time. */
export type IntentFor = (args: { message: string; personId: string | null; withActions: boolean; deadlines: ReadonlyMap<DeadlineKind, Date> }) => MessageIntent;

/** A delegate's request says whom they act for (an item message only; other intents carry no notice). */
const withNotice = (intent: MessageIntent, notice: string | null | undefined): MessageIntent => (notice && intent.kind === 'item' && !intent.notice ? { ...intent, notice } : intent);

const dueFor = (args: { directory: Directory; kind: DeadlineKind; item: ItemHandle; now: Date }): Date => {
  if (args.kind === 'delivery' && args.item.releaseDate) {
    return atLocalTime({ timeZone: args.directory.org.timezone, date: args.item.releaseDate, time: '00:00' });
  }
  if (args.kind === 'handoverMeeting' && args.item.meetingAt) return args.item.meetingAt;
  const spec = args.directory.deadlineSpec({ kind: args.kind, urgent: args.item.urgent });
  return addDeadline({ calendar: args.directory.calendar, from: args.now, spec });
};

export const firstCheck = (args: { directory: Directory; dueAt: Date; urgent: boolean; now: Date }): ChasePlan =>
  planChase({
    facts: { dueAt: args.dueAt, urgent: args.urgent, ownerRemindersSent: 0, lastOwnerReminderAt: null, managerRemindedAt: null, seniorRemindedAt: null },
    policy: reminderPolicy(args.directory),
    calendar: args.directory.calendar,
    now: args.now,
  });

/** Apply a transition's effects inside the caller's transaction. Returns who could not be reached. */
export const applyEffects = async (args: {
  repos: Repositories;
  directory: Directory;
  reach: readonly ReachProvider[];
  item: ItemHandle;
  effects: Effect[];
  actorId: string | null;
  now: Date;
  intent: IntentFor;
}): Promise<{ unreachable: string[]; deadlinesStarted: ReadonlyMap<DeadlineKind, Date> }> => {
  const { repos, directory, item, now } = args;
  const unreachable: string[] = [];
  const messages: NewOutboxRow[] = [];
  const dueByKind = new Map<DeadlineKind, Date>();
  for (const effect of args.effects) {
    if (effect.type === 'meetDeadlines') {
      await repos.deadlines.meet({ itemType: item.itemType, itemId: item.itemId, kinds: effect.kinds, at: now, by: args.actorId });
    } else if (effect.type === 'startDeadline') {
      const dueAt = dueFor({ directory, kind: effect.kind, item, now });
      const spec = directory.deadlineSpec({ kind: effect.kind, urgent: item.urgent });
      const policy = reminderPolicy(directory);
      const nextCheckAt = firstCheck({ directory, dueAt, urgent: item.urgent, now }).nextCheckAt;
      await repos.deadlines.meet({ itemType: item.itemType, itemId: item.itemId, kinds: [effect.kind], at: now, by: null });
      await repos.deadlines.insert({
        itemType: item.itemType,
        itemId: item.itemId,
        kind: effect.kind,
        unitId: effect.unitId,
        owners: effect.owners.map((owner) => ({ ...owner })),
        urgent: item.urgent,
        startedAt: now,
        dueAt,
        policy: {
          deadline: spec.text,
          urgency: item.urgent ? 'urgent' : 'standard',
          repeatEvery: policy.repeatEvery.text,
          managerAfter: policy.managerAfter.text,
          seniorManagerAfter: policy.seniorManagerAfter.text,
        },
        nextCheckAt,
      });
      dueByKind.set(effect.kind, dueAt);
    } else if (effect.type === 'notify') {
      const resolved = await resolveRecipient({ repos, directory, recipient: effect.to, now });
      // A request with buttons for someone away goes to whoever covers them.
      const covered = effect.withActions ? await coverFor({ repos, directory, now, personIds: resolved.personIds }) : null;
      const recipient = covered ? { ...resolved, personIds: covered.personIds } : resolved;
      const result = await outboxRowsFor({
        repos,
        directory,
        reach: args.reach,
        item,
        dedupePrefix: `${item.itemType}:${item.itemId}:v${item.version}:${effect.message}`,
        recipient,
        intent: (personId) => withNotice(args.intent({ message: effect.message, personId, withActions: effect.withActions, deadlines: dueByKind }), personId && covered?.notices.get(personId)),
        now,
      });
      messages.push(...result.rows);
      unreachable.push(...result.unreachable);
    }
  }
  for (const platform of item.version > 1 ? (['slack', 'teams'] as const) : []) {
    messages.push({
      dedupeKey: `${item.itemType}:${item.itemId}:v${item.version}:refresh:${platform}`,
      platform,
      target: { platform, kind: 'refresh', id: `${item.itemType}:${item.itemId}` },
      payload: { kind: 'refresh', itemType: item.itemType, itemId: item.itemId, version: item.version },
      itemType: item.itemType,
      itemId: item.itemId,
      nextAttemptAt: now,
      createdAt: now,
    });
  }
  // Every message of the transition in one INSERT (in the order they were made): one statement, not one per message.
  await repos.outbox.enqueue(messages);
  if (unreachable.length > 0) {
    await repos.records.audit({ at: now, actorId: null, event: 'person.unreachable', itemType: item.itemType, itemId: item.itemId, crn: item.crn, details: { people: [...new Set(unreachable)] } });
  }
  return { unreachable, deadlinesStarted: dueByKind };
};
