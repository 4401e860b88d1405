import type { NewOutboxRow } from '../db/outbox.repository.js';
import type { Repositories } from '../db/store.js';
import { type ChasePlan, planChase } from '../domain/reminder-ladder.js';
import type { DeadlineKind, Effect, ItemType, Recipient } from '../domain/workflow.types.js';
import { addDeadline, atLocalTime, localDate } from '../domain/working-time.js';
import type { ChatMessage, Target } from './chat-message.js';
import type { Directory } from './directory.js';
import { reminderPolicy } from './reminder-policy.js';

/** Today's duty officers for a unit: the latest /duty change for today, else the org file's rota. */
export const dutyToday = async (args: { repos: Repositories; directory: Directory; unitId: string; now: Date }): Promise<string[]> => {
  const today = localDate({ calendar: args.directory.calendar, at: args.now });
  const change = await args.repos.duty.latest({ unitId: args.unitId, onDate: today });
  return change ? change.personIds : (args.directory.unit(args.unitId)?.duty ?? []);
};

export interface ResolvedRecipient {
  personIds: string[];
  channel?: { slack?: string; teams?: string };
  /** The duty desk had nobody on it: the unit manager was used instead. */
  uncovered?: boolean;
}

export const resolveRecipient = async (args: {
  repos: Repositories;
  directory: Directory;
  recipient: Recipient;
  now: Date;
}): Promise<ResolvedRecipient> => {
  const { recipient, directory } = args;
  if (recipient.kind === 'person') return { personIds: [recipient.personId] };
  const unit = directory.unit(recipient.unitId);
  if (!unit) return { personIds: [] };
  switch (recipient.kind) {
    case 'unitManager':
      return { personIds: [unit.manager] };
    case 'unitSeniorManager':
      return { personIds: [unit.seniorManager ?? unit.manager] };
    case 'unitChannel':
      return { personIds: [], channel: unit.channel };
    case 'unitDuty': {
      const duty = await dutyToday({ repos: args.repos, directory, unitId: unit.id, now: args.now });
      return duty.length > 0 ? { personIds: duty } : { personIds: [unit.manager], uncovered: true };
    }
  }
};

/**
 * Where a person can be reached: Slack if mapped, Teams if mapped and the bot has a conversation with them.
 * A person the bot cannot reach at all is reported, and their message goes to their manager instead.
 */
export const targetsForPerson = async (args: {
  repos: Repositories;
  directory: Directory;
  personId: string;
  depth?: number;
  /** The Teams ids the bot has a conversation with (repos.teams.reachable()), read once by a batch; else one lookup each. */
  teamsReachable?: ReadonlySet<string>;
}): Promise<{ targets: Target[]; unreachable: string[] }> => {
  const entry = args.directory.person(args.personId);
  const targets: Target[] = [];
  const teamsReachable = async (aadObjectId: string) =>
    args.teamsReachable ? args.teamsReachable.has(aadObjectId) : Boolean(await args.repos.teams.reference(aadObjectId));
  if (entry?.slack) targets.push({ platform: 'slack', kind: 'user', id: entry.slack, personId: args.personId });
  if (entry?.teams && (await teamsReachable(entry.teams.toLowerCase()))) {
    targets.push({ platform: 'teams', kind: 'user', id: entry.teams.toLowerCase(), personId: args.personId });
  }
  if (targets.length > 0) return { targets, unreachable: [] };
  const manager = args.directory.managerOf(args.personId);
  if (!manager || manager === args.personId || (args.depth ?? 0) >= 2) return { targets: [], unreachable: [args.personId] };
  const fallback = await targetsForPerson({ ...args, personId: manager, depth: (args.depth ?? 0) + 1 });
  return { targets: fallback.targets, unreachable: [args.personId, ...fallback.unreachable] };
};

export interface ItemHandle {
  itemType: ItemType;
  itemId: number;
  version: number;
  crn: string;
  urgent: boolean;
  /** For the delivery deadline: the release date (local YYYY-MM-DD). */
  releaseDate?: string;
}

/** Build a message for one recipient (a person id, or null for a unit channel). */
export type RenderMessage = (args: {
  message: string;
  personId: string | null;
  withActions: boolean;
  deadlines: ReadonlyMap<DeadlineKind, Date>;
}) => ChatMessage;

