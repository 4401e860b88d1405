import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Env, platformSettings } from './config/env.config.js';
import type { Org } from './config/org.schema.js';
import { type Database, openDatabase } from './db/database.js';
import { createStore } from './db/store.js';
import type { Clock } from './domain/clock.js';
import { createBoard } from './board/board.js';
import { createChaseScheduler } from './chase/chase-scheduler.js';
import { createOutboxRetention } from './chase/outbox-retention.js';
import { createOutboxDispatcher } from './delivery/outbox-dispatcher.js';
import type { ChatSender } from './delivery/sender.types.js';
import { createHttpApp, finishHttpApp } from './http/http-server.js';
import { createMetrics } from './http/metrics.js';
import { type AppLogger, createLogger } from './logger.js';
import { createSlackAdapter } from './slack/slack.adapter.js';
import { systemClock } from './system-clock.js';
import { createTeamsAdapter } from './teams/teams.adapter.js';
import { reachWarnings } from './delivery/reach.js';
import { slackReach } from './slack/slack-reach.js';
import { createTeamsReach } from './teams/teams-reach.js';
import { graphInstallSettings } from './teams/teams-graph-install.js';
import { channelProblems } from './delivery/channel-reach.js';
import { registerChannelReachGauge } from './http/channel-metrics.js';
import type { UseCaseContext } from './use-cases/context.js';
import { syncOrg } from './use-cases/org.use-case.js';
import { createOrgOps } from './ops/org-ops.js';
import { createHttpLifecycle } from './ops/http-lifecycle.js';
import { databaseReadiness } from './ops/readiness.js';
import { scheduleRetention } from './ops/retention.job.js';
import { workflowRegistry } from './use-cases/workflows/index.js';
import type { AnyModule } from './use-cases/workflows/workflow-module.js';

export interface AppOptions {
  env: Env;
  org: Org;
  orgFile: string;
  orgText?: string;
  clock?: Clock;
  logger?: AppLogger;
  /** Start the cron sweep, the punctual timer, the digest and the outbox loop (tests may drive them by hand). */
  background?: boolean;
  /** Reload the org file when it changes on disk (default: with the background loops). */
  watchOrg?: boolean;
  /** Workflows to run besides the built-in escalation and referral. */
  workflows?: AnyModule[];
}

