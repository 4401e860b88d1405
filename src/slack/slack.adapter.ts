import { App, ExpressReceiver, SocketModeReceiver, webApi } from '@slack/bolt';
import type express from 'express';
import type { SlackSettings } from '../config/env.config.js';
import { type Repositories, StoreUnavailableError } from '../db/store.js';
import type { ChatSender } from '../delivery/sender.types.js';
import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { registerActions } from './slack-actions.handler.js';
import { registerCommands } from './slack-commands.handler.js';
import { type SlackDeps, errorName } from './slack-deps.js';
import { registerHome } from './slack-home.handler.js';
import { boltLogger } from './slack-logger.js';
import { type ReplayLedger, createReplayGuard, createReplayLedger } from './replay-guard.js';
import { createSlackSender } from './slack-sender.js';
import { createSocketModeGuard } from './socket-mode-guard.js';
import { registerViews } from './slack-views.handler.js';

/** Web API client options: our base URL, and no retries of its own (the outbox owns retrying). */
const clientOptions = (settings: SlackSettings, logger: ReturnType<typeof boltLogger>) => ({
  slackApiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/`,
  retryConfig: { retries: 0 },
  rejectRateLimitedCalls: true,
  timeout: 10_000,
  logger,
});

/**
 * Slack: Bolt on the shared Express app at POST /slack/events (signature verified with a 5-minute replay
 * window, 401 otherwise), or Socket Mode when SLACK_APP_TOKEN is set. Handlers only render and route to
 * commands/ and src/use-cases.
 */
export const createSlackAdapter = async (args: { ctx: UseCaseContext; settings: SlackSettings; metrics: Metrics; http: express.Express; boardUrl?: string }) => {
  const { ctx, settings, metrics, http } = args;
  const logger = boltLogger(ctx.logger);
  const options = clientOptions(settings, logger);
  const socketMode = Boolean(settings.appToken);
  let ledger: ReplayLedger | null = null;
  if (!socketMode) {
    // Before Bolt's own route: 1 MB body limit, signature + 5-minute window, and no request accepted twice.
    const onRefused = (refusal: { status: number; reason: string }) => ctx.logger.warn({ component: 'slack', code: `request.${refusal.reason}`, status: refusal.status }, 'slack request refused');
    // The embedded engine is one process: memory decides at once and the row is written behind, so the ack
    // never waits for PGlite (which runs every query in this thread, queued behind submissions and deliveries).
    const writeBehind =
      ctx.store.kind === 'embedded'
        ? {
            remembered: await ctx.store.repos.replayLedger.unexpired(new Date()),
            write: (rows: Parameters<Repositories['replayLedger']['rememberAll']>[0]) => ctx.store.transaction((repos) => repos.replayLedger.rememberAll(rows)),
            onWriteFailed: () => ctx.logger.warn({ component: 'slack', code: 'replay_ledger.write_failed' }, 'replay ledger rows not written: this process still remembers them'),
          }
        : undefined;
    ledger = createReplayLedger({
      remember: (row) => ctx.store.transaction((repos) => repos.replayLedger.remember(row)),
      isUnavailable: (error) => error instanceof StoreUnavailableError,
      onFallback: () => ctx.logger.warn({ component: 'slack', code: 'replay_ledger.unavailable' }, 'replay ledger unreachable: this replica remembers requests in memory'),
      writeBehind,
    });
    http.post('/slack/events', createReplayGuard({ signingSecret: settings.signingSecret, ledger, onRefused }));
  }
  const guard = createSocketModeGuard({ logger: ctx.logger });
  const socketReceiver = socketMode
    ? new SocketModeReceiver({ appToken: settings.appToken as string, logger, installerOptions: { clientOptions: { slackApiUrl: options.slackApiUrl } }, customPropertiesExtractor: guard.extract })
    : null;
  if (socketReceiver) guard.watch(socketReceiver);
  const receiver =
    socketReceiver ??
    new ExpressReceiver({
      signingSecret: settings.signingSecret,
      endpoints: '/slack/events',
      app: http,
      logger,
      processBeforeResponse: false,
      // The replay guard mounted above has already checked this request's signature and window (401 otherwise):
      // checking the same HMAC again here only cost the ack time.
      signatureVerification: false,
    });

  // A fixed bot token: no auth.test at start, so a network blip while booting cannot wedge the app.
  const botToken = settings.botToken;
  const app = new App({ receiver, authorize: async () => ({ botToken }), clientOptions: options, logger, ignoreSelf: false });
  // Socket Mode: an envelope Slack redelivers (same envelope_id) is acknowledged and handled once.
  if (socketMode) app.use(guard.middleware);
  app.error(async (error) => {
    ctx.logger.error({ component: 'slack', error: errorName(error) }, 'slack listener failed');
  });

  // Work that may change something starts once this request's ledger row is stored (replay-guard.ts): slash
  // commands and button clicks settle after their ack (src/slack/slack-commands.handler.ts, slack-actions.handler.ts),
  // everything else (form submissions, events) before its listener.
  const settle = ledger ? () => (ledger as ReplayLedger).settle() : undefined;
  if (settle) {
    app.use(async ({ body, next }) => {
      const type = (body as { type?: unknown; command?: unknown }).type;
      if (type !== 'block_actions' && !(body as { command?: unknown }).command) await settle();
      await next();
    });
  }
  const deps: SlackDeps = { ctx, signingSecret: settings.signingSecret, metrics, boardUrl: args.boardUrl, settle };
  registerCommands({ app, deps });
  registerActions({ app, deps });
  registerViews({ app, deps });
  registerHome({ app, deps });

  const sender: ChatSender = createSlackSender({ client: new webApi.WebClient(botToken, options), logger: ctx.logger });
  let started = false;
  return {
    sender,
    mode: socketMode ? ('socket' as const) : ('http' as const),
    /** Socket Mode: whether the socket to Slack is open now (for /readyz). */
    socketOpen: () => guard.isOpen(),
    async start() {
      if (socketMode && !started) await app.start();
      started = true;
    },
    async stop() {
      await ledger?.settle();
      if (socketMode && started) await app.stop();
      started = false;
    },
  };
};
