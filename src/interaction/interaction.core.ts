import { COMMANDS, findCommand } from '../../commands/index.js';
import { decisionForm, decisionOf, runDecision } from '../../commands/decide.command.js';
import { StoreUnavailableError } from '../db/store.js';
import { DomainError, isDomainError } from '../domain/errors.js';
import { needsForm } from '../domain/workflows/workflow.js';
import { type ChatAction, decodeActionValue } from '../use-cases/chat-message.js';
import type { Platform, UseCaseContext } from '../use-cases/context.js';
import { refuseWithoutRole } from '../use-cases/case-access.use-case.js';
import { checkAuthority, rolesOn } from '../use-cases/decide.use-case.js';
import type { FormValues } from '../use-cases/form.types.js';
import { renderItemStatus } from '../use-cases/item-status.js';
import { failureWords } from '../use-cases/refusal-words.js';
import { loadItem } from '../use-cases/workflows/workflow-module.js';
import { words } from '../words/catalogue.js';
import { fieldForRefusal } from './refusal-field.js';
import type { Reply } from './reply.js';

/**
 * The one interaction flow for every platform: a typed command, a button click, a form submission, each answered
 * with a neutral Reply. The actor is resolved by the platform (null: not in the directory); their roles on an item
 * are checked before anything of the item is shown.
 */
export interface Interaction {
  ctx: UseCaseContext;
  /** The directory person, or null when the platform user is not in the org file. */
  actorId: string | null;
  platform: Exclude<Platform, 'cli'>;
}

const MOVED_ON = new Set(['item.already_done', 'item.moved_on']);

export const notInDirectory = (platform: Interaction['platform']): Reply => ({
  kind: 'refusal',
  code: 'person.unknown',
  words: words(platform === 'teams' ? 'directory.not_in_teams' : 'refusal.person.unknown'),
});

/** Does a click on this button open a form? One answer, from the action's definition, for every platform. */
export const clickOpensForm = (ctx: Pick<UseCaseContext, 'workflows'>, actionId: string): boolean => {
  const { module, action } = decisionOf(ctx, actionId);
  return needsForm(module.definition, action);
};

/** A refusal, with the item's current state only for someone who holds a role on it. */
const refusal = async (args: { io: Interaction; error: unknown; item?: { itemType: string; itemId: number } }): Promise<Reply> => {
  const { io, error } = args;
  const { ctx } = io;
  if (!isDomainError(error) && !(error instanceof StoreUnavailableError)) ctx.logger.error({ platform: io.platform, err: (error as Error)?.name }, 'interaction failed');
  const code = isDomainError(error) ? error.code : error instanceof StoreUnavailableError ? 'store.unavailable' : 'unexpected';
  const reply: Reply = { kind: 'refusal', code, words: failureWords({ error, directory: ctx.directory, now: ctx.clock.now() }), field: fieldForRefusal(error) };
  if (!args.item || !io.actorId || !MOVED_ON.has(code)) return reply;
  const module = ctx.workflows.get(args.item.itemType);
  const row = module ? await loadItem(module, ctx.store.repos, args.item.itemId) : undefined;
  if (!module || !row) return reply;
  const { roles } = await rolesOn({ ctx, repos: ctx.store.repos, module, row, personId: io.actorId, now: ctx.clock.now() });
  if (roles.size === 0) return reply;
  const status = await renderItemStatus({ ctx, itemType: args.item.itemType as ChatAction['itemType'], itemId: args.item.itemId, personId: io.actorId });
  return status ? { ...reply, status: { ...status, notice: reply.words } } : reply;
};

export const helpLines = () => COMMANDS.map((command) => `${command.name}${command.usageHint ? ` ${command.usageHint}` : ''}: ${command.description}`);

/** A typed command (`/escalate X123456`, `cases`, …). Unknown commands get the help. */
export const handleCommand = async (io: Interaction & { name: string; text: string }): Promise<Reply> => {
  const command = io.name && io.name !== 'help' ? findCommand(io.name) : undefined;
  if (!command) return { kind: 'help', lines: helpLines() };
  if (!io.actorId) return notInDirectory(io.platform);
  try {
    if (command.kind === 'form') return { kind: 'form', form: await command.form({ ctx: io.ctx, actorId: io.actorId, text: io.text }), command: command.name, text: io.text };
    const result = await command.run({ ctx: io.ctx, actorId: io.actorId, text: io.text, platform: io.platform });
    return { kind: 'message', message: result.message, private: result.private };
  } catch (error) {
    return refusal({ io, error });
  }
};

