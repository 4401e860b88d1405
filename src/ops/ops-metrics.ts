import { Counter, Gauge, type Registry } from 'prom-client';
import type { Store } from '../db/store.js';
import type { Clock } from '../domain/clock.js';

/** Metrics for running dutydesk (alerts in ops/prometheus-rules.yml; runbook in docs/operations.md). */
export const createOpsMetrics = (args: { registry: Registry; store: Store; clock: Clock }) => {
  const registers = [args.registry];
  const sweepLastRun = new Gauge({
    name: 'dutydesk_sweep_last_run_timestamp_seconds',
    help: 'When this replica last finished a deadline sweep (Unix time)',
    registers,
  });
  new Gauge({
    name: 'dutydesk_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest outgoing message not yet sent (pending or sending); 0 when the outbox is empty',
    registers,
    async collect() {
      const oldest = await args.store.repos.ops.oldestUnsentAt().catch(() => null);
      this.set(oldest ? Math.max(0, (args.clock.now().getTime() - oldest.getTime()) / 1000) : 0);
    },
  });
  let teamsUnreachable: () => Promise<number> = async () => 0;
  new Gauge({
    name: 'dutydesk_teams_unreachable_people',
    help: 'People in the org file with a Teams id whom the bot cannot message yet (the app is not installed for them)',
    registers,
    async collect() {
      this.set(await teamsUnreachable().catch(() => 0));
    },
  });
  const refusals = new Counter({
    name: 'dutydesk_refusals_total',
    help: 'Requests refused, by refusal code (authority, state, input …) and platform',
    labelNames: ['code', 'platform'] as const,
    registers,
  });
  const orgReloadFailures = new Counter({
    name: 'dutydesk_org_reload_failures_total',
    help: 'Org file reloads refused (invalid file or not readable); the running organisation stayed as it was',
    registers,
  });
  const orgReloads = new Counter({
    name: 'dutydesk_org_reloads_total',
    help: 'Org file reloads applied',
    registers,
  });
  const orgInfo = new Gauge({
    name: 'dutydesk_org_info',
    help: 'The org file this replica runs (1 for its sha256)',
    labelNames: ['sha256'] as const,
    registers,
  });
  return {
    orgReloadFailures,
    orgReloads,
    refusals,
    sweepFinished: (at: Date) => sweepLastRun.set(at.getTime() / 1000),
    /** How to count Teams people the bot cannot reach (needs the running org). */
    countTeamsUnreachable(count: () => Promise<number>) {
      teamsUnreachable = count;
    },
    /** Report the org this replica runs now. */
    setOrg(sha256: string) {
      orgInfo.reset();
      orgInfo.set({ sha256 }, 1);
    },
  };
};

export type OpsMetrics = ReturnType<typeof createOpsMetrics>;
