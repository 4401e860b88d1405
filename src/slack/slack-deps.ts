import type { types, webApi } from '@slack/bolt';
import { DomainError } from '../domain/errors.js';
import type { Reply } from '../interaction/reply.js';
import type { Metrics } from '../http/metrics.js';
import type { ChatMessage } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import type { FormDefinition } from '../use-cases/form.types.js';
import { channelSafe, fallbackText, messageBlocks } from './slack-blocks.js';
import { errorCode, slackRefusal } from './slack-errors.js';
import { formView, noticeView } from './slack-modals.js';
import { escapeMrkdwn } from './slack-text.js';
import { signViewMetadata } from './slack-view-metadata.js';

/** What every Slack handler needs. */
export interface SlackDeps {
  ctx: UseCaseContext;
  signingSecret: string;
  metrics: Metrics;
  /** The managers' board, when it is on: the App Home links to it. */
  boardUrl?: string;
  /** Resolves once the replay ledger has stored this request (replay-guard.ts `settle`); none in Socket Mode. */
  settle?: () => Promise<void>;
}

/** The directory person behind a Slack user, or the `person.unknown` refusal. */
export const actorFor = (deps: SlackDeps, slackUserId: string): string => {
  const person = deps.ctx.directory.personBySlack(slackUserId);
  if (!person) throw new DomainError({ code: 'person.unknown' });
  return person.id;
};

/** The directory person behind a Slack user, or null (the core answers with the not-in-the-directory words). */
export const slackActor = (deps: SlackDeps, slackUserId: string): string | null => deps.ctx.directory.personBySlack(slackUserId)?.id ?? null;

/** Log what the core answered: refusals by code (never the words), failures as errors. */
export const logReply = (deps: SlackDeps, where: string, reply: Reply) => {
  if (reply.kind !== 'refusal') return;
  if (reply.code === 'unexpected') deps.ctx.logger.error({ component: 'slack', where }, 'slack handler failed');
  else {
    deps.ctx.logger.info({ component: 'slack', where, code: reply.code }, 'slack refusal');
    deps.metrics.ops.refusals.inc({ code: reply.code, platform: 'slack' });
  }
};

export const refusalText = (deps: SlackDeps, error: unknown) => slackRefusal({ error, directory: deps.ctx.directory, now: deps.ctx.clock.now() });

export const logRefusal = (deps: SlackDeps, where: string, error: unknown) => {
  const code = errorCode(error);
  // Never the error message: a failed query's message can carry its parameters (case narrative).
  if (code === 'unexpected') deps.ctx.logger.error({ component: 'slack', where, error: errorName(error) }, 'slack handler failed');
  else {
    deps.ctx.logger.info({ component: 'slack', where, code }, 'slack refusal');
    deps.metrics.ops.refusals.inc({ code, platform: 'slack' });
  }
};

/** An error's name and code, for logs. */
export const errorName = (error: unknown): string => {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name}:${code.slice(0, 64)}` : error.name;
};

/** Time a handler into dutydesk_handler_seconds{platform="slack"}. */
export const timed = async <T>(deps: SlackDeps, kind: string, work: () => Promise<T>): Promise<T> => {
  const stop = deps.metrics.handlerSeconds.startTimer({ platform: 'slack', kind });
  try {
    return await work();
  } finally {
    stop();
  }
};

/** Open a modal for a form, with signed private_metadata naming the command and the user. */
export const openForm = async (args: { deps: SlackDeps; client: webApi.WebClient; triggerId: string; userId: string; command: string; form: FormDefinition }) => {
  const metadata = signViewMetadata({
    secret: args.deps.signingSecret,
    metadata: { command: args.command, formId: args.form.formId, context: args.form.context, userId: args.userId },
  });
  // Sent as its JSON text: the wire body is the same (the WebClient JSON-encodes an object field itself), but the
  // client then does not walk the whole view for its debug-log redaction on every call.
  const view = JSON.stringify(formView({ form: args.form, metadata })) as unknown as types.ModalView;
  await args.client.views.open({ trigger_id: args.triggerId, view });
};

type Respond = (message: Record<string, unknown>) => Promise<unknown>;

/**
 * Say something only this person sees: the response_url when there is one, else chat.postEphemeral in the
 * channel, else (App Home) a small modal. A message marked public goes in_channel without details.
 */
export const replyPrivately = async (args: {
  deps: SlackDeps;
  client: webApi.WebClient;
  respond?: Respond;
  userId: string;
  channelId?: string;
  triggerId?: string;
  text?: string;
  message?: ChatMessage;
  inChannel?: boolean;
}) => {
  const message = args.message && args.inChannel ? channelSafe(args.message) : args.message;
  const text = message ? fallbackText(message) : escapeMrkdwn(args.text ?? '');
  const blocks = message ? messageBlocks(message) : undefined;
  if (args.respond) {
    try {
      await args.respond({ response_type: args.inChannel ? 'in_channel' : 'ephemeral', replace_original: false, text, ...(blocks ? { blocks } : {}) });
      return;
    } catch (error) {
      args.deps.ctx.logger.warn({ component: 'slack', code: 'response_url_failed', error: errorName(error) }, 'response_url failed, trying chat.postEphemeral');
    }
  }
  if (args.channelId) {
    try {
      await args.client.chat.postEphemeral({ channel: args.channelId, user: args.userId, text, ...(blocks ? { blocks } : {}) });
      return;
    } catch (error) {
      args.deps.ctx.logger.warn({ component: 'slack', code: (error as { data?: { error?: string } }).data?.error ?? 'post_ephemeral_failed' }, 'chat.postEphemeral failed');
    }
  }
  if (args.triggerId) {
    await args.client.views.open({ trigger_id: args.triggerId, view: noticeView({ title: 'DutyDesk', text: args.text ?? message?.text ?? '', message }) });
  }
};
