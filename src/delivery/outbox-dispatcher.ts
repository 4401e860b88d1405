import type { OutboxRow } from '../db/outbox.repository.js';
import type { Metrics } from '../http/metrics.js';
import type { Target } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { renderItemStatus } from '../use-cases/item-status.js';
import type { OutboxPayload, RefreshIntent } from './message-intent.js';
import { type RenderReads, batchReads, renderIntent } from './render-intent.js';
import { createSentBatcher } from './sent-batcher.js';
import { type ChatSender, DeliveryError } from './sender.types.js';

const LEASE_MS = 30_000;
const BATCH = 100;
/** Lanes (one per recipient or channel) sent at once; within a lane rows go in order. */
const LANES_AT_ONCE = 16;
const POLL_MS = 1_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 5 * 60_000;

/** Exponential backoff with jitter: about 1 s, 2 s, 4 s … capped at 5 min, each between half and all of it. */
export const backoffMs = (args: { attempts: number; random?: () => number }): number => {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, args.attempts - 1));
  return Math.round(ceiling / 2 + (args.random ?? Math.random)() * (ceiling / 2));
};

const errorCode = (error: unknown): string => (error instanceof DeliveryError ? error.code : error instanceof Error ? error.name : 'unknown');

/** A refresh row's item; rows queued before intents had the same fields without `kind`. */
const refreshOf = (payload: OutboxPayload): Omit<RefreshIntent, 'kind'> => {
  if ('kind' in payload && payload.kind === 'refresh') return payload;
  const legacy = payload as unknown as Partial<RefreshIntent>;
  if (typeof legacy.itemType === 'string' && typeof legacy.itemId === 'number' && typeof legacy.version === 'number')
    return { itemType: legacy.itemType, itemId: legacy.itemId, version: legacy.version };
  throw new DeliveryError({ code: 'intent.not_a_refresh', retryable: false });
};

type Senders = Partial<Record<'slack' | 'teams', ChatSender>>;

/**
 * Sends the outbox. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so several processes share the
 * work and none sends a row another holds. A row is sent at least once and, barring a crash between the chat
 * API's answer and `markSent`, exactly once. Failures retry with backoff (or Retry-After) until `maxAttempts`,
 * then the row is parked as dead: logged, counted and listed in the next digest.
 */
