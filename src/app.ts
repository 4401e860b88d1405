import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Env, platformSettings } from './config/env.config.js';
import type { Org } from './config/org.schema.js';
import { type Database, openDatabase } from './db/database.js';
import { createStore } from './db/store.js';
import type { Clock } from './domain/clock.js';
import { createChaseScheduler } from './chase/chase-scheduler.js';
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
import { teamsReach } from './teams/teams-reach.js';
import type { UseCaseContext } from './use-cases/context.js';
import { buildDirectory } from './use-cases/directory.js';
import { syncOrg } from './use-cases/org.use-case.js';
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
  /** Workflows to run besides the built-in escalation and referral. */
  workflows?: AnyModule[];
}

/** Compose the bot: database, org, HTTP, Slack, Teams, outbox and chase. Used by main and by tests. */
export const createApp = async (options: AppOptions) => {
  const logger = options.logger ?? createLogger({ level: options.env.LOG_LEVEL });
  const clock = options.clock ?? systemClock;
  const database: Database = await openDatabase({ databaseUrl: options.env.DATABASE_URL, dataDir: options.env.DATA_DIR });
  const store = createStore(database);
  const directory = buildDirectory(options.org);
  const metrics = createMetrics({ store, clock });
  const wakeups: ((what: { outbox: boolean; deadlines: boolean }) => void)[] = [];
  const workflows = workflowRegistry(options.workflows);
  // Both platforms' reach is registered even when one is not configured: its messages wait in the outbox.
  const reach = [slackReach, teamsReach];
  for (const line of reachWarnings({ reach, units: options.org.units })) logger.warn({ component: 'delivery' }, line);
  const ctx: UseCaseContext = { store, clock, directory, logger, workflows, reach, onCommitted: (what) => wakeups.forEach((wake) => wake(what)) };
  await syncOrg({ ctx, org: options.org, fileName: options.orgFile, text: options.orgText });

  const settings = platformSettings(options.env);
  const http = createHttpApp({ store, metrics });
  const slack = settings.slack ? await createSlackAdapter({ ctx, settings: settings.slack, metrics, http }) : null;
  const teams = await createTeamsAdapter({ ctx, settings: settings.teams, metrics, http, nodeEnv: options.env.NODE_ENV });
  finishHttpApp(http);

  const senders: Partial<Record<'slack' | 'teams', ChatSender>> = {};
  if (slack) senders.slack = slack.sender;
  senders.teams = teams.sender;
  const dispatcher = createOutboxDispatcher({ ctx, senders, maxAttempts: options.env.OUTBOX_MAX_ATTEMPTS, metrics });
  const scheduler = createChaseScheduler({ ctx, sweepCron: options.env.SWEEP_CRON, digestCron: options.env.DIGEST_CRON, metrics });
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
    slack,
    teams,
    logger,
    platforms: {
      slack: slack ? (settings.slack?.appToken ? 'socket mode' : 'http /slack/events') : null,
      slackWhyNot: settings.slackWhyNot,
      teams: teams.description,
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
      }
      return (server.address() as AddressInfo).port;
    },
    async stop() {
      scheduler.stop();
      await dispatcher.stop();
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
