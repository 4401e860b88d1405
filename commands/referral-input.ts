import { z } from 'zod';
import { crnSchema, nomsSchema } from '../src/domain/case-facts.js';
import type { UseCaseContext } from '../src/use-cases/context.js';
import type { FormField, FormValues } from '../src/use-cases/form.types.js';
import { REFERRAL_NEEDS, RELEASE_TYPES } from '../src/use-cases/workflows/referral.module.js';
import { words } from '../src/words/catalogue.js';
import { single } from './command.types.js';
import { latestReleaseDate } from './release-date.js';

/** The referral form's fields, read and checked the same way for a referral sent now and for one planned. */
export const NOTES_MAX = 3000;
export const PRISON_MAX = 100;

/** The referral form's input, validated the same way on Slack and Teams. `today` is the org's local date. */
export const referralInputSchema = (args: { ctx: UseCaseContext; today: string }) => {
  const providers = args.ctx.directory.referralProviders().map((unit) => unit.id);
  return z.object({
    crn: z.string({ message: 'Enter the CRN' }).pipe(crnSchema),
    noms: z.string().optional().pipe(nomsSchema.optional()),
    referralType: z.string({ message: 'Choose the referral type' }).refine((value) => args.ctx.directory.org.referralTypes.includes(value), 'Choose a referral type from the list'),
    providerUnitId: z.string({ message: 'Choose the provider' }).refine((value) => providers.includes(value), 'Choose a provider from the list'),
    prison: z.string({ message: 'Enter the prison' }).trim().min(2, 'Enter the prison').max(PRISON_MAX, `Keep the prison under ${PRISON_MAX} characters`),
    releaseDate: z.iso
      .date({ message: 'Choose the expected release date' })
      .refine((value) => value > args.today, 'The expected release date must be in the future')
      .refine((value) => value <= latestReleaseDate(args.today), words('release.too_far')),
    releaseType: z.enum(Object.keys(RELEASE_TYPES) as [string, ...string[]], { message: 'Choose the type of release date' }),
    needs: z.array(z.enum(Object.keys(REFERRAL_NEEDS) as [string, ...string[]], { message: 'Choose needs from the list' })).default([]),
    notes: z.string().trim().max(NOTES_MAX, `Keep the notes under ${NOTES_MAX} characters`).default(''),
  });
};

export const referralValues = (values: FormValues) => {
  const needs = values.needs;
  return {
    crn: single(values.crn),
    noms: single(values.noms),
    referralType: single(values.referralType),
    providerUnitId: single(values.providerUnitId),
    prison: single(values.prison),
    releaseDate: single(values.releaseDate),
    releaseType: single(values.releaseType),
    needs: Array.isArray(needs) ? needs.filter(Boolean) : needs ? [needs] : [],
    notes: (Array.isArray(values.notes) ? values.notes[0] : values.notes) ?? undefined,
  };
};

/** The referral form's fields in order (the CRN given if known); the plan form leaves out needs and notes. */
export const referralFields = (args: { ctx: UseCaseContext; crn?: string }): FormField[] => {
  const { ctx } = args;
  const providers = ctx.directory.referralProviders();
  return [
    { kind: 'text', name: 'crn', label: 'CRN', initial: args.crn, maxLength: 7, placeholder: 'X123456' },
    { kind: 'text', name: 'noms', label: 'Prison number (NOMS)', optional: true, maxLength: 7, placeholder: 'A1234BC' },
    { kind: 'select', name: 'referralType', label: 'Referral type', options: ctx.directory.org.referralTypes.map((type) => ({ value: type, label: type })) },
    {
      kind: 'select',
      name: 'providerUnitId',
      label: 'Provider',
      options: providers.map((unit) => ({ value: unit.id, label: unit.name })),
      initial: providers.length === 1 ? providers[0]?.id : undefined,
    },
    { kind: 'text', name: 'prison', label: 'Prison', maxLength: PRISON_MAX, placeholder: 'HMP Leeds' },
    { kind: 'date', name: 'releaseDate', label: 'Expected release date' },
    { kind: 'select', name: 'releaseType', label: 'Type of release date', options: Object.entries(RELEASE_TYPES).map(([value, label]) => ({ value, label })) },
    { kind: 'checkboxes', name: 'needs', label: 'Needs', optional: true, options: Object.entries(REFERRAL_NEEDS).map(([value, label]) => ({ value, label })) },
    { kind: 'text', name: 'notes', label: 'Notes', optional: true, multiline: true, maxLength: NOTES_MAX, placeholder: 'Anything the provider should know' },
  ];
};

export { calendarDayText as formatDay } from '../src/use-cases/calendar-day.js';
