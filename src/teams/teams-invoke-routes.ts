// The invokes a Teams dialog and the file consent flow send (task/fetch, task/submit, fileConsent/invoke), handed to
// the handlers' onInvoke and answered with its invoke response. Translation only.
import type { AgentApplication, TurnContext, TurnState } from '@microsoft/agents-hosting';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { TeamsHandlers, TeamsLogger } from './teams-endpoint.js';
import { errorSummary, isRecord, referenceOf, sendErrorInvokeResponse, toActivity, userOf } from './teams-routes.js';

export const DIALOG_AND_FILE_INVOKES = new Set(['task/fetch', 'task/submit', 'fileConsent/invoke']);

const isOurs = async (context: TurnContext) => context.activity.type === ActivityTypes.Invoke && DIALOG_AND_FILE_INVOKES.has(String(context.activity.name ?? ''));

export function registerInvokeRoutes(args: { app: AgentApplication<TurnState>; handlers: TeamsHandlers; log: TeamsLogger }): void {
  const { app, handlers, log } = args;
  app.addRoute(
    isOurs,
    async (context) => {
      const name = String(context.activity.name);
      try {
        const answer = handlers.onInvoke
          ? await handlers.onInvoke({
              name,
              user: userOf(context),
              value: isRecord(context.activity.value) ? context.activity.value : {},
              reference: referenceOf(context),
              conversationType: context.activity.conversation?.conversationType,
              send: async (message) => {
                await context.sendActivity(toActivity(message));
              },
            })
          : null;
        const response = answer ?? { status: 501 };
        await context.sendActivity(Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: response }));
      } catch (err) {
        log.error({ err: errorSummary(err), invoke: name }, 'teams invoke failed');
        await sendErrorInvokeResponse(context);
      }
    },
    true,
  );
}
