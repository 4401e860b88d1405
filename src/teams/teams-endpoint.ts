// Microsoft Teams plumbing on the Microsoft 365 Agents SDK (@microsoft/agents-hosting 1.8): inbound activities,
// Action.Execute invokes, proactive send/update. Knows nothing about dutydesk's workflows.
import type { Request, Response } from 'express';
import {
  AgentApplication, CloudAdapter, HttpError, type AuthConfiguration, type TurnContext, type TurnState,
} from '@microsoft/agents-hosting';
import { Activity, ActivityTypes, type ConversationReference } from '@microsoft/agents-activity';

export interface TeamsUser { aadObjectId?: string; id: string; name?: string }
/** card = Adaptive Card JSON, sent as an attachment of contentType 'application/vnd.microsoft.card.adaptive'. */
export type TeamsOutgoing = { text?: string; card?: object };
export interface TeamsHandlers {
  /** `reply` is only usable until this promise settles. conversationType: 'personal' | 'groupChat' | 'channel'. */
  onMessage(args: {
    user: TeamsUser; text: string; reference: unknown; conversationType?: string;
    reply: (message: TeamsOutgoing) => Promise<void>;
  }): Promise<void>;
  /** The returned card replaces the clicked card; else `message` is shown. A card wins when both are given. */
  onCardAction(args: { user: TeamsUser; verb: string; data: Record<string, unknown>; reference: unknown }):
    Promise<{ card?: object; message?: string }>;
  /** Personal scope only; may fire twice for one install (installationUpdate + conversationUpdate): be idempotent. */
  onInstall?(args: { user: TeamsUser; reference: unknown }): Promise<void>;
}
export interface TeamsLogger {
  info(o: object, msg?: string): void; warn(o: object, msg?: string): void; error(o: object, msg?: string): void;
}
export interface TeamsBot {
  /** Mount at POST /api/messages, after express.json(). */
  handle: (req: Request, res: Response) => Promise<void>;
  sendProactive(args: { reference: unknown; message: TeamsOutgoing }): Promise<{ activityId?: string }>;
  updateProactive(args: { reference: unknown; activityId: string; message: TeamsOutgoing }): Promise<void>;
  /** First 1:1 message to a user known only by AAD object id; the app must already be installed for that user. */
  createPersonalConversation(args: { serviceUrl: string; tenantId: string; userAadId: string; message: TeamsOutgoing }):
    Promise<{ reference: unknown; activityId?: string }>;
  /** true when an app id is configured: every request must carry a valid Bot Framework JWT. */
  authenticated: boolean;
}

/** Thrown by the proactive calls when the connector refuses; `status`/`retryAfterSeconds` drive outbox retries. */
export class TeamsDeliveryError extends Error {
  constructor(message: string, readonly status?: number, readonly retryAfterSeconds?: number) {
    super(message);
    this.name = 'TeamsDeliveryError';
  }
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const LOCAL_APP_ID = 'dutydesk-local';
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];
const noopLogger: TeamsLogger = { info: () => {}, warn: () => {}, error: () => {} };

