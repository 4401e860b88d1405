import { z } from 'zod';
import { DomainError } from '../src/domain/errors.js';
import type { InputNeed } from '../src/domain/workflows/workflow.js';
import { refOf } from '../src/presenters/item-message.presenter.js';
import type { ChatAction } from '../src/use-cases/chat-message.js';
import type { Platform, UseCaseContext } from '../src/use-cases/context.js';
import { decide, moduleFor } from '../src/use-cases/decide.use-case.js';
import type { FormDefinition, FormField, FormValues } from '../src/use-cases/form.types.js';
import { loadItem } from '../src/use-cases/workflows/workflow-module.js';
import { actionWords, words } from '../src/words/catalogue.js';
import { type SubmitResult, fieldErrorsFrom, single } from './command.types.js';
import { notOfferedErrors } from '../src/use-cases/form-options.js';
import { meetingFormFields, parseMeeting } from '../src/use-cases/handover-meeting.use-case.js';
import { ACTION_FORMS } from './action-forms.js';
import { releaseDateSchema } from './release-date.js';
import { localDate } from '../src/domain/time/working-time.js';

export const RATIONALE_MAX = 3000;

/** `escalation.countersign` → the workflow module, the action and what it needs (from its definition). */
export const decisionOf = (ctx: Pick<UseCaseContext, 'workflows'>, actionId: string) => {
  const [itemType = '', action = ''] = actionId.split('.');
  const module = ctx.workflows.get(itemType);
  const rule = module?.definition.actions[action];
  if (!module || !rule) throw new DomainError({ code: 'action.unknown', details: { action: actionId } });
  return { module, itemType, action, input: rule.input as InputNeed, label: actionWords(itemType, action).label };
};

/** The small form a decision button opens (rationale; a person; a date), built from the action's input needs. */
export const decisionForm = async (args: { ctx: UseCaseContext; actorId: string; action: ChatAction }): Promise<FormDefinition> => {
  const { ctx, action } = args;
  const own = ACTION_FORMS[action.id];
  if (own) return own.form({ ctx, actorId: args.actorId, itemId: action.itemId });
  const { module, itemType, input, label } = decisionOf(ctx, action.id);
  const ref = refOf(module, action.itemId);
  const fields: FormField[] = [];
  if (input.person) {
    const row = await loadItem(module, ctx.store.repos, action.itemId);
    const unit = row ? ctx.directory.unit(module.personUnit(row)) : undefined;
    if (!unit) throw new DomainError({ code: 'item.not_found' });
    const ids = [...new Set([...unit.members, unit.manager, ...unit.duty])];
    const optional = input.person.need === 'optional';
    fields.push({
      kind: 'select',
      name: 'personId',
      label: words(`workflow.${itemType}.person`),
      optional,
      hint: optional ? words('decision.person_later') : undefined,
      options: ids.map((id) => ({ value: id, label: ctx.directory.person(id)?.name ?? id })),
    });
  }
  if (input.date) fields.push({ kind: 'date', name: 'releaseDate', label: words('decision.date') });
  if (input.unit) fields.push(await unitField({ ctx, module, itemId: action.itemId }));
  if (input.meeting) fields.push(...meetingFormFields());
  if (input.rationale !== 'none') {
    fields.push({
      kind: 'text',
      name: 'rationale',
      label: words(input.rationale === 'required' ? 'decision.rationale' : 'decision.note'),
      optional: input.rationale !== 'required',
      multiline: true,
      maxLength: RATIONALE_MAX,
      placeholder: words('decision.placeholder'),
    });
  }
  return {
    formId: 'decision',
    title: label.length <= 24 ? label : label.slice(0, 24),
    submitLabel: label.length <= 24 ? label : words('decision.confirm'),
    intro: words('decision.intro', { label, ref }),
    fields,
    context: { itemType: action.itemType, itemId: String(action.itemId), actionId: action.id },
  };
};

/** The unit choice an action takes (the next provider of a misallocated referral), from the module's options. */
const unitField = async (args: { ctx: UseCaseContext; module: ReturnType<typeof decisionOf>['module']; itemId: number }): Promise<FormField> => {
  const row = await loadItem(args.module, args.ctx.store.repos, args.itemId);
  if (!row) throw new DomainError({ code: 'item.not_found' });
  const options = args.module.unitOptions?.({ row, directory: args.ctx.directory }) ?? [];
  // An empty choice is no form at all (Slack refuses a select without options): say why it cannot be sent on.
  if (options.length === 0) throw new DomainError({ code: 'referral.no_other_provider', details: { type: (row as { referralType?: string }).referralType ?? '' } });
  return { kind: 'select', name: 'providerUnitId', label: words('refs.provider'), options: options.map((unit: { id: string; name: string }) => ({ value: unit.id, label: unit.name })) };
};

