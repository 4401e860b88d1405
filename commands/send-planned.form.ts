import { DomainError } from '../src/domain/errors.js';
import { localDate } from '../src/domain/time/working-time.js';
import { refOf } from '../src/presenters/item-message.presenter.js';
import { decide } from '../src/use-cases/decide.use-case.js';
import type { FormField } from '../src/use-cases/form.types.js';
import { notOfferedErrors } from '../src/use-cases/form-options.js';
import { referralModule } from '../src/use-cases/workflows/referral.module.js';
import { words } from '../src/words/catalogue.js';
import type { ActionForm } from './action-forms.js';
import { fieldErrorsFrom, single } from './command.types.js';
import { referCommand, referralInputSchema, referralValues } from './refer.command.js';

const loadReferral = async (ctx: Parameters<ActionForm['form']>[0]['ctx'], itemId: number) => {
  const row = await ctx.store.repos.items.referral(itemId);
  if (!row) throw new DomainError({ code: 'item.not_found' });
  return row;
};

/** A planned referral sent: the referral form filled in with what was planned (the CRN stays), sent as it is then. */
export const sendPlannedReferral: ActionForm = {
  async form({ ctx, actorId, itemId }) {
    const row = await loadReferral(ctx, itemId);
    const base = await referCommand.form({ ctx, actorId, text: row.crn });
    const initial: Record<string, string | string[] | undefined> = {
      noms: row.noms ?? undefined,
      referralType: row.referralType,
      providerUnitId: row.providerUnitId,
      prison: row.prison,
      releaseDate: row.releaseDate,
      releaseType: row.releaseType,
      needs: row.needs,
      notes: row.notes || undefined,
    };
    const fields = base.fields.filter((field) => field.name !== 'crn').map((field) => ({ ...field, initial: initial[field.name] }) as FormField);
    return {
      formId: 'decision',
      title: words('planned.form_title'),
      submitLabel: words('planned.form_submit'),
      intro: words('planned.form_intro', { ref: refOf(referralModule, row.id), crn: row.crn, referBy: row.referBy }),
      fields,
      context: { itemType: 'referral', itemId: String(row.id), actionId: 'referral.send_planned' },
    };
  },
  async submit({ ctx, actorId, itemId, values, platform }) {
    const row = await loadReferral(ctx, itemId);
    const today = localDate({ calendar: ctx.directory.calendar, at: ctx.clock.now() });
    const parsed = referralInputSchema({ ctx, today }).safeParse({ ...referralValues(values), crn: row.crn });
    if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFrom(parsed.error.issues) };
    const notOffered = notOfferedErrors({ form: await sendPlannedReferral.form({ ctx, actorId, itemId }), values });
    if (Object.keys(notOffered).length > 0) return { ok: false, fieldErrors: notOffered };
    const input = parsed.data;
    const edits = {
      noms: input.noms ?? null,
      referralType: input.referralType,
      providerUnitId: input.providerUnitId,
      prison: input.prison,
      releaseDate: input.releaseDate,
      releaseType: input.releaseType,
      needs: input.needs,
      notes: input.notes,
    };
    const result = await decide({ ctx, itemType: 'referral', itemId, action: 'send_planned', actorId, rationale: single(values.rationale) ?? null, edits, platform });
    const provider = ctx.directory.unit(input.providerUnitId)?.name ?? input.providerUnitId;
    return { ok: true, reply: words('planned.sent', { ref: refOf(referralModule, itemId), crn: result.row.crn, provider }) };
  },
};
