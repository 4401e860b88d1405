import type { DeadlineRow } from '../db/deadlines.repository.js';
import type { Repositories } from '../db/store.js';
import { itemIntent } from '../delivery/message-intent.js';
import { actionsOn } from '../domain/workflows/workflow.js';
import type { DeadlineKind } from '../domain/workflow.types.js';
import { resolveOwners } from '../chase/chase-recipients.js';
import type { UseCaseContext } from './context.js';
import { enqueueMessage } from './outbox-rows.js';
import { type AnyModule, loadItem } from './workflows/workflow-module.js';

/** Why a request moved, in words for both people (the audit keeps the code). */
export interface PassReason {
  /** A short code for the audit ('absence.started', 'absence.ended', 'duty.changed', …). */
  code: string;
  /** A stable tag so a second replica or a retried tick writes nothing twice (e.g. the absence id). */
  key: string;
  /** The line on the new holder's message ("Passed to you: Tom Reyes is away until Fri 4 Dec"). */
  toLine: string;
  /** The line that replaces the old holder's buttons ("Passed to Dev Patel while you are away"). */
  fromLine: string;
}

/** The message that asks for a deadline's action: the first item message (not a reminder) the answering actions sit on. */
export const requestMessageFor = (args: { module: AnyModule; kind: string; state: string }): string | undefined => {
  const { definition } = args.module;
  const open = actionsOn(definition, `deadline:${args.kind}`).filter((action) => definition.actions[action]?.from.includes(args.state));
  for (const action of open) {
    const message = definition.actions[action]?.buttonOn.find((key) => !key.startsWith('deadline:'));
    if (message) return message;
  }
  return undefined;
};

/**
 * Move an item's pending request from person A to person B, inside the caller's transaction: B gets the request
 * message with its buttons at once (rendered at send time, so the buttons are the ones B may press then), A's
 * earlier messages about the item are brought to its status with `fromLine` instead of buttons, and the move is
 * audited. Returns false when there was nothing to pass (no open request for that deadline in the item's state).
 */
export const passRequest = async (args: { ctx: UseCaseContext; repos: Repositories; deadline: DeadlineRow; from: string; to: string; reason: PassReason; now: Date }): Promise<boolean> => {
  const { ctx, repos, deadline, from, to, reason, now } = args;
  const module = ctx.workflows.get(deadline.itemType);
  const row = module ? await loadItem(module, repos, deadline.itemId) : undefined;
  if (!module || !row || from === to) return false;
  const messageKey = requestMessageFor({ module, kind: deadline.kind, state: row.state });
  if (!messageKey) return false;
  const handle = module.handle(row);
  const tag = `pass:${deadline.itemType}:${deadline.itemId}:v${row.version}:${deadline.kind}:${reason.key}:${from}>${to}`;
  const deadlines = new Map<DeadlineKind, Date>([[deadline.kind as DeadlineKind, deadline.dueAt]]);
  const sent = await enqueueMessage({
    repos,
    directory: ctx.directory,
    reach: ctx.reach,
    item: handle,
    dedupePrefix: tag,
    recipient: { personIds: [to] },
    intent: (personId) => ({
      ...itemIntent({ itemType: deadline.itemType, itemId: row.id, version: row.version, messageKey, personId, withActions: true, deadlines, rationale: null }),
      notice: reason.toLine,
    }),
    now,
  });
  for (const platform of ['slack', 'teams'] as const) {
    await repos.outbox.enqueue([
      {
        dedupeKey: `${tag}:refresh:${platform}`,
        platform,
        target: { platform, kind: 'refresh', id: `${deadline.itemType}:${deadline.itemId}` },
        payload: { kind: 'refresh', itemType: deadline.itemType, itemId: row.id, version: row.version, personId: from, notice: reason.fromLine },
        itemType: deadline.itemType,
        itemId: row.id,
        nextAttemptAt: now,
        createdAt: now,
      },
    ]);
  }
  await repos.records.audit({
    at: now,
    actorId: null,
    event: 'request.passed',
    itemType: deadline.itemType,
    itemId: row.id,
    crn: row.crn,
    details: { from, to, reason: reason.code, deadlineId: deadline.id, kind: deadline.kind, enqueued: sent.enqueued },
  });
  return true;
};

/** The open deadlines a person owes now (their own, or through a duty desk or a unit they manage). */
export const deadlinesOwedBy = async (args: { ctx: UseCaseContext; repos: Repositories; personId: string; now: Date }): Promise<DeadlineRow[]> => {
  const owed: DeadlineRow[] = [];
  for (const deadline of await args.repos.deadlines.open()) {
    const owners = await resolveOwners({ repos: args.repos, directory: args.ctx.directory, deadline, now: args.now });
    if (owners.personIds.includes(args.personId)) owed.push(deadline);
  }
  return owed;
};