export const createOutboxDispatcher = (args: { ctx: UseCaseContext; senders: Senders; maxAttempts: number; metrics: Metrics }) => {
  const { ctx, senders, maxAttempts, metrics } = args;
  const { store, logger, clock } = ctx;
  const sentRecords = createSentBatcher({ store });

  /** Bring every earlier message about an item on this platform up to its current status (buttons gone). */
  const refresh = async (row: OutboxRow, sender: ChatSender | undefined) => {
    const payload = refreshOf(row.payload);
    // A pass-on names its people (rota's hand-over: onlyFor; an absence's pass-request: personId).
    const onlyFor = payload.onlyFor ?? (payload.personId ? [payload.personId] : undefined);
    // A pass-on (onlyFor) retires those people's current messages; a version refresh brings older ones up to date.
    const due = (ref: { personId: string | null; itemVersion: number | null }) =>
      onlyFor ? ref.personId !== null && onlyFor.includes(ref.personId) && (ref.itemVersion ?? 0) <= payload.version : (ref.itemVersion ?? 0) < payload.version;
    const refs = (await store.repos.outbox.messageRefs({ itemType: payload.itemType, itemId: payload.itemId })).filter((ref) => ref.platform === row.platform && due(ref));
    // Nothing was ever sent on this platform about the item: nothing to refresh, connected or not.
    if (refs.length === 0) return;
    if (!sender) throw new DeliveryError({ code: 'sender.not_connected', retryable: true });
    for (const ref of refs) {
      const status = await renderItemStatus({ ctx, itemType: payload.itemType, itemId: payload.itemId, personId: ref.personId });
      if (!status) break;
      const message = payload.notice ? { ...status, notice: payload.notice } : status;
      try {
        await sender.update({ channel: ref.channel, messageId: ref.messageId, message });
      } catch (error) {
        // A message that is gone (deleted, channel archived) is skipped; anything else retries the whole refresh.
        if (!(error instanceof DeliveryError) || error.retryable) throw error;
        logger.warn({ outboxId: row.id, messageRefId: ref.id, platform: row.platform, code: error.code }, 'message refresh skipped');
      }
      if (!onlyFor) await store.repos.outbox.setMessageRefVersion({ id: ref.id, itemVersion: payload.version });
    }
  };

  const send = async (row: OutboxRow, sender: ChatSender, reads: RenderReads) => {
    // Rendered here, once, from the row's intent: an item message shows the item as it stands now (read once per batch).
    const message = await renderIntent({ ctx, payload: row.payload, now: clock.now(), reads });
    const target = row.target as unknown as Exclude<Target, { kind: 'refresh' }>;
    const result = await sender.send({ target, message });
    return { result, message, target };
  };

  /** Record a failed attempt; returns when the row will be tried again, or null when it was parked as dead. */
  const fail = async (row: OutboxRow, error: unknown): Promise<Date | null> => {
    const code = errorCode(error);
    // Rate limited (429 + Retry-After): the message is fine, the platform asks us to wait. Waiting never spends an
    // attempt, so a busy channel cannot push a message to `dead`; the row is due again exactly at Retry-After.
    if (error instanceof DeliveryError && error.retryable && error.retryAfterMs !== undefined) {
      const nextAttemptAt = new Date(clock.now().getTime() + error.retryAfterMs);
      await store.repos.outbox.release({ ids: [row.id], nextAttemptAt, error: code });
      metrics.deliveries.inc({ platform: row.platform, result: 'retry' });
      logger.warn({ outboxId: row.id, platform: row.platform, code, retryInMs: error.retryAfterMs }, 'outbox delivery rate limited');
      return nextAttemptAt;
    }
    const retryable = error instanceof DeliveryError ? error.retryable : true;
    if (!retryable || row.attempts >= maxAttempts) {
      await store.repos.outbox.markDead({ id: row.id, error: code });
      metrics.deliveries.inc({ platform: row.platform, result: 'dead' });
      logger.error({ outboxId: row.id, dedupeKey: row.dedupeKey, platform: row.platform, attempts: row.attempts, code }, 'outbox row parked as dead');
      return null;
    }
    const retryAfter = error instanceof DeliveryError && error.retryAfterMs !== undefined ? error.retryAfterMs : undefined;
    const delay = retryAfter ?? backoffMs({ attempts: row.attempts });
    const nextAttemptAt = new Date(clock.now().getTime() + delay);
    await store.repos.outbox.markRetry({ id: row.id, nextAttemptAt, error: code });
    metrics.deliveries.inc({ platform: row.platform, result: 'retry' });
    logger.warn({ outboxId: row.id, platform: row.platform, attempts: row.attempts, code, retryInMs: delay }, 'outbox delivery will retry');
    return nextAttemptAt;
  };

  /** Send one claimed row; returns the retry time when it failed retryably (its lane then waits too). */
  const processRow = async (row: OutboxRow, reads: RenderReads): Promise<Date | null> => {
    const sender = senders[row.platform as 'slack' | 'teams'];
    let sent: Awaited<ReturnType<typeof send>> | null = null;
    try {
      if (row.target.kind === 'refresh') await refresh(row, sender);
      else if (!sender) throw new DeliveryError({ code: 'sender.not_connected', retryable: true });
      else sent = await send(row, sender, reads);
    } catch (error) {
      return fail(row, error);
    }
    // The chat API has answered: record it. A crash right here is the one at-least-once edge (docs/operations.md).
    const now = clock.now();
    const item = sent?.message.item;
    await sentRecords.record(
      { id: row.id, at: now },
      sent && item
        ? {
            itemType: item.type,
            itemId: item.id,
            platform: row.platform,
            personId: 'personId' in sent.target ? sent.target.personId : null,
            channel: sent.result.channel,
            messageId: sent.result.messageId,
            itemVersion: item.version,
            createdAt: now,
          }
        : null,
    );
    metrics.deliveries.inc({ platform: row.platform, result: 'sent' });
    logger.debug({ outboxId: row.id, platform: row.platform, attempts: row.attempts }, 'outbox row sent');
    return null;
  };

  /** Rows this process has claimed and not finished: released on stop so another replica takes them at once. */
  const held = new Set<number>();
  let closing = false;

  /** One recipient's (or channel's) rows in order; after a retryable failure the rest wait with it, attempts kept. */
  const processLane = async (lane: OutboxRow[], reads: RenderReads) => {
    for (const [index, row] of lane.entries()) {
      if (closing) {
        // Shutting down: hand the rest of the lane back untried rather than start sends we may not finish.
        const rest = lane.slice(index).map((waiting) => waiting.id);
        await store.repos.outbox.release({ ids: rest, nextAttemptAt: clock.now() });
        for (const id of rest) held.delete(id);
        return;
      }
      let retryAt: Date | null = null;
      try {
        retryAt = await processRow(row, reads);
      } catch (error) {
        // The store failed mid-row: the lease expires and the row is claimed again.
        logger.error({ outboxId: row.id, code: errorCode(error) }, 'outbox row left for retry');
        return;
      } finally {
        held.delete(row.id);
      }
      const rest = lane.slice(index + 1);
      if (retryAt && rest.length > 0) {
        await store.repos.outbox.release({ ids: rest.map((waiting) => waiting.id), nextAttemptAt: retryAt });
        for (const waiting of rest) held.delete(waiting.id);
        return;
      }
    }
  };

  let running = false;
  let loop: Promise<void> | null = null;
  let wakeSleeper: (() => void) | null = null;
  let wakeRequested = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (wakeRequested || !running) {
        wakeRequested = false;
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        wakeSleeper = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeSleeper = done;
    });

  const dispatcher = {
    /** Send everything due now, batch after batch, until nothing is claimable; returns the rows processed. */
    async drain(): Promise<number> {
      let processed = 0;
      for (;;) {
        if (closing) return processed;
        const now = clock.now();
        const rows = await store.repos.outbox.claim({ now, leaseUntil: new Date(now.getTime() + LEASE_MS), limit: BATCH });
        if (rows.length === 0) return processed;
        for (const row of rows) held.add(row.id);
        const lanes = new Map<string, OutboxRow[]>();
        // UPDATE … RETURNING gives rows in storage order, not the claim's ORDER BY: restore the queue order.
        for (const row of rows.sort((a, b) => a.id - b.id)) {
          const key = `${row.platform}:${row.target.kind}:${row.target.id}`;
          lanes.set(key, [...(lanes.get(key) ?? []), row]);
        }
        const queue = [...lanes.values()];
        const reads = batchReads(ctx);
        const worker = async () => {
          for (let lane = queue.shift(); lane; lane = queue.shift()) await processLane(lane, reads);
        };
        await Promise.all(Array.from({ length: Math.min(LANES_AT_ONCE, queue.length) }, worker));
        processed += rows.length;
      }
    },
    /** Drain, then sleep until the next row is due (at most a 1 s poll); `wake()` cuts the sleep short. */
    start() {
      if (running) return;
      running = true;
      closing = false;
      loop = (async () => {
        while (running) {
          let processed = 0;
          try {
            processed = await dispatcher.drain();
          } catch (error) {
            logger.error({ code: errorCode(error) }, 'outbox drain failed');
          }
          if (!running) break;
          let wait = POLL_MS;
          try {
            const next = await store.repos.outbox.nextAttemptAt();
            if (next) wait = Math.min(POLL_MS, Math.max(0, next.getTime() - clock.now().getTime()));
          } catch {
            wait = POLL_MS;
          }
          // A due row another replica holds would spin the loop: rest a moment when this pass did nothing.
          if (wait === 0 && processed === 0) wait = 50;
          await sleep(wait);
        }
      })();
    },
    wake() {
      if (!running) return;
      if (wakeSleeper) wakeSleeper();
      else wakeRequested = true;
    },
    /**
     * Stop: no new claims, unstarted rows handed back, sends already on the wire finish until `deadline`; then
     * any row still held is released (lease cleared) so another replica sends it at once.
     */
    async stop(options: { deadline?: Date } = {}): Promise<void> {
      running = false;
      closing = true;
      wakeSleeper?.();
      const current = loop;
      if (current) {
        const wait = options.deadline ? Math.max(0, options.deadline.getTime() - Date.now()) : null;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([current, ...(wait === null ? [] : [new Promise<void>((resolve) => (timer = setTimeout(resolve, wait)))])]);
        clearTimeout(timer);
      }
      if (held.size > 0) {
        const ids = [...held];
        held.clear();
        await store.repos.outbox.release({ ids, nextAttemptAt: clock.now() }).catch((error: unknown) => logger.error({ code: errorCode(error), rows: ids.length }, 'could not release outbox leases'));
        logger.warn({ rows: ids.length }, 'outbox leases released at shutdown');
      }
      loop = null;
    },
  };
  return dispatcher;
};
