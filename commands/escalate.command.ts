import { z } from 'zod';
import { CRN_PATTERN, ROSH_LABELS, ROSH_LEVELS, crnSchema, nomsSchema, roshSchema } from '../src/domain/case-facts.js';
import { DomainError } from '../src/domain/errors.js';
import { localDateTime } from '../src/domain/time/time-format.js';
import { ESCALATION_REASONS } from '../src/use-cases/workflows/escalation.module.js';
import { raiseEscalation } from '../src/use-cases/escalations.use-case.js';
import type { FormDefinition, FormValues } from '../src/use-cases/form.types.js';
import { notOfferedErrors } from '../src/use-cases/form-options.js';
import { type FormCommand, fieldErrorsFrom, single } from './command.types.js';
import { chasePlanFor } from '../src/use-cases/chase-plan.js';
import { oasysRefField, oasysRefSchema } from './oasys-ref.js';

export const SUMMARY_MAX = 3000;

/** The escalation form's input, validated the same way on Slack and Teams. */
export const escalationInputSchema = z.object({
  crn: z.string({ message: 'Enter the CRN' }).pipe(crnSchema),
  noms: z.string().optional().pipe(nomsSchema.optional()),
  roshCurrent: z.string({ message: 'Choose the current RoSH level' }).pipe(roshSchema),
  roshNew: z.string({ message: 'Choose the new RoSH level' }).pipe(roshSchema),
  mappaCategory: z.coerce.number().int().min(1, 'MAPPA category is 1 to 4').max(4, 'MAPPA category is 1 to 4').optional(),
  mappaLevel: z.coerce.number().int().min(0, 'MAPPA level is 0 to 3').max(3, 'MAPPA level is 0 to 3').optional(),
  reason: z.enum(Object.keys(ESCALATION_REASONS) as [string, ...string[]], { message: 'Choose a reason' }),
  urgency: z.enum(['standard', 'urgent'], { message: 'Choose standard or urgent' }),
  receivingUnitId: z.string({ message: 'Choose the receiving unit' }).min(1, 'Choose the receiving unit'),
  summary: z.string({ message: 'Write a short summary' }).trim().min(10, 'Write a short summary (at least 10 characters)').max(SUMMARY_MAX, `Keep the summary under ${SUMMARY_MAX} characters`),
  oasysReviewed: z.literal(true, { message: 'Tick this once the OASys review is done' }),
  oasysRef: oasysRefSchema.optional(),
});

export const escalationValues = (values: FormValues) => {
  const category = single(values.mappaCategory);
  const level = single(values.mappaLevel);
  const oasys = values.oasysReviewed;
  return {
    crn: single(values.crn),
    noms: single(values.noms),
    roshCurrent: single(values.roshCurrent),
    roshNew: single(values.roshNew),
    mappaCategory: category && category !== '0' ? category : undefined,
    mappaLevel: level ?? undefined,
    reason: single(values.reason),
    urgency: single(values.urgency),
    receivingUnitId: single(values.receivingUnitId),
    summary: Array.isArray(values.summary) ? values.summary[0] : values.summary,
    oasysReviewed: (Array.isArray(oasys) ? oasys.includes('done') : oasys === 'done' || oasys === 'true') || undefined,
    oasysRef: single(values.oasysRef),
  };
};

const roshOptions = ROSH_LEVELS.map((level) => ({ value: level, label: ROSH_LABELS[level] }));

