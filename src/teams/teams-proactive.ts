// Proactive messages (the outbox's Teams sender): continue a stored conversation, update an activity, or open the
// first 1:1 conversation. Every call goes through the adapter's outbound host policy (teams-auth.ts).
import { type CloudAdapter, HttpError, type TurnContext } from '@microsoft/agents-hosting';
import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import type { TeamsBot, TeamsOutgoing } from './teams-endpoint.js';
import { referenceOf, toActivity } from './teams-routes.js';

const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

/** Thrown by the proactive calls when the connector refuses; `status`/`retryAfterSeconds` drive outbox retries. */
export class TeamsDeliveryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'TeamsDeliveryError';
  }
}

export function createProactive(args: { adapter: CloudAdapter | null; appId: string; botName?: string }): Pick<TeamsBot, 'sendProactive' | 'updateProactive' | 'createPersonalConversation'> {
  const { appId } = args;
  const adapterOf = (): CloudAdapter => {
    if (!args.adapter) throw new TeamsDeliveryError('Teams is off (no MICROSOFT_APP_ID and TEAMS_EMULATOR not set)');
    return args.adapter;
  };

  async function withConversation<T>(reference: ConversationReference, logic: (c: TurnContext) => Promise<T>): Promise<T> {
    let result: T | undefined;
    let failure: unknown;
    try {
      await adapterOf().continueConversation(appId, reference, async (context) => {
        context.onSendActivities(async (_c, activities, next) => {
          for (const a of activities) delete a.replyToId; // a new message, not a reply to an old activity
          return next();
        });
        try {
          result = await logic(context);
        } catch (err) {
          failure = err;
        }
      });
    } catch (err) {
      failure ??= err;
    } // e.g. the outbound host policy refusing a stored serviceUrl
    if (failure instanceof TypeError && /reference/.test(failure.message)) throw failure;
    if (failure !== undefined) throw toDeliveryError(failure);
    return result as T;
  }

  return {
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
      const agent = { id: `28:${appId}`, name: args.botName };
      let out: { reference: unknown; activityId?: string } | undefined;
      let failure: unknown;
      try {
        await adapterOf().createConversationAsync(
          appId,
          'msteams',
          serviceUrl,
          BOT_FRAMEWORK_SCOPE,
          {
            isGroup: false,
            agent,
            members: [{ id: userAadId, aadObjectId: userAadId }],
            tenantId,
            channelData: { tenant: { id: tenantId } },
          } as never,
          async (context) => {
            context.activity.recipient ??= agent as never; // SDK gotcha: "Activity Recipient undefined"
            context.activity.conversation = { ...context.activity.conversation, conversationType: 'personal', tenantId } as never;
            context.onSendActivities(async (_c, activities, next) => {
              for (const a of activities) delete a.replyToId;
              return next();
            });
            try {
              const response = await context.sendActivity(toActivity(message));
              out = { reference: referenceOf(context), activityId: response?.id || undefined };
            } catch (err) {
              failure = err;
            }
          },
        );
      } catch (err) {
        failure = err;
      }
      if (failure !== undefined || !out) throw toDeliveryError(failure ?? new Error('conversation not created'));
      return out;
    },
  };
}

function parseReference(reference: unknown): ConversationReference {
  const r = reference as Partial<ConversationReference> | null;
  if (!r || typeof r.serviceUrl !== 'string' || typeof r.conversation?.id !== 'string' || !r.channelId) {
    throw new TypeError('invalid Teams conversation reference (serviceUrl, channelId and conversation.id are required)');
  }
  const { activityId: _ignored, ...rest } = r;
  return rest as ConversationReference;
}

/** A connector or SDK failure as a TeamsDeliveryError (status and Retry-After kept for the outbox). */
export const connectorFailure = (err: unknown): TeamsDeliveryError => toDeliveryError(err);

function toDeliveryError(err: unknown): TeamsDeliveryError {
  if (err instanceof TeamsDeliveryError) return err;
  if (err instanceof HttpError) {
    const retryAfter = Number(err.response?.headers?.get?.('retry-after'));
    return new TeamsDeliveryError(`Teams connector answered ${err.status}`, err.status, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
  // The outbound host policy refused the stored serviceUrl: final, like a 400 (retrying cannot help).
  if (err instanceof Error && /not in the configured allowed hosts/.test(err.message)) return new TeamsDeliveryError('serviceUrl host not allowed', 400);
  return new TeamsDeliveryError(err instanceof Error ? err.message : String(err));
}
