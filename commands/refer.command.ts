import { CRN_PATTERN } from '../src/domain/case-facts.js';
import { DomainError } from '../src/domain/errors.js';
import { localDateTime } from '../src/domain/time/time-format.js';
import { localDate } from '../src/domain/time/working-time.js';
import type { FormDefinition } from '../src/use-cases/form.types.js';
import { notOfferedErrors } from '../src/use-cases/form-options.js';
import { latenessText } from '../src/use-cases/workflows/referral.module.js';
import { raiseReferral } from '../src/use-cases/referrals.use-case.js';
import { type FormCommand, fieldErrorsFrom } from './command.types.js';
import { isPlanText, planReferralForm, submitPlannedReferral } from './plan-referral.form.js';
import { formatDay, referralFields, referralInputSchema, referralValues } from './referral-input.js';

export { NOTES_MAX, PRISON_MAX, referralInputSchema, referralValues } from './referral-input.js';

export const referCommand: FormCommand = {
  name: 'refer',
  description: 'Refer a case to a provider (resettlement, accommodation, …)',
  usageHint: '[CRN] | plan [CRN]',
  async form({ ctx, actorId, text }): Promise<FormDefinition> {
    if (isPlanText(text)) return planReferralForm({ ctx, actorId, text });
    const sender = ctx.directory.homeUnit(actorId);
    if (!sender) throw new DomainError({ code: 'person.not_in_unit' });
    const providers = ctx.directory.referralProviders();
    if (providers.length === 0) throw new DomainError({ code: 'unit.unknown', details: { reason: 'no unit receives referrals' } });
    const candidate = text.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
    const weeks = ctx.directory.org.deadlines.referral.weeksBeforeRelease;
    return {
      formId: 'refer',
      title: 'Referral',
      submitLabel: 'Send referral',
      intro: `From ${sender.name}. Referrals are due ${weeks} weeks before release; the provider is asked to acknowledge and assess at once.`,
      context: {},
      fields: referralFields({ ctx, crn: CRN_PATTERN.test(candidate) ? candidate : undefined }),
    };
  },
  async submit({ ctx, actorId, values, context, platform }) {
    if (context.plan === '1') return submitPlannedReferral({ ctx, actorId, values, platform });
    const today = localDate({ calendar: ctx.directory.calendar, at: ctx.clock.now() });
    const parsed = referralInputSchema({ ctx, today }).safeParse(referralValues(values));
    if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFrom(parsed.error.issues) };
    const input = parsed.data;
    const notOffered = notOfferedErrors({ form: await referCommand.form({ ctx, actorId, text: '' }), values });
    if (Object.keys(notOffered).length > 0) return { ok: false, fieldErrors: notOffered };
    const raised = await raiseReferral({ ctx, actorId, input: { ...input, noms: input.noms ?? undefined }, platform });
    const zone = ctx.directory.org.timezone;
    const provider = ctx.directory.unit(raised.row.providerUnitId)?.name ?? raised.row.providerUnitId;
    const assess = localDateTime({ timeZone: zone, at: raised.assessmentDueAt });
    const weeks = ctx.directory.org.deadlines.referral.weeksBeforeRelease;
    const late = latenessText(raised.lateness.lateWeeks);
    const lateLine = late ? ` This referral is ${late}: it was due by ${formatDay(raised.lateness.referBy)} (${weeks} weeks before release on ${formatDay(raised.row.releaseDate)}).` : '';
    return {
      ok: true,
      reply:
        `${raised.ref} sent to ${provider} for ${raised.row.crn}.${lateLine} ` +
        `The provider is asked to assess by ${assess}; delivery is due before release on ${formatDay(raised.row.releaseDate)}.`,
    };
  },
};
