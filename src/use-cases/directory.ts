import { buildWorkCalendar } from '../config/calendar.js';
import type { Org, OrgPerson, OrgUnit } from '../config/org.schema.js';
import type { DeadlineKind } from '../domain/workflow.types.js';
import type { DeadlineSpec } from '../domain/time/deadline-spec.js';
import type { WorkCalendar } from '../domain/time/working-time.js';

/** The org file as the use cases need it: people and units by id, the calendar and the deadline policy. */
export interface Directory {
  org: Org;
  calendar: WorkCalendar;
  person(id: string): OrgPerson | undefined;
  /** A person's name for messages: their name in the org file, else their id ('—' when there is nobody). */
  nameOf(id: string | null | undefined): string;
  personBySlack(slackUserId: string): OrgPerson | undefined;
  personByTeams(aadObjectId: string): OrgPerson | undefined;
  unit(id: string): OrgUnit | undefined;
  /** Units the person belongs to (as member), then units they manage. */
  unitsOf(personId: string): OrgUnit[];
  homeUnit(personId: string): OrgUnit | undefined;
  /** The person's own manager: their home unit's manager, or its senior manager when they are that manager. */
  managerOf(personId: string): string | undefined;
  escalationReceivers(): OrgUnit[];
  referralProviders(): OrgUnit[];
  deadlineSpec(args: { kind: DeadlineKind; urgent: boolean }): DeadlineSpec;
}

export const buildDirectory = (org: Org): Directory => {
  const people = new Map(org.people.map((entry) => [entry.id, entry]));
  const bySlack = new Map(org.people.filter((entry) => entry.slack).map((entry) => [entry.slack as string, entry]));
  const byTeams = new Map(org.people.filter((entry) => entry.teams).map((entry) => [(entry.teams as string).toLowerCase(), entry]));
  const units = new Map(org.units.map((unit) => [unit.id, unit]));
  const unitsOf = (personId: string) => [
    ...org.units.filter((unit) => unit.members.includes(personId)),
    ...org.units.filter((unit) => !unit.members.includes(personId) && (unit.manager === personId || unit.duty.includes(personId))),
  ];
  const calendar = buildWorkCalendar({
    timeZone: org.timezone,
    workingHours: org.workingHours,
    calendar: org.calendar,
    extraHolidays: org.extraHolidays,
  });
  const receivers = org.units.filter((unit) => unit.receives.includes('escalations') || org.units.some((other) => other.escalatesTo === unit.id));
  return {
    org,
    calendar,
    person: (id) => people.get(id),
    nameOf: (id) => (id ? (people.get(id)?.name ?? id) : '—'),
    personBySlack: (id) => bySlack.get(id),
    personByTeams: (id) => byTeams.get(id.toLowerCase()),
    unit: (id) => units.get(id),
    unitsOf,
    homeUnit: (personId) => unitsOf(personId)[0],
    managerOf: (personId) => {
      const home = unitsOf(personId)[0];
      if (!home) return undefined;
      return home.manager === personId ? home.seniorManager : home.manager;
    },
    escalationReceivers: () => receivers,
    referralProviders: () => org.units.filter((unit) => unit.receives.includes('referrals')),
    deadlineSpec: ({ kind, urgent }) => {
      const deadlines = org.deadlines;
      switch (kind) {
        case 'countersign':
        case 'acceptance':
        case 'reallocation':
        case 'handover':
        case 'takeBack':
          return deadlines[kind][urgent ? 'urgent' : 'standard'];
        case 'providerAssessment':
          return deadlines.referral.providerAssessment;
        case 'actionPlan':
          return deadlines.referral.actionPlan;
        case 'delivery':
          return { kind: 'workingDays', text: 'before release', days: 0 };
        case 'handoverMeeting':
          return { kind: 'workingDays', text: 'at the agreed time', days: 0 };
        case 'referBy':
          return { kind: 'workingDays', text: `${deadlines.referral.weeksBeforeRelease} weeks before release`, days: 0 };
      }
    },
  };
};