const decisionSchema = (input: InputNeed, today: string) => {
  const tooLong = words('decision.too_long', { max: RATIONALE_MAX });
  return z.object({
    rationale:
      input.rationale === 'required'
        ? z
            .string({ message: words('decision.give_rationale') })
            .trim()
            .min(3, words('decision.give_rationale'))
            .max(RATIONALE_MAX, tooLong)
        : z.string().trim().max(RATIONALE_MAX, tooLong).optional(),
    personId: input.person?.need === 'required' ? z.string({ message: words('decision.choose_person') }).min(1, words('decision.choose_person')) : z.string().optional(),
    releaseDate: input.date ? releaseDateSchema({ today, message: words('decision.choose_date') }) : z.string().optional(),
    providerUnitId: input.unit ? z.string({ message: words('refs.choose_provider') }).min(1, words('refs.choose_provider')) : z.string().optional(),
  });
};

/** Take the decision (from a form submission or a one-click button). Refusals throw DomainError. */
export const runDecision = async (args: { ctx: UseCaseContext; actorId: string; actionId: string; itemId: number; values: FormValues; platform: Platform }): Promise<SubmitResult> => {
  const { module, itemType, action, input, label } = decisionOf(args.ctx, args.actionId);
  const own = ACTION_FORMS[args.actionId];
  if (own) return own.submit({ ctx: args.ctx, actorId: args.actorId, itemId: args.itemId, values: args.values, platform: args.platform });
  const today = localDate({ calendar: args.ctx.directory.calendar, at: args.ctx.clock.now() });
  const parsed = decisionSchema(input, today).safeParse({
    rationale: Array.isArray(args.values.rationale) ? args.values.rationale[0] : args.values.rationale,
    personId: single(args.values.personId),
    releaseDate: single(args.values.releaseDate),
    providerUnitId: single(args.values.providerUnitId),
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFrom(parsed.error.issues) };
  const values = parsed.data;
  const meeting = input.meeting ? parseMeeting({ values: args.values, directory: args.ctx.directory, now: args.ctx.clock.now() }) : null;
  if (meeting && !meeting.ok) return { ok: false, fieldErrors: meeting.fieldErrors };
  moduleFor(args.ctx, itemType);
  if (input.unit && values.providerUnitId) {
    // A unit that cannot take it gets its own sentence (not "choose from the list"); nothing is stored.
    const row = await loadItem(module, args.ctx.store.repos, args.itemId);
    const why = row ? module.checkUnit?.({ row, unitId: values.providerUnitId, directory: args.ctx.directory }) : null;
    if (why) return { ok: false, fieldErrors: { providerUnitId: why } };
    const offered: ChatAction = { id: args.actionId, label: '', needsForm: true, itemType, itemId: args.itemId };
    const notOffered = notOfferedErrors({ form: await decisionForm({ ctx: args.ctx, actorId: args.actorId, action: offered }), values: { providerUnitId: values.providerUnitId } });
    if (Object.keys(notOffered).length > 0) return { ok: false, fieldErrors: notOffered };
  }
  if (values.personId) {
    // The person must be one the form offered (the unit's own staff), whatever the submitted data says.
    const offered: ChatAction = { id: args.actionId, label: '', needsForm: true, itemType, itemId: args.itemId };
    const notOffered = notOfferedErrors({ form: await decisionForm({ ctx: args.ctx, actorId: args.actorId, action: offered }), values: { personId: values.personId } });
    if (Object.keys(notOffered).length > 0) return { ok: false, fieldErrors: notOffered };
  }
  const result = await decide({
    ctx: args.ctx,
    itemType,
    itemId: args.itemId,
    action,
    actorId: args.actorId,
    rationale: values.rationale ?? null,
    personId: values.personId || null,
    date: values.releaseDate || null,
    unitId: values.providerUnitId || null,
    meeting: meeting?.ok ? meeting.meeting : null,
    platform: args.platform,
  });
  return { ok: true, reply: words('decision.done', { label, ref: refOf(module, args.itemId), crn: result.row.crn }) };
};