export function createTeamsBot(args: {
  appId?: string; appPassword?: string; tenantId?: string; appType?: string; botName?: string;
  /** NODE_ENV as read at start-up: 'production' refuses to run without an app id. */
  nodeEnv?: string;
  handlers: TeamsHandlers; logger?: TeamsLogger;
}): TeamsBot {
  const log = args.logger ?? noopLogger;
  const appId = args.appId?.trim() || undefined;
  const adapter = new CloudAdapter(buildAuthConfig({ ...args, appId }));
  const app = new AgentApplication<TurnState>({ adapter, agentAppId: appId, agentName: args.botName });
  const proactiveAppId = appId ?? LOCAL_APP_ID; // continueConversation refuses an empty app id
  registerRoutes({ app, handlers: args.handlers, log });

  app.onError(async (context, error) => {
    log.error({ err: errorSummary(error), activityType: context.activity.type }, 'teams turn failed');
    try {
      if (context.activity.type === ActivityTypes.Invoke) await sendErrorInvokeResponse(context);
      else if (context.activity.type === ActivityTypes.Message) {
        await context.sendActivity('Sorry, something went wrong. Please try again.');
      }
    } catch { /* the connector itself may be what failed */ }
  });

  async function handle(req: Request, res: Response): Promise<void> {
    // Without an app id nothing is authenticated: only direct local callers (emulator, tests). A request relayed by a
    // reverse proxy on this host also arrives from loopback, so forwarded requests are refused too.
    const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
    if (!appId && (forwarded || !isLoopbackAddress(req.socket.remoteAddress))) {
      log.warn({ remoteAddress: req.socket.remoteAddress, forwarded }, 'teams: unauthenticated request refused (no app id, not local)');
      res.status(403).json({ error: 'Teams endpoint without MICROSOFT_APP_ID accepts loopback traffic only' });
      return;
    }
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
      res.status(400).json({ error: 'expected a JSON Bot Framework activity' });
      return;
    }
    let authorized = false;
    await adapter.authorizeRequest(req as never, res as never, () => { authorized = true; });
    if (!authorized) return; // the SDK has answered 401/405
    try {
      await adapter.process(req as never, res as never, (context) => app.run(context));
    } catch (err) {
      const malformed = err instanceof Error && err.name === 'ZodError'; // the SDK's schema check of the activity
      log[malformed ? 'warn' : 'error']({ err: errorSummary(err) }, 'teams: request processing failed');
      if (!res.headersSent) res.status(malformed ? 400 : 500).json({ error: malformed ? 'malformed activity' : 'internal error' });
    }
  }

  async function withConversation<T>(reference: ConversationReference, logic: (c: TurnContext) => Promise<T>): Promise<T> {
    let result: T | undefined;
    let failure: unknown;
    await adapter.continueConversation(proactiveAppId, reference, async (context) => {
      context.onSendActivities(async (_c, activities, next) => {
        for (const a of activities) delete a.replyToId; // a new message, not a reply to an old activity
        return next();
      });
      try { result = await logic(context); } catch (err) { failure = err; }
    });
    if (failure !== undefined) throw toDeliveryError(failure);
    return result as T;
  }

  return {
    handle,
    authenticated: Boolean(appId),
    async sendProactive({ reference, message }) {
      const ref = parseReference(reference);
      const response = await withConversation(ref, (c) => c.sendActivity(toActivity(message)));
      return { activityId: response?.id || undefined };
    },
    async updateProactive({ reference, activityId, message }) {
      const ref = parseReference(reference);
      await withConversation(ref, (c) => c.updateActivity(Activity.fromObject({ ...toActivity(message), id: activityId })));
    },
    async createPersonalConversation({ serviceUrl, tenantId, userAadId, message }) {
      const agent = { id: `28:${proactiveAppId}`, name: args.botName };
      let out: { reference: unknown; activityId?: string } | undefined;
      let failure: unknown;
      try {
        await adapter.createConversationAsync(proactiveAppId, 'msteams', serviceUrl, BOT_FRAMEWORK_SCOPE, {
          isGroup: false, agent, members: [{ id: userAadId, aadObjectId: userAadId }], tenantId,
          channelData: { tenant: { id: tenantId } },
        } as never, async (context) => {
          context.activity.recipient ??= agent as never; // SDK gotcha: "Activity Recipient undefined"
          context.activity.conversation = { ...context.activity.conversation, conversationType: 'personal', tenantId } as never;
          context.onSendActivities(async (_c, activities, next) => {
            for (const a of activities) delete a.replyToId;
            return next();
          });
          try {
            const response = await context.sendActivity(toActivity(message));
            out = { reference: referenceOf(context), activityId: response?.id || undefined };
          } catch (err) { failure = err; }
        });
      } catch (err) { failure = err; }
      if (failure !== undefined || !out) throw toDeliveryError(failure ?? new Error('conversation not created'));
      return out;
    },
  };
}

function registerRoutes(args: { app: AgentApplication<TurnState>; handlers: TeamsHandlers; log: TeamsLogger }): void {
  const { app, handlers, log } = args;
  app.onActivity(ActivityTypes.Message, async (context) => {
    const text = (context.activity.text ?? '').trim();
    if (!text) return; // e.g. legacy Action.Submit payloads: we only use Action.Execute
    await handlers.onMessage({
      user: userOf(context), text, reference: referenceOf(context),
      conversationType: context.activity.conversation?.conversationType,
      reply: async (message) => { await context.sendActivity(toActivity(message)); },
    });
  });

  app.adaptiveCards.actionExecute(/.*/, async (context, _state, action: { verb?: unknown; data?: unknown }) => {
    const verb = typeof action.verb === 'string' ? action.verb : '';
    const data = isRecord(action.data) ? action.data : {};
    try {
      const result = await handlers.onCardAction({ user: userOf(context), verb, data, reference: referenceOf(context) });
      if (result.card) return result.card as { type: 'AdaptiveCard' };
      return result.message ?? '';
    } catch (err) {
      log.error({ err: errorSummary(err), verb }, 'teams card action failed');
      await sendErrorInvokeResponse(context); // once an invoke response is set, the SDK sends no other
      return '';
    }
  });

  const install = async (context: TurnContext): Promise<void> => {
    if (!handlers.onInstall || !isPersonal(context)) return;
    await handlers.onInstall({ user: userOf(context), reference: referenceOf(context) });
  };
  app.onActivity(ActivityTypes.InstallationUpdate, async (context) => {
    const action = String(context.activity.action ?? '').toLowerCase();
    if (action === 'add' || action === 'add-upgrade') await install(context);
  });
  app.onConversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    if (botId && context.activity.membersAdded?.some((m) => m.id === botId)) await install(context);
  });
}

