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
 * sending at once write one statement instead of sixteen transactions. On the embedded
 * engine, where every query runs in this thread, that is most of the dispatcher's database time.
 */
export const createSentBatcher = (args: { store: Store }) => {
  let queue: Waiting[] = [];
  // Set and cleared with no await between the last look at the queue and the clearing, so a record arriving
  // after a flush has finished always starts the next one (none is ever left waiting).
  let flushing = false;

  const flush = async (): Promise<void> => {
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        try {
          // One statement (outbox.repository.ts markSentMany): atomic by itself, no transaction round trips around it.
          await args.store.repos.outbox.markSentMany({ sent: batch.map((entry) => entry.sent), refs: batch.flatMap((entry) => (entry.ref ? [entry.ref] : [])) });
          for (const entry of batch) entry.done();
        } catch (error) {
          for (const entry of batch) entry.failed(error);
        }
      }
    } finally {
      flushing = false;
    }
  };

  return {
    /** Record one sent row (and where its message landed); settles once that record is committed. */
    record(sent: { id: number; at: Date }, ref: NewMessageRef | null): Promise<void> {
      const committed = new Promise<void>((done, failed) => queue.push({ sent, ref, done, failed }));
      if (!flushing) void flush();
      return committed;
    },
  };
};
