import type { EscalationRow } from '../src/db/items.repository.js';
import { DomainError, isDomainError } from '../src/domain/errors.js';
import { refOf } from '../src/presenters/item-message.presenter.js';
import type { Platform, UseCaseContext } from '../src/use-cases/context.js';
import { decide } from '../src/use-cases/decide.use-case.js';
import type { FormDefinition, FormField, FormValues } from '../src/use-cases/form.types.js';
import { notOfferedErrors } from '../src/use-cases/form-options.js';
import { escalationModule } from '../src/use-cases/workflows/escalation.module.js';
import { words } from '../src/words/catalogue.js';
import { type SubmitResult, fieldErrorsFrom, single } from './command.types.js';
import { RATIONALE_MAX } from './decide.command.js';
import { escalateCommand, escalationInputSchema, escalationValues } from './escalate.command.js';
import { sendPlannedReferral } from './send-planned.form.js';

/**
 * Actions that open the item's own form (`input.form` in the definition) instead of the small decision form:
 * the form filled in with what was sent, and its submission turned into the decision with the edits.
 */
export interface ActionForm {
  form(args: { ctx: UseCaseContext; actorId: string; itemId: number }): Promise<FormDefinition>;
  submit(args: { ctx: UseCaseContext; actorId: string; itemId: number; values: FormValues; platform: Platform }): Promise<SubmitResult>;
}

/** What the stored escalation holds, as the escalation form's raw values. */
const initialOf = (row: EscalationRow): Record<string, string | undefined> => ({
  noms: row.noms ?? undefined,
  roshCurrent: row.roshCurrent,
  roshNew: row.roshNew,
  mappaCategory: row.mappaCategory === null ? undefined : String(row.mappaCategory),
  mappaLevel: row.mappaLevel === null ? undefined : String(row.mappaLevel),
  reason: row.reason,
  urgency: row.urgency,
  receivingUnitId: row.receivingUnitId,
  summary: row.summary,
  oasysRef: row.oasysRef ?? undefined,
});

const loadEscalation = async (ctx: UseCaseContext, itemId: number) => {
  const row = await ctx.store.repos.items.escalation(itemId);
  if (!row) throw new DomainError({ code: 'item.not_found' });
  return row;
};

const editEscalation: ActionForm = {
  async form({ ctx, actorId, itemId }) {
    const row = await loadEscalation(ctx, itemId);
    const base = await escalateCommand.form({ ctx, actorId, text: row.crn });
    const initial = initialOf(row);
    // The CRN names the case and the OASys review is already done: neither is asked again.
    const fields: FormField[] = base.fields
      .filter((field) => field.name !== 'crn' && field.name !== 'oasysReviewed')
      .map((field) => (field.kind === 'checkboxes' ? field : { ...field, initial: initial[field.name] }) as FormField);
    fields.push({ kind: 'text', name: 'rationale', label: words('edit.note'), optional: true, multiline: true, maxLength: RATIONALE_MAX });
    return {
      formId: 'decision',
      title: words('edit.title'),
      submitLabel: words('edit.submit'),
      intro: words('edit.intro', { ref: refOf(escalationModule, row.id), crn: row.crn }),
      fields,
      context: { itemType: 'escalation', itemId: String(row.id), actionId: 'escalation.edit_resubmit' },
    };
  },
  async submit({ ctx, actorId, itemId, values, platform }) {
    const row = await loadEscalation(ctx, itemId);
    const parsed = escalationInputSchema.safeParse({ ...escalationValues(values), crn: row.crn, oasysReviewed: true });
    if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFrom(parsed.error.issues) };
    const notOffered = notOfferedErrors({ form: await editEscalation.form({ ctx, actorId, itemId }), values });
    if (Object.keys(notOffered).length > 0) return { ok: false, fieldErrors: notOffered };
    const input = parsed.data;
    const edits = {
      noms: input.noms ?? null,
      roshCurrent: input.roshCurrent,
      roshNew: input.roshNew,
      mappaCategory: input.mappaCategory ?? null,
      mappaLevel: input.mappaLevel ?? null,
      reason: input.reason,
      urgency: input.urgency,
      receivingUnitId: input.receivingUnitId,
      summary: input.summary,
      oasysRef: input.oasysRef ?? null,
    };
    const note = single(values.rationale) ?? null;
    if (note && note.length > RATIONALE_MAX) return { ok: false, fieldErrors: { rationale: words('decision.too_long', { max: RATIONALE_MAX }) } };
    try {
      const result = await decide({ ctx, itemType: 'escalation', itemId, action: 'edit_resubmit', actorId, rationale: note, edits, platform });
      return {
        ok: true,
        reply: words('edit.done', {
          ref: refOf(escalationModule, itemId),
          crn: row.crn,
          count: result.decision.changes?.length ?? 0,
          countersigner: ctx.directory.nameOf(row.countersignerId),
        }),
      };
    } catch (error) {
      // Nothing changed: the form stays open with what was typed, and says so.
      if (isDomainError(error) && error.code === 'edit.no_change') return { ok: false, fieldErrors: { form: words('refusal.edit.no_change') } };
      throw error;
    }
  },
};

/** By action id (`<itemType>.<action>`). */
export const ACTION_FORMS: Record<string, ActionForm> = {
  'escalation.edit_resubmit': editEscalation,
  'referral.send_planned': sendPlannedReferral,
};
