import { z } from 'zod';
import { DomainError } from '../src/domain/errors.js';
import { ESCALATION_RULES } from '../src/domain/escalation.machine.js';
import { REFERRAL_RULES } from '../src/domain/referral.machine.js';
import { type ChatAction, itemRef } from '../src/use-cases/chat-message.js';
import type { Platform, UseCaseContext } from '../src/use-cases/context.js';
import { decideEscalation, isEscalationAction } from '../src/use-cases/escalations.use-case.js';
import type { FormDefinition, FormField, FormValues } from '../src/use-cases/form.types.js';
import { decideReferral, isReferralAction } from '../src/use-cases/referrals.use-case.js';
import { type SubmitResult, fieldErrorsFrom, single } from './command.types.js';
import { notOfferedErrors } from '../src/use-cases/form-options.js';

export const RATIONALE_MAX = 3000;

/** What a decision needs besides the click: depends on the action's rule. */
const decisionNeeds = (itemType: string, action: string) => {
  if (itemType === 'escalation' && isEscalationAction(action)) {
    const rule = ESCALATION_RULES[action];
    return { label: rule.label, rationale: rule.rationale, person: action === 'reallocate' ? 'required' : action === 'accept' ? 'optional' : 'none', date: false };
  }
  if (itemType === 'referral' && isReferralAction(action)) {
    const rule = REFERRAL_RULES[action];
    return { label: rule.label, rationale: rule.rationale, person: action === 'assign' ? 'required' : 'none', date: action === 'change_release_date' };
  }
  throw new DomainError({ code: 'action.unknown', details: { action } });
};

const splitActionId = (actionId: string) => {
  const [itemType, action] = actionId.split('.') as [string, string];
  return { itemType, action };
};

/** The small form a decision button opens (rationale; case manager or worker; new release date). */
export const decisionForm = async (args: { ctx: UseCaseContext; actorId: string; action: ChatAction }): Promise<FormDefinition> => {
  const { ctx, action } = args;
  const { itemType, action: name } = splitActionId(action.id);
  const needs = decisionNeeds(itemType, name);
  const ref = itemRef(action.itemType, action.itemId);
  const fields: FormField[] = [];
  if (needs.person !== 'none') {
    const unitId =
      itemType === 'escalation'
        ? (await ctx.store.repos.items.escalation(action.itemId))?.receivingUnitId
        : (await ctx.store.repos.items.referral(action.itemId))?.providerUnitId;
    const unit = unitId ? ctx.directory.unit(unitId) : undefined;
    if (!unit) throw new DomainError({ code: 'item.not_found' });
    const ids = [...new Set([...unit.members, unit.manager, ...unit.duty])];
    fields.push({
      kind: 'select',
      name: 'personId',
      label: itemType === 'escalation' ? 'New case manager' : 'Worker',
      optional: needs.person === 'optional',
      hint: needs.person === 'optional' ? 'Leave empty to name them later (the reallocation deadline starts).' : undefined,
      options: ids.map((id) => ({ value: id, label: ctx.directory.person(id)?.name ?? id })),
    });
  }
  if (needs.date) fields.push({ kind: 'date', name: 'releaseDate', label: 'New release date' });
  if (needs.rationale !== 'none') {
    fields.push({
      kind: 'text',
      name: 'rationale',
      label: needs.rationale === 'required' ? 'Rationale' : 'Note (optional)',
      optional: needs.rationale !== 'required',
      multiline: true,
      maxLength: RATIONALE_MAX,
      placeholder: 'Recorded on the case with your name and the time',
    });
  }
  return {
    formId: 'decision',
    title: needs.label.length <= 24 ? needs.label : needs.label.slice(0, 24),
    submitLabel: needs.label.length <= 24 ? needs.label : 'Confirm',
    intro: `${needs.label}: ${ref}`,
    fields,
    context: { itemType: action.itemType, itemId: String(action.itemId), actionId: action.id },
  };
};

const decisionSchema = (needs: ReturnType<typeof decisionNeeds>) =>
  z.object({
    rationale:
      needs.rationale === 'required'
        ? z.string({ message: 'Give your rationale' }).trim().min(3, 'Give your rationale').max(RATIONALE_MAX, `Keep it under ${RATIONALE_MAX} characters`)
        : z.string().trim().max(RATIONALE_MAX, `Keep it under ${RATIONALE_MAX} characters`).optional(),
    personId: needs.person === 'required' ? z.string({ message: 'Choose a person' }).min(1, 'Choose a person') : z.string().optional(),
    releaseDate: needs.date ? z.iso.date({ message: 'Choose a date' }) : z.string().optional(),
  });

/** Take the decision (from a form submission or a one-click button). Refusals throw DomainError. */
export const runDecision = async (args: {
  ctx: UseCaseContext;
  actorId: string;
  actionId: string;
  itemId: number;
  values: FormValues;
  platform: Platform;
}): Promise<SubmitResult> => {
  const { itemType, action } = splitActionId(args.actionId);
  const needs = decisionNeeds(itemType, action);
  const parsed = decisionSchema(needs).safeParse({
    rationale: Array.isArray(args.values.rationale) ? args.values.rationale[0] : args.values.rationale,
    personId: single(args.values.personId),
    releaseDate: single(args.values.releaseDate),
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFrom(parsed.error.issues) };
  const input = parsed.data;
  if (input.personId) {
    // The person must be one the form offered (the unit's own staff), whatever the submitted data says.
    const action: ChatAction = { id: args.actionId, label: '', needsForm: true, itemType: itemType === 'escalation' ? 'escalation' : 'referral', itemId: args.itemId };
    const notOffered = notOfferedErrors({ form: await decisionForm({ ctx: args.ctx, actorId: args.actorId, action }), values: { personId: input.personId } });
    if (Object.keys(notOffered).length > 0) return { ok: false, fieldErrors: notOffered };
  }
  const ref = itemRef(itemType === 'escalation' ? 'escalation' : 'referral', args.itemId);
  if (itemType === 'escalation' && isEscalationAction(action)) {
    const result = await decideEscalation({
      ctx: args.ctx, actorId: args.actorId, escalationId: args.itemId, action,
      rationale: input.rationale ?? null, caseManagerId: input.personId || null, platform: args.platform,
    });
    return { ok: true, reply: `${needs.label}: done for ${ref} (${result.row.crn}). Recorded with your name and the time.` };
  }
  if (itemType === 'referral' && isReferralAction(action)) {
    const result = await decideReferral({
      ctx: args.ctx, actorId: args.actorId, referralId: args.itemId, action,
      rationale: input.rationale ?? null, workerId: input.personId || null, releaseDate: input.releaseDate || null, platform: args.platform,
    });
    return { ok: true, reply: `${needs.label}: done for ${ref} (${result.row.crn}). Recorded with your name and the time.` };
  }
  throw new DomainError({ code: 'action.unknown' });
};
