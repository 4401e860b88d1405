// Microsoft Teams plumbing on the Microsoft 365 Agents SDK (@microsoft/agents-hosting 1.8): the edge (teams-auth.ts),
// inbound routes (teams-routes.ts) and proactive send/update (teams-proactive.ts). Knows nothing about workflows.
import type { Request, Response } from 'express';
import { AgentApplication, CloudAdapter, type TurnState } from '@microsoft/agents-hosting';
import { ActivityTypes } from '@microsoft/agents-activity';
import { appTypeOf, buildAuthConfig, refuseAfterAuth, refuseBeforeAuth, serviceHostValidator, teamsMode, type TeamsMode } from './teams-auth.js';
import { type ChannelPoster, createChannelPoster } from './teams-channel-post.js';
import { createProactive } from './teams-proactive.js';
import { type TeamEventHandlers, registerTeamRoutes } from './teams-team-events.js';
import { errorSummary, registerRoutes, sendErrorInvokeResponse } from './teams-routes.js';
import { registerInvokeRoutes } from './teams-invoke-routes.js';

export { isLoopbackAddress } from './teams-auth.js';
export { TeamsDeliveryError } from './teams-proactive.js';
export { ADAPTIVE_CARD_CONTENT_TYPE } from './teams-routes.js';

export interface TeamsUser {
  aadObjectId?: string;
  id: string;
  name?: string;
}
/** card = Adaptive Card JSON, sent as an attachment of contentType 'application/vnd.microsoft.card.adaptive'. */
export type TeamsOutgoing = { text?: string; card?: object; attachments?: TeamsAttachment[] };
/** Any other attachment (a file consent card, a file info card), sent as is after the card. */
export type TeamsAttachment = { contentType: string; name?: string; contentUrl?: string; content?: unknown };
export interface TeamsHandlers {
  /** `reply` is only usable until this promise settles. conversationType: 'personal' | 'groupChat' | 'channel'. */
  onMessage(args: { user: TeamsUser; text: string; reference: unknown; conversationType?: string; reply: (message: TeamsOutgoing) => Promise<void> }): Promise<void>;
  /** The returned card replaces the clicked card; else `message` is shown. A card wins when both are given. */
  onCardAction(args: { user: TeamsUser; verb: string; data: Record<string, unknown>; reference: unknown }): Promise<{ card?: object; message?: string }>;
  /** Personal scope only; may fire twice for one install (installationUpdate + conversationUpdate): be idempotent. */
  onInstall?(args: { user: TeamsUser; reference: unknown; event?: 'installationUpdate' | 'conversationUpdate'; reply?: (message: TeamsOutgoing) => Promise<void> }): Promise<void>;
  /** Invokes other than Action.Execute (teams-invoke-routes.ts): the invoke response body, or null when not ours. */
  onInvoke?(args: TeamsInvoke): Promise<{ status: number; body?: unknown } | null>;
}
export interface TeamsInvoke {
  /** e.g. 'task/fetch', 'task/submit', 'fileConsent/invoke'. */
  name: string;
  user: TeamsUser;
  value: Record<string, unknown>;
  reference: unknown;
  conversationType?: string;
  /** A message into the conversation the invoke came from, while the invoke is being answered. */
  send: (message: TeamsOutgoing) => Promise<void>;
}
export interface TeamsLogger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}
export interface TeamsBot extends ChannelPoster {
  /** Mount at POST /api/messages, after express.json(). */
  handle: (req: Request, res: Response) => Promise<void>;
  sendProactive(args: { reference: unknown; message: TeamsOutgoing }): Promise<{ activityId?: string }>;
  updateProactive(args: { reference: unknown; activityId: string; message: TeamsOutgoing }): Promise<void>;
  /** First 1:1 message to a user known only by AAD object id; the app must already be installed for that user. */
  createPersonalConversation(args: { serviceUrl: string; tenantId: string; userAadId: string; message: TeamsOutgoing }): Promise<{ reference: unknown; activityId?: string }>;
  /** true when an app id is configured: every request must carry a valid Bot Framework JWT. */
  authenticated: boolean;
  mode: TeamsMode;
}