/** The item as it stands now for the actor, after their decision. */
const statusAfter = (io: Interaction, action: ChatAction) =>
  renderItemStatus({ ctx: io.ctx, itemType: action.itemType, itemId: action.itemId, personId: io.actorId }).then((status) => status ?? undefined);

/**
 * A decision button. Authority first (a refused click shows nothing of the item to someone without a role), then
 * either the decision form or, for a one-click action, the decision itself.
 */
export const handleButton = async (io: Interaction & { value: string; actionId: string }): Promise<Reply> => {
  const decoded = decodeActionValue(io.value);
  if (!decoded || decoded.actionId !== io.actionId) return refusal({ io, error: new DomainError({ code: 'action.unknown' }) });
  if (!io.actorId) return notInDirectory(io.platform);
  const actorId = io.actorId;
  const action: ChatAction = { id: decoded.actionId, label: '', needsForm: false, itemType: decoded.itemType, itemId: decoded.itemId };
  const item = { itemType: decoded.itemType, itemId: decoded.itemId };
  try {
    const { action: name } = decisionOf(io.ctx, action.id);
    await refuseWithoutRole({ ctx: io.ctx, personId: actorId, actionId: action.id, itemType: action.itemType, itemId: action.itemId }); // roles before state
    await checkAuthority({ ctx: io.ctx, itemType: decoded.itemType, itemId: decoded.itemId, action: name, actorId });
    const form = await decisionForm({ ctx: io.ctx, actorId, action });
    if (clickOpensForm(io.ctx, action.id)) return { kind: 'form', form, command: 'decision' };
    const result = await runDecision({ ctx: io.ctx, actorId, actionId: action.id, itemId: action.itemId, values: {}, platform: io.platform });
    if (!result.ok) return { kind: 'form', form, command: 'decision', errors: result.fieldErrors };
    return { kind: 'done', words: result.reply, status: await statusAfter(io, action) };
  } catch (error) {
    return refusal({ io, error, item });
  }
};

const decisionAction = (ctx: UseCaseContext, context: Record<string, string>): ChatAction | null => {
  if (!context.itemType || !ctx.workflows.get(context.itemType)) return null;
  const itemId = Number(context.itemId);
  const itemType = context.itemType as ChatAction['itemType'];
  if (!itemType || !Number.isInteger(itemId) || !context.actionId) return null;
  return { id: context.actionId, label: '', needsForm: true, itemType, itemId };
};

/**
 * A form submission: a decision form or a command's form. `values` are raw values by field name; `formValues`
 * lets a platform read them against the rebuilt form (Teams sends inputs flat). Field errors re-show the form.
 */
export const handleSubmit = async (
  io: Interaction & {
    formId: string;
    command?: string;
    text?: string;
    context: Record<string, string>;
    values: FormValues | ((form: import('../use-cases/form.types.js').FormDefinition) => FormValues);
  },
): Promise<Reply> => {
  if (!io.actorId) return notInDirectory(io.platform);
  const actorId = io.actorId;
  const valuesFor = (form: import('../use-cases/form.types.js').FormDefinition) => (typeof io.values === 'function' ? io.values(form) : io.values);
  if (io.formId === 'decision') {
    const action = decisionAction(io.ctx, io.context);
    if (!action) return { kind: 'refusal', code: 'form.out_of_date', words: words('form.out_of_date') };
    try {
      await refuseWithoutRole({ ctx: io.ctx, personId: actorId, actionId: action.id, itemType: action.itemType, itemId: action.itemId }); // roles before state
      const form = await decisionForm({ ctx: io.ctx, actorId, action });
      const values = valuesFor(form);
      const result = await runDecision({ ctx: io.ctx, actorId, actionId: action.id, itemId: action.itemId, values, platform: io.platform });
      if (!result.ok) return { kind: 'form', form, command: 'decision', values, errors: result.fieldErrors };
      return { kind: 'done', words: result.reply, title: form.title, status: await statusAfter(io, action) };
    } catch (error) {
      return refusal({ io, error, item: { itemType: action.itemType, itemId: action.itemId } });
    }
  }
  const command = findCommand(io.command ?? io.formId);
  if (!command || command.kind !== 'form') return { kind: 'refusal', code: 'form.out_of_date', words: words('form.out_of_date') };
  try {
    const form = await command.form({ ctx: io.ctx, actorId, text: io.text ?? '' });
    const values = valuesFor(form);
    const result = await command.submit({ ctx: io.ctx, actorId, values, context: io.context, platform: io.platform });
    if (!result.ok) return { kind: 'form', form, command: command.name, text: io.text, values, errors: result.fieldErrors };
    return { kind: 'done', words: result.reply, title: form.title, message: result.message };
  } catch (error) {
    return refusal({ io, error });
  }
};