/** Compose the bot: database, org, HTTP, Slack, Teams, outbox and chase. Used by main and by tests. */
export const createApp = async (options: AppOptions) => {
  const logger = options.logger ?? createLogger({ level: options.env.LOG_LEVEL });
  const clock = options.clock ?? systemClock;
  // Config that can still be refused is read before the database is opened (and locked).
  const graph = graphInstallSettings(options.env);
  const database: Database = await openDatabase({ databaseUrl: options.env.DATABASE_URL, migrationsUrl: options.env.MIGRATIONS_DATABASE_URL, dataDir: options.env.DATA_DIR });
  const store = createStore(database);
  const metrics = createMetrics({ store, clock });
  const wakeups: ((what: { outbox: boolean; deadlines: boolean }) => void)[] = [];
  const workflows = workflowRegistry(options.workflows);
  // Both platforms' reach is registered even when one is not configured: its messages wait in the outbox.
  const reach = [slackReach, createTeamsReach({ proactiveInstall: graph !== null })];
  for (const line of reachWarnings({ reach, units: options.org.units })) logger.warn({ component: 'delivery' }, line);
  const orgOps = createOrgOps({ store, clock, logger, metrics, org: options.org, text: options.orgText, fileName: options.orgFile });
  // `directory` reads the org holder on every access: a reload swaps it for the next request (src/ops/org-holder.ts).
  const ctx: UseCaseContext = {
    store,
    clock,
    get directory() {
      return orgOps.holder.current();
    },
    logger,
    workflows,
    reach,
    onCommitted: (what) => wakeups.forEach((wake) => wake(what)),
  };
  await syncOrg({ ctx, org: options.org, fileName: options.orgFile, text: options.orgText });
  // A configured channel the bot cannot post to is named at start, in /metrics and in the digest, never skipped.
  for (const problem of await channelProblems({ reach, units: options.org.units, repos: store.repos }))
    logger.warn({ component: 'delivery', unitId: problem.unitId, channel: problem.channel }, `unit ${problem.unitId}: ${problem.problem}`);
  registerChannelReachGauge({ registry: metrics.registry, store, reach, units: () => ctx.directory.org.units });

  const settings = platformSettings(options.env);
  const lifecycle = createHttpLifecycle();
  const readiness = databaseReadiness(store);
  lifecycle.check('database', readiness.database);
  lifecycle.check('migrations', readiness.migrations);
  lifecycle.check('org', () => orgOps.holder.current() !== undefined);
  const http = createHttpApp({ store, metrics, health: orgOps.health, lifecycle, logger });
  const board = createBoard({ ctx, env: options.env, db: database.db, http });
  const slack = settings.slack ? await createSlackAdapter({ ctx, settings: settings.slack, metrics, http, boardUrl: board.board?.settings.baseUrl }) : null;
  const teams = await createTeamsAdapter({ ctx, settings: settings.teams, metrics, http, nodeEnv: options.env.NODE_ENV, graph, boardUrl: board.board?.settings.baseUrl });
  if (slack?.mode === 'socket') lifecycle.check('slackSocket', () => slack.socketOpen());
  finishHttpApp(http);

  const senders: Partial<Record<'slack' | 'teams', ChatSender>> = {};
  if (slack) senders.slack = slack.sender;
  senders.teams = teams.sender;
  const dispatcher = createOutboxDispatcher({ ctx, senders, maxAttempts: options.env.OUTBOX_MAX_ATTEMPTS, metrics });
  const scheduler = createChaseScheduler({ ctx, sweepCron: options.env.SWEEP_CRON, digestCron: options.env.DIGEST_CRON, metrics });
  const outboxRetention = createOutboxRetention({ ctx, retentionMs: options.env.OUTBOX_RETENTION });
  const retention = scheduleRetention({ ctx, cronExpression: options.env.RETENTION_CRON });
  wakeups.push((what) => {
    if (what.outbox) dispatcher.wake();
    if (what.deadlines) scheduler.rearm();
  });

  let server: Server | null = null;
  const app = {
    ctx,
    store,
    database,
    metrics,
    dispatcher,
    scheduler,
    retention,
    outboxRetention,
    slack,
    teams,
    board: board.board,
    logger,
    org: orgOps,
    lifecycle,
    platforms: {
      slack: slack ? (settings.slack?.appToken ? 'socket mode' : 'http /slack/events') : null,
      slackWhyNot: settings.slackWhyNot,
      teams: teams.description,
      board: board.description,
    },
    async listen(port: number, host?: string): Promise<number> {
      server = await new Promise<Server>((resolve, reject) => {
        const listening = http.listen(port, host ?? '0.0.0.0', () => resolve(listening));
        listening.once('error', reject);
      });
      server.keepAliveTimeout = 5_000;
      if (slack) await slack.start();
      if (options.background !== false) {
        dispatcher.start();
        scheduler.start();
        retention.start();
        outboxRetention.start();
        board.board?.start();
      }
      await orgOps.start({ watch: options.watchOrg ?? options.background !== false });
      return (server.address() as AddressInfo).port;
    },
    /**
     * Drain and close within SHUTDOWN_GRACE: new requests get 503 + Retry-After, running ones finish, the sweep
     * commits (its row locks go), outbox leases are handed back so another replica sends at once, then close.
     */
    async stop(args: { graceMs?: number } = {}) {
      const deadline = new Date(Date.now() + (args.graceMs ?? options.env.SHUTDOWN_GRACE));
      const drained = await lifecycle.drain(deadline);
      if (!drained) logger.warn({ inFlight: lifecycle.inFlight() }, 'shutdown grace ran out with requests still running');
      await orgOps.stop();
      retention.stop();
      outboxRetention.stop();
      board.board?.stop();
      const sweep = scheduler.stop();
      await dispatcher.stop({ deadline });
      await Promise.race([sweep, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline.getTime() - Date.now())).unref())]);
      if (slack) await slack.stop();
      if (server) {
        server.closeAllConnections?.();
        await new Promise<void>((resolve) => server?.close(() => resolve()));
      }
      await database.close();
    },
  };
  return app;
};

export type App = Awaited<ReturnType<typeof createApp>>;
