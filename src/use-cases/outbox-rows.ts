import type { NewOutboxRow } from '../db/outbox.repository.js';
import type { Repositories } from '../db/store.js';
import type { MessageIntent } from '../delivery/message-intent.js';
import type { ReachProvider } from '../delivery/reach.js';
import type { Directory } from './directory.js';
import type { ItemHandle } from './effects.js';
import { type ResolvedRecipient, targetsForPerson } from './recipients.js';

export interface MessageRequest {
  repos: Repositories;
  directory: Directory;
  reach: readonly ReachProvider[];
  item: ItemHandle | null;
  dedupePrefix: string;
  recipient: ResolvedRecipient;
  /** What to send one recipient (a person id, or null for a unit channel): rendered at send time. */
  intent: (personId: string | null) => MessageIntent;
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
    const reach = await targetsForPerson({ repos: args.repos, directory: args.directory, reach: args.reach, personId, teamsReachable: args.teamsReachable });
    unreachable.push(...reach.unreachable);
    const payload = args.intent(personId);
    for (const target of reach.targets) {
      rows.push({ ...base, dedupeKey: `${args.dedupePrefix}:${personId}:${target.platform}:${target.id}`, platform: target.platform, target, payload });
    }
  }
  const unit = args.recipient.channelOf ? args.directory.unit(args.recipient.channelOf) : undefined;
  for (const provider of unit ? args.reach : []) {
    const target = provider.unitChannel(unit as NonNullable<typeof unit>);
    if (!target) continue;
    rows.push({
      ...base,
      dedupeKey: `${args.dedupePrefix}:channel:${target.platform}:${target.id}`,
      platform: target.platform,
      target,
      payload: args.intent(null),
    });
  }
  return { rows, unreachable };
};
