// Inbound activities → the dutydesk handlers: messages, Action.Execute invokes, installs. Translation only.
import type { AgentApplication, TurnContext, TurnState } from '@microsoft/agents-hosting';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { TeamsHandlers, TeamsLogger, TeamsOutgoing, TeamsUser } from './teams-endpoint.js';
import { safeCardText } from './teams-text.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export function registerRoutes(args: { app: AgentApplication<TurnState>; handlers: TeamsHandlers; log: TeamsLogger }): void {
  const { app, handlers, log } = args;
  app.onActivity(ActivityTypes.Message, async (context) => {
    const text = (context.activity.text ?? '').trim();
    if (!text) return; // e.g. legacy Action.Submit payloads: we only use Action.Execute
    await handlers.onMessage({
      user: userOf(context),
      text,
      reference: referenceOf(context),
      conversationType: context.activity.conversation?.conversationType,
      reply: async (message) => {
        await context.sendActivity(toActivity(message));
      },
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

  const install = async (context: TurnContext, event: 'installationUpdate' | 'conversationUpdate'): Promise<void> => {
    if (!handlers.onInstall || !isPersonal(context)) return;
    const reply = async (message: TeamsOutgoing) => {
      await context.sendActivity(toActivity(message));
    };
    await handlers.onInstall({ user: userOf(context), reference: referenceOf(context), event, reply });
  };
  app.onActivity(ActivityTypes.InstallationUpdate, async (context) => {
    const action = String(context.activity.action ?? '').toLowerCase();
    if (action === 'add' || action === 'add-upgrade') await install(context, 'installationUpdate');
  });
  app.onConversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    if (botId && context.activity.membersAdded?.some((m) => m.id === botId)) await install(context, 'conversationUpdate');
  });
}

export function toActivity(message: TeamsOutgoing): Activity {
  if (!message.text && !message.card && !message.attachments?.length) throw new TypeError('a Teams message needs text, a card or an attachment');
  const attachments = [...(message.card ? [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: message.card }] : []), ...(message.attachments ?? [])];
  return Activity.fromObject({
    type: ActivityTypes.Message,
    ...(message.text ? { text: safeCardText(message.text), textFormat: 'markdown' } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
  });
}

export async function sendErrorInvokeResponse(context: TurnContext): Promise<void> {
  const body = { statusCode: 500, type: 'application/vnd.microsoft.error', value: { code: 'InternalError', message: 'Something went wrong. Please try again.' } };
  await context.sendActivity(Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } }));
}

export function userOf(context: TurnContext): TeamsUser {
  const from = context.activity.from;
  return { id: from?.id ?? '', aadObjectId: from?.aadObjectId || undefined, name: from?.name || undefined };
}

/** A JSON-serialisable ConversationReference for this conversation, without the id of the triggering activity. */
export function referenceOf(context: TurnContext): unknown {
  const { activityId: _ignored, ...reference } = context.activity.getConversationReference();
  return JSON.parse(JSON.stringify(reference)) as unknown;
}

function isPersonal(context: TurnContext): boolean {
  const conversation = context.activity.conversation;
  return conversation?.conversationType === 'personal' || (conversation?.conversationType === undefined && !conversation?.isGroup);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Never the error's request data: it may hold case narrative. */
export function errorSummary(err: unknown): object {
  const http = err as { name?: string; status?: number; config?: { url?: string } };
  if (err instanceof Error && typeof http.status === 'number') return { name: err.name, status: http.status, url: http.config?.url };
  if (err instanceof Error) return { name: err.name, message: err.message.slice(0, 300) };
  return { message: String(err).slice(0, 300) };
}
