import type { NewMessageRef } from '../db/bulk-writes.js';
import type { Store } from '../db/store.js';

interface Waiting {
  sent: { id: number; at: Date };
  ref: NewMessageRef | null;
  done: () => void;
  failed: (error: unknown) => void;
}

/**
 * Group commit for the dispatcher's "sent" records: a row the chat API has accepted waits until its record is
 * committed (as before), but records arriving while a commit is in flight share the next one, so sixteen lanes
 * sending at once write one transaction of two statements instead of sixteen transactions. On the embedded
 * engine, where every query runs in this thread, that is most of the dispatcher's database time.
 */
export const createSentBatcher = (args: { store: Store }) => {
  let queue: Waiting[] = [];
  let flushing: Promise<void> | null = null;

  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await args.store.transaction((repos) => repos.outbox.markSentMany({ sent: batch.map((entry) => entry.sent), refs: batch.flatMap((entry) => (entry.ref ? [entry.ref] : [])) }));
        for (const entry of batch) entry.done();
      } catch (error) {
        for (const entry of batch) entry.failed(error);
      }
    }
  };

  return {
    /** Record one sent row (and where its message landed); settles once that record is committed. */
    record(sent: { id: number; at: Date }, ref: NewMessageRef | null): Promise<void> {
      const committed = new Promise<void>((done, failed) => queue.push({ sent, ref, done, failed }));
      flushing ??= flush().finally(() => {
        flushing = null;
      });
      return committed;
    },
  };
};