const LOCAL_APP_ID = 'dutydesk-local';
const noopLogger: TeamsLogger = { info: () => {}, warn: () => {}, error: () => {} };

export function createTeamsBot(args: {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: string;
  botName?: string;
  /** NODE_ENV as read at start-up: 'production' refuses to run without an app id. */
  nodeEnv?: string;
  /** TEAMS_EMULATOR=1: without an app id, serve unauthenticated loopback callers (emulator, tests). Else Teams is off. */
  emulator?: boolean;
  /** Hosts allowed as serviceUrl besides Microsoft's connector hosts (tests: the loopback fake connector). */
  extraServiceHosts?: readonly string[];
  /** Entra authority override (sovereign clouds; tests: a loopback OpenID/JWKS server). */
  authority?: string;
  handlers: TeamsHandlers;
  /** Installs in a team and its channel changes (conversationUpdate with the team in channelData). */
  teamEvents?: TeamEventHandlers;
  logger?: TeamsLogger;
}): TeamsBot {
  const log = args.logger ?? noopLogger;
  const appId = args.appId?.trim() || undefined;
  const mode = teamsMode({ appId, emulator: args.emulator });
  const authConfig = buildAuthConfig({ ...args, appId });
  const singleTenant = Boolean(appId) && appTypeOf(args) === 'SingleTenant';
  const adapter = mode === 'off' ? null : new CloudAdapter(authConfig, undefined, undefined, { validateServiceUrl: true }, serviceHostValidator({ mode, extraHosts: args.extraServiceHosts }));
  const proactive = createProactive({ adapter, appId: appId ?? LOCAL_APP_ID, botName: args.botName }); // continueConversation refuses an empty app id

  const app = adapter ? new AgentApplication<TurnState>({ adapter, agentAppId: appId, agentName: args.botName }) : null;
  if (app) {
    if (adapter && args.teamEvents) registerTeamRoutes({ app, adapter, handlers: args.teamEvents, log }); // before the personal routes: first match wins
    registerInvokeRoutes({ app, handlers: args.handlers, log }); // before the general routes: first match wins
    registerRoutes({ app, handlers: args.handlers, log });
    app.onError(async (context, error) => {
      log.error({ err: errorSummary(error), activityType: context.activity.type }, 'teams turn failed');
      try {
        if (context.activity.type === ActivityTypes.Invoke) await sendErrorInvokeResponse(context);
        else if (context.activity.type === ActivityTypes.Message) {
          await context.sendActivity('Sorry, something went wrong. Please try again.');
        }
      } catch {
        /* the connector itself may be what failed */
      }
    });
  }

  async function handle(req: Request, res: Response): Promise<void> {
    const early = refuseBeforeAuth({ mode, req });
    if (early || !adapter || !app) {
      const refusal = early ?? { status: 404 as const, reason: 'off', error: 'Teams is off' };
      log.warn({ component: 'teams', code: `request.${refusal.reason}`, status: refusal.status, remoteAddress: req.socket.remoteAddress }, 'teams request refused');
      res.status(refusal.status).json({ error: refusal.error });
      return;
    }
    let authorized = false;
    await adapter.authorizeRequest(req as never, res as never, () => {
      authorized = true;
    });
    if (!authorized) return; // the SDK has answered 401/405
    const late = refuseAfterAuth({ mode, body: req.body as Record<string, unknown>, tenantId: args.tenantId, singleTenant });
    if (late) {
      log.warn({ component: 'teams', code: `request.${late.reason}`, status: late.status }, 'teams request refused');
      res.status(late.status).json({ error: late.error });
      return;
    }
    try {
      await adapter.process(req as never, res as never, (context) => app.run(context));
    } catch (err) {
      const malformed = err instanceof Error && err.name === 'ZodError'; // the SDK's schema check of the activity
      log[malformed ? 'warn' : 'error']({ err: errorSummary(err) }, 'teams: request processing failed');
      if (!res.headersSent) res.status(malformed ? 400 : 500).json({ error: malformed ? 'malformed activity' : 'internal error' });
    }
  }

  const channels = createChannelPoster({ adapter, appId: appId ?? LOCAL_APP_ID, botName: args.botName });
  return { handle, authenticated: mode === 'authenticated', mode, ...proactive, ...channels };
}
