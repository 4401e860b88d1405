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
 * Move one item's pending request (the one a deadline asks for) to other people, inside the caller's
 * transaction: the newcomers get the request message with its buttons at once (rendered at send time, so the
 * buttons are the ones they may press then), and the earlier messages of the people it leaves are brought to the
 * item's status with `fromLine` instead of buttons. Both an absence (one person to their delegate) and a duty
 * change (one desk's officers to the next) move requests through here; each audits its own cause.
 * Returns null when there was nothing to move (the item is gone or no open request answers that deadline).
 */
export const moveRequest = async (args: {
  deps: Pick<UseCaseContext, 'workflows' | 'directory' | 'reach'>;
  repos: Repositories;
  deadline: DeadlineRow;
  to: readonly string[];
  leaving: readonly string[];
  /** A stable prefix for the rows' dedupe keys, from the item's version, so nothing is queued twice. */
  dedupe: (version: number) => string;
  /** A line on the newcomers' message ("Passed to you: Tom Reyes is away until Fri 4 Dec"), if any. */
  toLine?: string;
  fromLine: string;
  now: Date;
}): Promise<{ itemId: number; crn: string; enqueued: number } | null> => {
  const { deps, repos, deadline, now } = args;
  const module = deps.workflows.get(deadline.itemType);
  const row = module ? await loadItem(module, repos, deadline.itemId) : undefined;
  if (!module || !row) return null;
  const messageKey = requestMessageFor({ module, kind: deadline.kind, state: row.state });
  if (!messageKey) return null;
  const tag = args.dedupe(row.version);
  const item = { ...module.handle(row), urgent: deadline.urgent };
  const deadlines = new Map<DeadlineKind, Date>([[deadline.kind as DeadlineKind, deadline.dueAt]]);
  const sent = await enqueueMessage({
    repos,
    directory: deps.directory,
    reach: deps.reach,
    item,
    dedupePrefix: tag,
    recipient: { personIds: [...args.to] },
    intent: (personId) => ({
      ...itemIntent({ itemType: deadline.itemType, itemId: row.id, version: row.version, messageKey, personId, withActions: true, deadlines, rationale: null }),
      ...(args.toLine ? { notice: args.toLine } : {}),
    }),
    now,
  });
  for (const platform of args.leaving.length > 0 ? (['slack', 'teams'] as const) : []) {
    await repos.outbox.enqueue([
      {
        dedupeKey: `${tag}:retire:${platform}`,
        platform,
        target: { platform, kind: 'refresh', id: `${deadline.itemType}:${deadline.itemId}` },
        payload: { kind: 'refresh', itemType: deadline.itemType, itemId: row.id, version: row.version, onlyFor: [...args.leaving], notice: args.fromLine },
        itemType: deadline.itemType,
        itemId: row.id,
        nextAttemptAt: now,
        createdAt: now,
      },
    ]);
  }
  return { itemId: row.id, crn: row.crn, enqueued: sent.enqueued };
};

/** An absence's pass-on: one person's request to their delegate (or back), audited as `request.passed`. */
export const passRequest = async (args: { ctx: UseCaseContext; repos: Repositories; deadline: DeadlineRow; from: string; to: string; reason: PassReason; now: Date }): Promise<boolean> => {
  const { ctx, repos, deadline, from, to, reason, now } = args;
  if (from === to) return false;
  const moved = await moveRequest({
    deps: ctx,
    repos,
    deadline,
    to: [to],
    leaving: [from],
    dedupe: (version) => `pass:${deadline.itemType}:${deadline.itemId}:v${version}:${deadline.kind}:${reason.key}:${from}>${to}`,
    toLine: reason.toLine,
    fromLine: reason.fromLine,
    now,
  });
  if (!moved) return false;
  await repos.records.audit({
    at: now,
    actorId: null,
    event: 'request.passed',
    itemType: deadline.itemType,
    itemId: moved.itemId,
    crn: moved.crn,
    details: { from, to, reason: reason.code, deadlineId: deadline.id, kind: deadline.kind, enqueued: moved.enqueued },
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
