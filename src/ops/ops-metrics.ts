import { Counter, Gauge, type Registry } from 'prom-client';

/** Metrics for running dutydesk (alerts in ops/prometheus-rules.yml; runbook in docs/operations.md). */
export const createOpsMetrics = (args: { registry: Registry }) => {
  const registers = [args.registry];
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
    /** Report the org this replica runs now. */
    setOrg(sha256: string) {
      orgInfo.reset();
      orgInfo.set({ sha256 }, 1);
    },
  };
};

export type OpsMetrics = ReturnType<typeof createOpsMetrics>;