export const escalateCommand: FormCommand = {
  name: 'escalate',
  description: 'Raise a risk escalation for a case',
  usageHint: '[CRN]',
  async form({ ctx, actorId, text }): Promise<FormDefinition> {
    const sender = ctx.directory.homeUnit(actorId);
    if (!sender) throw new DomainError({ code: 'person.not_in_unit' });
    const candidate = text.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
    const receivers = ctx.directory.escalationReceivers().filter((unit) => unit.id !== sender.id);
    return {
      formId: 'escalate',
      title: 'Risk escalation',
      submitLabel: 'Send for countersign',
      intro: `From ${sender.name}. Your manager countersigns before it goes to the receiving unit's duty officer.`,
      context: {},
      fields: [
        { kind: 'text', name: 'crn', label: 'CRN', initial: CRN_PATTERN.test(candidate) ? candidate : undefined, maxLength: 7, placeholder: 'X123456' },
        { kind: 'text', name: 'noms', label: 'Prison number (NOMS)', optional: true, maxLength: 7, placeholder: 'A1234BC' },
        { kind: 'select', name: 'roshCurrent', label: 'Current RoSH level', options: roshOptions },
        { kind: 'select', name: 'roshNew', label: 'New RoSH level', options: roshOptions, hint: 'Very high runs as urgent.' },
        {
          kind: 'select',
          name: 'mappaCategory',
          label: 'MAPPA category',
          optional: true,
          options: [{ value: '0', label: 'Not relevant' }, ...[1, 2, 3, 4].map((n) => ({ value: String(n), label: `Category ${n}` }))],
        },
        {
          kind: 'select',
          name: 'mappaLevel',
          label: 'MAPPA level',
          optional: true,
          options: [0, 1, 2, 3].map((n) => ({ value: String(n), label: n === 0 ? 'Not relevant' : `Level ${n}` })),
          hint: 'Level 2 or 3 runs as urgent.',
        },
        { kind: 'select', name: 'reason', label: 'Reason', options: Object.entries(ESCALATION_REASONS).map(([value, label]) => ({ value, label })) },
        {
          kind: 'select',
          name: 'urgency',
          label: 'Urgency',
          initial: 'standard',
          options: [
            { value: 'standard', label: 'Standard (working days)' },
            { value: 'urgent', label: 'Urgent (hours) — imminent risk' },
          ],
        },
        { kind: 'select', name: 'receivingUnitId', label: 'Receiving unit', options: receivers.map((unit) => ({ value: unit.id, label: unit.name })), initial: sender.escalatesTo },
        { kind: 'text', name: 'summary', label: 'Summary', multiline: true, maxLength: SUMMARY_MAX, placeholder: 'What changed and why the risk has gone up' },
        { kind: 'checkboxes', name: 'oasysReviewed', label: 'OASys', options: [{ value: 'done', label: 'The OASys review is done' }] },
        oasysRefField(),
      ],
    };
  },
  async submit({ ctx, actorId, values, platform }) {
    const parsed = escalationInputSchema.safeParse(escalationValues(values));
    if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFrom(parsed.error.issues) };
    const input = parsed.data;
    if (!ctx.directory.unit(input.receivingUnitId)) return { ok: false, fieldErrors: { receivingUnitId: 'Choose a receiving unit from the list' } };
    // Only what this person's form offered (e.g. never their own unit as receiver).
    const notOffered = notOfferedErrors({ form: await escalateCommand.form({ ctx, actorId, text: '' }), values });
    if (Object.keys(notOffered).length > 0) return { ok: false, fieldErrors: notOffered };
    const raised = await raiseEscalation({ ctx, actorId, input: { ...input, noms: input.noms ?? undefined, oasysRef: input.oasysRef ?? null }, platform });
    const due = localDateTime({ timeZone: ctx.directory.org.timezone, at: raised.countersignDueAt });
    const countersigner = ctx.directory.person(raised.row.countersignerId)?.name ?? raised.row.countersignerId;
    const urgent = raised.row.urgency === 'urgent' ? ' (urgent)' : '';
    // Who is really asked (a delegate while the countersigner is away) and who comes next: the chase plan.
    const plan = await chasePlanFor({ ctx, itemType: 'escalation', itemId: raised.row.id, kind: 'countersign' });
    const asked = plan.steps[0]?.people.map((id: string) => ctx.directory.nameOf(id)).join(' and ') ?? countersigner;
    const behalf = asked === countersigner ? '' : ` for ${countersigner}, who is away,`;
    return { ok: true, reply: `${raised.ref} raised for ${raised.row.crn}${urgent}. ${asked} has been asked to countersign${behalf} by ${due}.${plan.text ? ` Chase plan: ${plan.text}.` : ''}` };
  },
};
