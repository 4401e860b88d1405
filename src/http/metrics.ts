import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../db/store.js';
import type { Clock } from '../domain/clock.js';

/** Prometheus metrics (README.md "Configuration", GET /metrics: requests, handler latency, open items, overdue, outbox, reminders). */
export const createMetrics = (args: { store: Store; clock: Clock }) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dutydesk_process_' });
  const requests = new Counter({
    name: 'dutydesk_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const handlerSeconds = new Histogram({
    name: 'dutydesk_handler_seconds',
    help: 'Time to handle a chat request (command, action, submission) by platform and kind',
    labelNames: ['platform', 'kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const remindersSent = new Counter({
    name: 'dutydesk_reminders_sent_total',
    help: 'Reminders enqueued, by rung (owner, manager, seniorManager)',
    labelNames: ['rung'] as const,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'dutydesk_outbox_deliveries_total',
    help: 'Outbox delivery attempts by platform and result (sent, retry, dead)',
    labelNames: ['platform', 'result'] as const,
    registers: [registry],
  });
  const unreachable = new Counter({
    name: 'dutydesk_unreachable_people_total',
    help: 'Messages that could not reach their person on any platform (sent to their manager instead)',
    registers: [registry],
  });
  new Gauge({
    name: 'dutydesk_outbox_rows',
    help: 'Outbox rows by status (pending and sending are the depth; dead rows need attention)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await args.store.repos.outbox.countsByStatus().catch(() => ({}));
      for (const status of ['pending', 'sending', 'sent', 'dead']) this.set({ status }, (counts as Record<string, number>)[status] ?? 0);
    },
  });
  new Gauge({
    name: 'dutydesk_overdue_deadlines',
    help: 'Open deadlines past due, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await args.store.repos.deadlines.overdueCounts(args.clock.now()).catch(() => []);
      for (const { kind, count } of counts) this.set({ kind }, count);
    },
  });
  new Gauge({
    name: 'dutydesk_open_items',
    help: 'Escalations and referrals by state',
    labelNames: ['item_type', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await args.store.repos.items.countsByState().catch(() => []);
      for (const { itemType, state, count } of counts) this.set({ item_type: itemType, state }, count);
    },
  });
  return { registry, requests, handlerSeconds, remindersSent, deliveries, unreachable };
};

export type Metrics = ReturnType<typeof createMetrics>;