export interface MessageRequest {
  repos: Repositories;
  directory: Directory;
  item: ItemHandle | null;
  dedupePrefix: string;
  recipient: ResolvedRecipient;
  render: (personId: string | null) => ChatMessage;
  now: Date;
  /** See targetsForPerson: a batch's precomputed Teams reachability. */
  teamsReachable?: ReadonlySet<string>;
}

/** Write a message to the outbox (once per dedupe key) for each recipient's reachable targets. */
export const enqueueMessage = async (args: MessageRequest): Promise<{ enqueued: number; unreachable: string[] }> => {
  const { rows, unreachable } = await outboxRowsFor(args);
  const enqueued = await args.repos.outbox.enqueue(rows);
  return { enqueued, unreachable };
};

/** The outbox rows a message would write, not yet written (a sweep writes a whole batch's rows at once). */
export const outboxRowsFor = async (args: MessageRequest): Promise<{ rows: NewOutboxRow[]; unreachable: string[] }> => {
  const rows: NewOutboxRow[] = [];
  const unreachable: string[] = [];
  const base = {
    itemType: args.item?.itemType ?? null,
    itemId: args.item?.itemId ?? null,
    nextAttemptAt: args.now,
    createdAt: args.now,
  };
  for (const personId of args.recipient.personIds) {
    const reach = await targetsForPerson({ repos: args.repos, directory: args.directory, personId, teamsReachable: args.teamsReachable });
    unreachable.push(...reach.unreachable);
    const payload = args.render(personId) as unknown as Record<string, unknown>;
    for (const target of reach.targets) {
      rows.push({ ...base, dedupeKey: `${args.dedupePrefix}:${personId}:${target.platform}:${target.id}`, platform: target.platform, target, payload });
    }
  }
  if (args.recipient.channel?.slack) {
    const target: Target = { platform: 'slack', kind: 'channel', id: args.recipient.channel.slack };
    rows.push({ ...base, dedupeKey: `${args.dedupePrefix}:channel:slack:${target.id}`, platform: 'slack', target, payload: args.render(null) as unknown as Record<string, unknown> });
  }
  return { rows, unreachable };
};

const dueFor = (args: { directory: Directory; kind: DeadlineKind; item: ItemHandle; now: Date }): Date => {
  if (args.kind === 'delivery' && args.item.releaseDate) {
    return atLocalTime({ timeZone: args.directory.org.timezone, date: args.item.releaseDate, time: '00:00' });
  }
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
  item: ItemHandle;
  effects: Effect[];
  actorId: string | null;
  now: Date;
  render: RenderMessage;
}): Promise<{ unreachable: string[]; deadlinesStarted: ReadonlyMap<DeadlineKind, Date> }> => {
  const { repos, directory, item, now } = args;
  const unreachable: string[] = [];
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
      const recipient = await resolveRecipient({ repos, directory, recipient: effect.to, now });
      const result = await enqueueMessage({
        repos,
        directory,
        item,
        dedupePrefix: `${item.itemType}:${item.itemId}:v${item.version}:${effect.message}`,
        recipient,
        render: (personId) => args.render({ message: effect.message, personId, withActions: effect.withActions, deadlines: dueByKind }),
        now,
      });
      unreachable.push(...result.unreachable);
    }
  }
  for (const platform of item.version > 1 ? (['slack', 'teams'] as const) : []) {
    await repos.outbox.enqueue([
      {
        dedupeKey: `${item.itemType}:${item.itemId}:v${item.version}:refresh:${platform}`,
        platform,
        target: { platform, kind: 'refresh', id: `${item.itemType}:${item.itemId}` },
        payload: { itemType: item.itemType, itemId: item.itemId, version: item.version },
        itemType: item.itemType,
        itemId: item.itemId,
        nextAttemptAt: now,
        createdAt: now,
      },
    ]);
  }
  if (unreachable.length > 0) {
    await repos.records.audit({ at: now, actorId: null, event: 'person.unreachable', itemType: item.itemType, itemId: item.itemId, crn: item.crn, details: { people: [...new Set(unreachable)] } });
  }
  return { unreachable, deadlinesStarted: dueByKind };
};
