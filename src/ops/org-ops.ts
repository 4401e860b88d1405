import type { Org } from '../config/org.schema.js';
import type { Store } from '../db/store.js';
import type { Clock } from '../domain/clock.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../use-cases/context.js';
import { createOrgDriftCheck } from './org-drift.js';
import { createOrgHolder } from './org-holder.js';
import { createOrgReloader } from './org-reload.js';
import { watchOrgFile } from './org-watcher.js';

/** The running org and what keeps it current: the holder, reload (SIGHUP, file watch), drift between replicas. */
export const createOrgOps = (args: { store: Store; clock: Clock; logger: Logger; metrics: Metrics; org: Org; text?: string; fileName: string }) => {
  const holder = createOrgHolder({ org: args.org, text: args.text, now: args.clock.now() });
  args.metrics.ops.setOrg(holder.version().sha256);
  args.metrics.ops.countTeamsUnreachable(async () => {
    const reachable = await args.store.repos.ops.teamsReachableIds();
    return holder.current().org.people.filter((person) => person.teams && !reachable.has(person.teams.toLowerCase())).length;
  });
  const drift = createOrgDriftCheck({ store: args.store, holder, logger: args.logger });
  const reloader = createOrgReloader({
    ctx: args,
    holder,
    fileName: args.fileName,
    onFailure: () => args.metrics.ops.orgReloadFailures.inc(),
    onReloaded: () => {
      args.metrics.ops.orgReloads.inc();
      void drift.check().catch(() => undefined);
    },
  });
  let watcher: ReturnType<typeof watchOrgFile> | null = null;
  return {
    holder,
    drift,
    reload: (reason: string) =>
      reloader.reload(reason).then((result) => {
        args.metrics.ops.setOrg(holder.version().sha256);
        args.metrics.ops.countTeamsUnreachable(async () => {
          const reachable = await args.store.repos.ops.teamsReachableIds();
          return holder.current().org.people.filter((person) => person.teams && !reachable.has(person.teams.toLowerCase())).length;
        });
        return result;
      }),
    /** Extra /healthz fields: which org this replica runs, so drift between replicas shows. */
    health: () => ({ org: { sha256: holder.version().sha256, loadedAt: holder.version().loadedAt.toISOString() } }),
    async start(options: { watch: boolean }) {
      await drift.check().catch(() => undefined);
      drift.start();
      if (options.watch && !watcher) {
        watcher = watchOrgFile({ fileName: args.fileName, logger: args.logger, reload: (reason) => this.reload(reason) });
        await watcher.ready;
      }
    },
    async stop() {
      drift.stop();
      await watcher?.close();
      watcher = null;
    },
  };
};

export type OrgOps = ReturnType<typeof createOrgOps>;
