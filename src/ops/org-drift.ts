import type { Store } from '../db/store.js';
import type { Logger } from '../use-cases/context.js';
import type { OrgHolder } from './org-holder.js';

const CHECK_EVERY_MS = 60_000;

/**
 * Replicas should run the same org file. Each load and reload stores its hash in the audit log; a replica whose
 * own hash differs from the newest stored one says so (once per newest hash, so the log is not flooded).
 */
export const createOrgDriftCheck = (args: { store: Store; holder: OrgHolder; logger: Logger }) => {
  let reported: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  const check = async (): Promise<{ drift: boolean; newest: string | null }> => {
    const newest = await args.store.repos.ops.newestOrgHash();
    const own = args.holder.version().sha256;
    const drift = newest !== null && newest !== own;
    if (drift && reported !== newest) {
      reported = newest;
      args.logger.warn({ sha256: own, newestStoredSha256: newest }, 'this replica runs a different org file from the newest one loaded (reload it or check ORG_FILE on every replica)');
    }
    if (!drift) reported = null;
    return { drift, newest };
  };
  return {
    check,
    start() {
      timer ??= setInterval(() => void check().catch(() => undefined), CHECK_EVERY_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
};
