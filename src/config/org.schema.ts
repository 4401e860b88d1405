import { z } from 'zod';
import { type DeadlineSpec, parseDeadlineSpec } from '../domain/time/deadline-spec.js';

/** The org file (README.md "The org file"; org.example.yaml is a complete one): people, units, rota, deadlines, reminders. */
const id = z.string({ message: 'expected an id (letters, digits, - or _)' }).regex(/^[A-Za-z0-9_-]{1,64}$/, {
  message: 'expected an id of letters, digits, - or _',
});

/** The keys of a unit's weekly `rota`, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const deadlineSpecSchema = z.string({ message: 'expected a duration such as PT2H or "1 working day"' }).transform((text, ctx): DeadlineSpec => {
  const parsed = parseDeadlineSpec(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.spec;
});

const pair = (standard: string, urgent: string) =>
  z
    .object({ standard: deadlineSpecSchema.prefault(standard), urgent: deadlineSpecSchema.prefault(urgent) })
    .strict()
    .prefault({});

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time HH:MM, e.g. "09:00"' });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date YYYY-MM-DD' });

const timeZone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as Europe/London' },
);

export const personSchema = z
  .object({
    id,
    name: z.string({ message: 'expected a name' }).min(1),
    slack: z
      .string()
      .regex(/^[UW][A-Z0-9]{2,}$/, { message: 'expected a Slack user id such as U0AMARA' })
      .optional(),
    teams: z.string().min(1, { message: 'expected the Entra (AAD) object id' }).optional(),
    email: z.string().email({ message: 'expected an e-mail address' }).optional(),
  })
  .strict();

export const unitSchema = z
  .object({
    id,
    name: z.string({ message: 'expected a name' }).min(1),
    manager: id.describe('person'),
    seniorManager: id.optional(),
    /** Acts for the manager while the manager is away (/away); one of the unit's members. */
    deputy: id.optional(),
    members: z.array(id).default([]),
    duty: z.array(id).default([]),
    /** The weekly duty pattern; a day it leaves out falls back to `duty`. */
    rota: z
      .object(Object.fromEntries(WEEKDAYS.map((day) => [day, z.array(id).optional()])) as Record<(typeof WEEKDAYS)[number], z.ZodOptional<z.ZodArray<typeof id>>>)
      .strict()
      .optional(),
    escalatesTo: id.optional(),
    receives: z.array(z.enum(['escalations', 'referrals'])).default([]),
    /** The referral types a provider takes (default: every type in `referralTypes`). */
    referralTypes: z.array(z.string().min(1)).optional(),
    channel: z
      .object({
        slack: z
          .string()
          .regex(/^[CG][A-Z0-9]{2,}$/, { message: 'expected a Slack channel id such as C0NORTH3' })
          .optional(),
        teams: z
          .string()
          .regex(/^19:[^\s@]+@thread\.(tacv2|skype)$/, { message: 'expected a Teams channel id such as 19:abc123@thread.tacv2' })
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** An ISO 8601 period of years, months, weeks and days (P7Y, P6M, P90D): how long closed cases keep their narrative. */
export const retentionSchema = z.string({ message: 'expected an ISO 8601 period such as P7Y or P18M' }).transform((text, ctx) => {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(text.trim());
  if (!match || text.trim() === 'P') {
    ctx.addIssue({ code: 'custom', message: `"${text}": expected an ISO 8601 period such as P7Y, P18M or P90D` });
    return z.NEVER;
  }
  const [years, months, weeks, days] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number];
  if (years + months + weeks + days === 0) {
    ctx.addIssue({ code: 'custom', message: `"${text}": expected a period longer than zero` });
    return z.NEVER;
  }
  return { text: text.trim(), years, months, weeks, days };
});

/** `links.case`: the case record's address with `{crn}` where the CRN goes (https only). */
export const caseLinkSchema = z
  .string({ message: 'expected a URL template such as https://ndelius.example/case/{crn}' })
  .refine((value) => value.includes('{crn}'), { message: 'expected the URL template to contain {crn}' })
  .refine(
    (value) => {
      try {
        return new URL(value.replaceAll('{crn}', 'X123456')).protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'expected an https:// URL template' },
  );

export const DEFAULT_REFERRAL_TYPES = ['Resettlement', 'Accommodation', 'Personal wellbeing', "Women's services", 'Other'];

export const orgSchema = z
  .object({
    organisation: z.string({ message: 'expected the organisation name' }).min(1),
    timezone: timeZone.default('Europe/London'),
    calendar: z.enum(['england-and-wales', 'none'], { message: 'expected "england-and-wales" or "none"' }).default('england-and-wales'),
    extraHolidays: z.array(isoDate).default([]),
    workingHours: z
      .object({ start: timeOfDay.default('09:00'), end: timeOfDay.default('17:00') })
      .strict()
      .prefault({}),
    people: z.array(personSchema).min(1, { message: 'expected at least one person' }),
    units: z.array(unitSchema).min(1, { message: 'expected at least one unit' }),
    referralTypes: z.array(z.string().min(1)).min(1).max(20).default(DEFAULT_REFERRAL_TYPES),
    links: z.object({ case: caseLinkSchema.optional() }).strict().optional(),
    retention: retentionSchema.default({ text: 'P7Y', years: 7, months: 0, weeks: 0, days: 0 }),
    deadlines: z
      .object({
        countersign: pair('1 working day', 'PT2H'),
        acceptance: pair('1 working day', 'PT1H'),
        reallocation: pair('2 working days', 'PT4H'),
        handover: pair('5 working days', '1 working day'),
        takeBack: pair('2 working days', '1 working day'),
        referral: z
          .object({
            weeksBeforeRelease: z.number({ message: 'expected a whole number of weeks' }).int().min(0).max(104).default(15),
            providerAssessment: deadlineSpecSchema.prefault('10 working days'),
            actionPlan: deadlineSpecSchema.prefault('5 working days'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    reminders: z
      .object({
        repeatEvery: deadlineSpecSchema.prefault('PT2H'),
        managerAfter: deadlineSpecSchema.prefault('1 working day'),
        seniorManagerAfter: deadlineSpecSchema.prefault('2 working days'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((org, ctx) => {
    for (const issue of crossReferenceIssues(org)) ctx.addIssue({ code: 'custom', ...issue });
  });

/** A rota entry must name a person of the file who belongs to the unit (manager, member or default duty). */
const rotaIssues = (args: { unit: unknown; index: number; personIds: ReadonlySet<string> }): Issue[] => {
  const rota = field(args.unit, 'rota');
  if (!rota || typeof rota !== 'object') return [];
  const own = new Set([field(args.unit, 'manager'), ...list(field(args.unit, 'members')), ...list(field(args.unit, 'duty'))]);
  const issues: Issue[] = [];
  for (const day of WEEKDAYS) {
    list(field(rota, day)).forEach((entry, at) => {
      if (typeof entry !== 'string') return;
      const path = ['units', args.index, 'rota', day, at];
      if (!args.personIds.has(entry)) issues.push({ path, message: `unknown person "${entry}" (expected an id listed under people)` });
      else if (!own.has(entry)) issues.push({ path, message: `"${entry}" is not in this unit (expected its manager, a member or a duty officer)` });
    });
  }
  return issues;
};

type Issue = { path: (string | number)[]; message: string };
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const field = (value: unknown, key: string): unknown => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined);

/**
 * Checks across entries (duplicate ids, unknown people and units, working hours). Written over loosely typed
 * input so the loader can run it even when other parts of the file are malformed: every mistake at once.
 */
export const crossReferenceIssues = (raw: unknown): Issue[] => {
  const issues: Issue[] = [];
  const personIds = new Set<string>();
  list(field(raw, 'people')).forEach((entry, index) => {
    const id = field(entry, 'id');
    if (typeof id !== 'string') return;
    if (personIds.has(id)) issues.push({ path: ['people', index, 'id'], message: `duplicate person id "${id}"` });
    personIds.add(id);
  });
  const unitIds = new Set<string>();
  const units = list(field(raw, 'units'));
  units.forEach((unit, index) => {
    const id = field(unit, 'id');
    if (typeof id !== 'string') return;
    if (unitIds.has(id)) issues.push({ path: ['units', index, 'id'], message: `duplicate unit id "${id}"` });
    unitIds.add(id);
  });
  const knownPerson = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string' && !personIds.has(value)) issues.push({ path, message: `unknown person "${value}" (expected an id listed under people)` });
  };
  units.forEach((unit, index) => {
    knownPerson(field(unit, 'manager'), ['units', index, 'manager']);
    knownPerson(field(unit, 'seniorManager'), ['units', index, 'seniorManager']);
    list(field(unit, 'members')).forEach((member, at) => knownPerson(member, ['units', index, 'members', at]));
    list(field(unit, 'duty')).forEach((member, at) => knownPerson(member, ['units', index, 'duty', at]));
    issues.push(...rotaIssues({ unit, index, personIds }));
    deputyIssues({ unit, index, personIds }).forEach((issue) => issues.push(issue));
    const escalatesTo = field(unit, 'escalatesTo');
    if (typeof escalatesTo === 'string' && !unitIds.has(escalatesTo)) {
      issues.push({ path: ['units', index, 'escalatesTo'], message: `unknown unit "${escalatesTo}" (expected an id listed under units)` });
    }
  });
  const types = list(field(raw, 'referralTypes'));
  units.forEach((unit, index) => {
    list(field(unit, 'referralTypes')).forEach((type, at) => {
      if (types.length > 0 && typeof type === 'string' && !types.includes(type))
        issues.push({ path: ['units', index, 'referralTypes', at], message: `unknown referral type "${type}" (expected one listed under referralTypes)` });
    });
  });
  const hours = field(raw, 'workingHours');
  const start = field(hours, 'start');
  const end = field(hours, 'end');
  if (typeof start === 'string' && typeof end === 'string' && start >= end) {
    issues.push({ path: ['workingHours', 'end'], message: 'expected the end of working hours after the start' });
  }
  return issues;
};

/** A unit's deputy: a known person, one of the unit's own members, and not its manager. */
const deputyIssues = (args: { unit: unknown; index: number; personIds: ReadonlySet<string> }): Issue[] => {
  const deputy = field(args.unit, 'deputy');
  if (typeof deputy !== 'string') return [];
  const path = ['units', args.index, 'deputy'];
  if (!args.personIds.has(deputy)) return [{ path, message: `unknown person "${deputy}" (expected an id listed under people)` }];
  if (deputy === field(args.unit, 'manager')) return [{ path, message: `"${deputy}" is the unit's manager: the deputy acts for the manager, so it must be someone else` }];
  if (!list(field(args.unit, 'members')).includes(deputy)) return [{ path, message: `"${deputy}" is not a member of this unit (expected one of its members)` }];
  return [];
};

export type OrgInput = z.input<typeof orgSchema>;
export type Org = z.output<typeof orgSchema>;
export type OrgUnit = Org['units'][number];
export type OrgPerson = Org['people'][number];
