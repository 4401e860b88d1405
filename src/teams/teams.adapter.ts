import express from 'express';
import type { ChatSender } from '../delivery/sender.types.js';
import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { createTeamsBot } from './teams-endpoint.js';
import { createTeamsHandlers } from './teams-handlers.js';
import { createTeamsSender } from './teams-sender.js';

export interface TeamsSettings {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: string;
}

/** Activities are small; a form submit with a 3000-character summary is far below this. */
const BODY_LIMIT = '256kb';

/**
 * Microsoft Teams at POST /api/messages (Agents SDK): typed commands, Adaptive Card forms and decision buttons,
 * and the outbox's Teams sender. With MICROSOFT_APP_ID every request must carry a valid Bot Framework token;
 * without it only loopback callers are served (emulator, tests) and the description says so.
 */
export const createTeamsAdapter = async (args: { ctx: UseCaseContext; settings: TeamsSettings; metrics: Metrics; http: express.Express; nodeEnv?: string }) => {
  const { ctx, settings } = args;
  const bot = createTeamsBot({
    appId: settings.appId,
    appPassword: settings.appPassword,
    tenantId: settings.tenantId,
    appType: settings.appType,
    nodeEnv: args.nodeEnv,
    botName: 'DutyDesk',
    handlers: createTeamsHandlers({ ctx, metrics: args.metrics }),
    logger: ctx.logger,
  });
  args.http.post('/api/messages', express.json({ limit: BODY_LIMIT }), (req, res) => bot.handle(req, res));
  const sender: ChatSender = createTeamsSender({ ctx, bot });
  const description = bot.authenticated
    ? `http /api/messages (authenticated, app id ${settings.appId})`
    : 'http /api/messages (no MICROSOFT_APP_ID: loopback-only, unauthenticated — for local testing)';
  return { sender, description, bot };
};
