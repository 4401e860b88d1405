import express from 'express';
import type { ChatSender } from '../delivery/sender.types.js';
import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { createTeamChannelHandlers } from './teams-channel-install.js';
import { type TeamsBot, createTeamsBot } from './teams-endpoint.js';
import { type GraphInstallSettings, createGraphInstaller } from './teams-graph-install.js';
import { createTeamsHandlers } from './teams-handlers.js';
import { createTeamsSender } from './teams-sender.js';

export interface TeamsSettings {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: string;
  emulator?: boolean;
  extraServiceHosts?: readonly string[];
  authority?: string;
}

/** Activities are small; a form submit with a 3000-character summary is far below this. */
const BODY_LIMIT = '256kb';

/**
 * Microsoft Teams at POST /api/messages (Agents SDK): typed commands, Adaptive Card forms and decision buttons,
 * and the outbox's Teams sender. With MICROSOFT_APP_ID every request must carry a valid Bot Framework token;
 * without it only TEAMS_EMULATOR=1 serves loopback callers (emulator, tests); otherwise Teams is off and the
 * description says how to turn it on.
 */
export const createTeamsAdapter = async (args: {
  ctx: UseCaseContext;
  settings: TeamsSettings;
  metrics: Metrics;
  http: express.Express;
  nodeEnv?: string;
  /** Proactive installation through Microsoft Graph (MICROSOFT_APP_CATALOG_ID), or null. */
  graph?: GraphInstallSettings | null;
  boardUrl?: string;
}) => {
  const { ctx, settings } = args;
  let bot: TeamsBot | undefined; // the handlers answer a group-chat mention proactively, through the bot
  bot = createTeamsBot({
    appId: settings.appId,
    appPassword: settings.appPassword,
    tenantId: settings.tenantId,
    appType: settings.appType,
    emulator: settings.emulator,
    extraServiceHosts: settings.extraServiceHosts,
    authority: settings.authority,
    nodeEnv: args.nodeEnv,
    botName: 'DutyDesk',
    handlers: createTeamsHandlers({ ctx, metrics: args.metrics, bot: () => bot, boardUrl: args.boardUrl }),
    teamEvents: createTeamChannelHandlers({ ctx }),
    logger: ctx.logger,
  });
  args.http.post('/api/messages', express.json({ limit: BODY_LIMIT }), (req, res) => bot.handle(req, res));
  const installer = args.graph ? createGraphInstaller(args.graph) : null;
  const sender: ChatSender = createTeamsSender({ ctx, bot, installer, tenantId: settings.tenantId });
  const description =
    bot.mode === 'authenticated'
      ? `http /api/messages (authenticated, app id ${settings.appId})`
      : bot.mode === 'emulator'
        ? 'http /api/messages (TEAMS_EMULATOR=1, no MICROSOFT_APP_ID: loopback-only, unauthenticated — for local testing)'
        : 'off: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to connect Teams (or TEAMS_EMULATOR=1 for a local emulator)';
  return { sender, description, bot };
};