function buildAuthConfig(args: { appId?: string; appPassword?: string; tenantId?: string; appType?: string; nodeEnv?: string }): AuthConfiguration {
  // Every key is given explicitly so that nothing is picked up from process.env (the SDK merges its env settings under ours).
  const none = { clientId: undefined, clientSecret: undefined, tenantId: undefined, authType: undefined };
  if (!args.appId) {
    if (args.nodeEnv?.toLowerCase() === 'production') {
      throw new Error('MICROSOFT_APP_ID is required for Teams when NODE_ENV=production (the Agents SDK refuses anonymous mode)');
    }
    return none;
  }
  const appType = args.appType?.trim() || (args.tenantId ? 'SingleTenant' : 'MultiTenant');
  if (!APP_TYPES.includes(appType)) throw new Error(`MICROSOFT_APP_TYPE must be one of ${APP_TYPES.join(', ')}, got "${appType}"`);
  if (appType === 'SingleTenant' && !args.tenantId) throw new Error('MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_TYPE=SingleTenant');
  if (appType === 'UserAssignedMSI') {
    return { ...none, clientId: args.appId, tenantId: args.tenantId, authType: 'UserManagedIdentity' };
  }
  if (!args.appPassword) throw new Error('MICROSOFT_APP_PASSWORD is required when MICROSOFT_APP_ID is set');
  return {
    ...none, clientId: args.appId, clientSecret: args.appPassword, authType: 'ClientSecret',
    tenantId: appType === 'SingleTenant' ? args.tenantId : undefined, // multi-tenant bots get tokens from botframework.com
  };
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function toActivity(message: TeamsOutgoing): Activity {
  if (!message.text && !message.card) throw new TypeError('a Teams message needs text or a card');
  return Activity.fromObject({
    type: ActivityTypes.Message,
    ...(message.text ? { text: message.text, textFormat: 'markdown' } : {}),
    ...(message.card ? { attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: message.card }] } : {}),
  });
}

async function sendErrorInvokeResponse(context: TurnContext): Promise<void> {
  const body = { statusCode: 500, type: 'application/vnd.microsoft.error', value: { code: 'InternalError', message: 'Something went wrong. Please try again.' } };
  await context.sendActivity(Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } }));
}

function userOf(context: TurnContext): TeamsUser {
  const from = context.activity.from;
  return { id: from?.id ?? '', aadObjectId: from?.aadObjectId || undefined, name: from?.name || undefined };
}

/** A JSON-serialisable ConversationReference for this conversation, without the id of the triggering activity. */
function referenceOf(context: TurnContext): unknown {
  const { activityId: _ignored, ...reference } = context.activity.getConversationReference();
  return JSON.parse(JSON.stringify(reference)) as unknown;
}

function parseReference(reference: unknown): ConversationReference {
  const r = reference as Partial<ConversationReference> | null;
  if (!r || typeof r.serviceUrl !== 'string' || typeof r.conversation?.id !== 'string' || !r.channelId) {
    throw new TypeError('invalid Teams conversation reference (serviceUrl, channelId and conversation.id are required)');
  }
  const { activityId: _ignored, ...rest } = r;
  return rest as ConversationReference;
}

function isPersonal(context: TurnContext): boolean {
  const conversation = context.activity.conversation;
  return conversation?.conversationType === 'personal' || (conversation?.conversationType === undefined && !conversation?.isGroup);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toDeliveryError(err: unknown): TeamsDeliveryError {
  if (err instanceof TeamsDeliveryError) return err;
  if (err instanceof HttpError) {
    const retryAfter = Number(err.response?.headers?.get?.('retry-after'));
    return new TeamsDeliveryError(`Teams connector answered ${err.status}`, err.status, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
  return new TeamsDeliveryError(err instanceof Error ? err.message : String(err));
}

/** Never the error's request data: it may hold case narrative. */
function errorSummary(err: unknown): object {
  if (err instanceof HttpError) return { name: err.name, status: err.status, url: err.config?.url };
  if (err instanceof Error) return { name: err.name, message: err.message.slice(0, 300) };
  return { message: String(err).slice(0, 300) };
}
