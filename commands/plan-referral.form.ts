import { DomainError } from '../src/domain/errors.js';
import { referralLateness } from '../src/domain/workflows/referral.workflow.js';
import { localDate } from '../src/domain/time/working-time.js';
import { itemRef } from '../src/use-cases/chat-message.js';
import type { Platform, UseCaseContext } from '../src/use-cases/context.js';
import type { FormDefinition, FormValues } from '../src/use-cases/form.types.js';
import { notOfferedErrors } from '../src/use-cases/form-options.js';
import { storePlannedReferrals } from '../src/use-cases/planned-referral-store.js';
import { words } from '../src/words/catalogue.js';
import { CRN_PATTERN } from '../src/domain/case-facts.js';
import { type SubmitResult, fieldErrorsFrom } from './command.types.js';
import { formatDay, referralFields, referralInputSchema, referralValues } from './referral-input.js';

/**
 * `/refer plan [CRN]`: record a release that will need a referral before the referral is ready (a planned
 * referral). It waits in `to_refer`; its refer-by deadline (weeksBeforeRelease before release) then chases the
 * officer, then their manager, until it is sent from the reminder or by a /refer for the same CRN. The same plan
 * the CSV import records, one at a time from chat.
 */
const PLAN_WORD = /^plan\b/i;
const PLANNED_FIELDS = new Set(['crn', 'noms', 'referralType', 'providerUnitId', 'prison', 'releaseDate', 'releaseType']);

export const isPlanText = (text: string) => PLAN_WORD.test(text.trim());

export const planReferralForm = async (args: { ctx: UseCaseContext; actorId: string; text: string }): Promise<FormDefinition> => {
  const { ctx } = args;
  const sender = ctx.directory.homeUnit(args.actorId);
  if (!sender) throw new DomainError({ code: 'person.not_in_unit' });
  if (ctx.directory.referralProviders().length === 0) throw new DomainError({ code: 'unit.unknown', details: { reason: 'no unit receives referrals' } });
  const candidate = args.text.trim().replace(PLAN_WORD, '').trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  const weeks = ctx.directory.org.deadlines.referral.weeksBeforeRelease;
  return {
    formId: 'refer',
    title: words('planned.plan_title'),
    submitLabel: words('planned.plan_submit'),
    intro: words('planned.plan_intro', { unit: sender.name, weeks }),
    context: { plan: '1' },
    fields: referralFields({ ctx, crn: CRN_PATTERN.test(candidate) ? candidate : undefined }).filter((field) => PLANNED_FIELDS.has(field.name)),
  };
};

export const submitPlannedReferral = async (args: { ctx: UseCaseContext; actorId: string; values: FormValues; platform: Platform }): Promise<SubmitResult> => {
  const { ctx, actorId } = args;
  const { directory } = ctx;
  const now = ctx.clock.now();
  const today = localDate({ calendar: directory.calendar, at: now });
  const schema = referralInputSchema({ ctx, today }).pick({ crn: true, noms: true, referralType: true, providerUnitId: true, prison: true, releaseDate: true, releaseType: true });
  const parsed = schema.safeParse(referralValues(args.values));
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFrom(parsed.error.issues) };
  const input = parsed.data;
  const form = await planReferralForm({ ctx, actorId, text: '' });
  const notOffered = notOfferedErrors({ form, values: args.values });
  if (Object.keys(notOffered).length > 0) return { ok: false, fieldErrors: notOffered };
  const weeks = directory.org.deadlines.referral.weeksBeforeRelease;
  const { referBy } = referralLateness({ releaseDate: input.releaseDate, weeksBeforeRelease: weeks, today });
  // A release already inside the window is not a plan: its referral is due now.
  if (referBy <= today) return { ok: false, fieldErrors: { releaseDate: words('planned.plan_due_now', { weeks }) } };
  const same = (await ctx.store.repos.plannedReferrals.liveForCrns([input.crn])).find((entry) => entry.releaseDate === input.releaseDate);
  if (same) return { ok: false, fieldErrors: { crn: words('planned.plan_exists', { crn: input.crn, release: formatDay(input.releaseDate), ref: itemRef('referral', same.id) }) } };
  const sender = directory.homeUnit(actorId);
  if (!sender) throw new DomainError({ code: 'person.not_in_unit' });
  const [row] = await ctx.store.transaction((repos) =>
    storePlannedReferrals({
      repos,
      directory,
      now,
      today,
      senderUnitId: sender.id,
      providerUnitId: input.providerUnitId,
      releases: [
        { crn: input.crn, noms: input.noms ?? null, prison: input.prison, releaseDate: input.releaseDate, releaseType: input.releaseType, referralType: input.referralType, officer: actorId },
      ],
      actorId,
      platform: args.platform,
    }),
  );
  ctx.onCommitted?.({ outbox: false, deadlines: true });
  if (!row) throw new Error('planned referral not stored');
  return {
    ok: true,
    reply: words('planned.plan_recorded', {
      ref: itemRef('referral', row.id),
      crn: row.crn,
      release: formatDay(row.releaseDate),
      referBy: formatDay(row.referBy),
      provider: directory.unit(row.providerUnitId)?.name ?? row.providerUnitId,
    }),
  };
};
