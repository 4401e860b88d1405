import type { ReferralRow } from '../../db/items.repository.js';
import type { Repositories } from '../../db/store.js';
import { DomainError } from '../../domain/errors.js';
import { referralPolicy } from '../../domain/policy/referral.policy.js';
import { planChase } from '../../domain/reminder-ladder.js';
import { type ReferralFacts, type ReferralState, referralLateness, referralWorkflow } from '../../domain/workflows/referral.workflow.js';
import { atLocalTime, localDate } from '../../domain/time/working-time.js';
import { stateWords, words } from '../../words/catalogue.js';
import type { UseCaseContext } from '../context.js';
import { reminderPolicy } from '../reminder-policy.js';
import type { WorkflowModule } from './workflow-module.js';
import { sendOnProviders, sendOnRefusal } from './referral-send-on.js';

/** Release date types used by HMPPS: conditional, automatic, parole eligibility, HDC eligibility, post-recall. */
export const RELEASE_TYPES: Record<string, string> = {
  CRD: 'CRD (conditional release date)',
  ARD: 'ARD (automatic release date)',
  PED: 'PED (parole eligibility date)',
  HDCED: 'HDCED (home detention curfew eligibility)',
  PRRD: 'PRRD (post-recall release date)',
  confirmed: 'Confirmed release date',
  other: 'Other',
};

/** Resettlement needs (the pathways used by through-the-gate services). At most 10: Slack's checkbox limit. */
export const REFERRAL_NEEDS: Record<string, string> = {
  accommodation: 'Accommodation',
  ete: 'Education, training and employment',
  finance: 'Finance, benefits and debt',
  health: 'Health (physical and mental)',
  substance: 'Drugs and alcohol',
  family: 'Children, families and communities',
  attitudes: 'Attitudes, thinking and behaviour',
  victims: 'Victims of abuse or exploitation',
};

/** "5 weeks late" / "1 week late" / null when on time. */
export const latenessText = (lateWeeks: number) => (lateWeeks > 0 ? `${lateWeeks} week${lateWeeks === 1 ? '' : 's'} late` : null);

export const referralFacts = (row: ReferralRow): ReferralFacts => ({ ...row, state: row.state as ReferralState });

/**
 * Recompute the open deadlines of a referral from its current facts: the delivery deadline from the release
 * date, and every open deadline owned by the named worker once one is assigned. Returns what moved.
 */
const recomputeDeadlines = async (args: { ctx: UseCaseContext; repos: Repositories; row: ReferralRow; now: Date }) => {
  const { ctx, repos, row, now } = args;
  const changes: { kind: string; fromDueAt: string; toDueAt: string }[] = [];
  for (const deadline of await repos.deadlines.openForItem({ itemType: 'referral', itemId: row.id })) {
    if (row.assignedWorkerId && deadline.owners.some((owner) => owner.kind === 'unitDuty')) {
      await repos.deadlines.setOwners({ id: deadline.id, owners: [{ kind: 'person', personId: row.assignedWorkerId }] });
    }
    if (deadline.kind !== 'delivery') continue;
    const dueAt = atLocalTime({ timeZone: ctx.directory.org.timezone, date: row.releaseDate, time: '00:00' });
    if (dueAt.getTime() === deadline.dueAt.getTime()) continue;
    const plan = planChase({ facts: { ...deadline, dueAt, urgent: deadline.urgent }, policy: reminderPolicy(ctx.directory), calendar: ctx.directory.calendar, now });
    await repos.deadlines.reschedule({ id: deadline.id, dueAt, nextCheckAt: plan.send.length > 0 ? now : plan.nextCheckAt });
    changes.push({ kind: deadline.kind, fromDueAt: deadline.dueAt.toISOString(), toDueAt: dueAt.toISOString() });
  }
  return changes;
};

/** Referrals as the application runs them: stored in `referrals`, deadlines recomputed when facts change. */
export const referralModule: WorkflowModule<ReferralRow, ReferralFacts> = {
  definition: referralWorkflow,
  refPrefix: 'REF',
  // A referral's delivery deadline is its release date, shown as "Release", not as "Due".
  hiddenDue: ['delivery'],
  facts: referralFacts,
  policy: referralPolicy,
  table: ({ items }) => ({ get: items.referral, byIds: items.referralsByIds, update: items.updateReferral }),
  handle: (row) => ({ itemType: 'referral', itemId: row.id, version: row.version, crn: row.crn, urgent: false, releaseDate: row.releaseDate }),
  personUnit: (row) => row.providerUnitId,
  checkPerson: ({ row, personId, directory }) => {
    const provider = directory.unit(row.providerUnitId);
    const staff = provider ? [...provider.members, ...provider.duty, provider.manager, provider.seniorManager] : [];
    if (!staff.includes(personId)) throw new DomainError({ code: 'person.not_in_unit', details: { field: 'worker', unitId: row.providerUnitId } });
  },
  unitOptions: ({ row, directory }) => sendOnProviders({ row, directory }),
  checkUnit: ({ row, unitId, directory }) => sendOnRefusal({ row, unitId, directory }),
  preparePatch: ({ ctx, row, patch }) => {
    // A planned referral is referred when it is sent: its lateness counts from then.
    const sending = row.state === 'to_refer' && patch.state !== 'to_refer' && patch.state !== 'withdrawn';
    if (typeof patch.releaseDate !== 'string' && !sending) return patch;
    const raisedOn = localDate({ calendar: ctx.directory.calendar, at: sending ? ctx.clock.now() : row.createdAt });
    const weeksBeforeRelease = ctx.directory.org.deadlines.referral.weeksBeforeRelease;
    const lateness = referralLateness({ releaseDate: (patch.releaseDate as string | undefined) ?? row.releaseDate, weeksBeforeRelease, today: raisedOn });
    return { ...patch, referBy: lateness.referBy, lateWeeks: lateness.lateWeeks };
  },
  afterUpdate: async ({ ctx, repos, before, row, transition, command, now }) => {
    const recomputed = transition.effects.some((effect) => effect.type === 'recomputeDeadlines') ? await recomputeDeadlines({ ctx, repos, row, now }) : [];
    if (command.action === 'assign') return { workerId: command.personId ?? undefined };
    if (command.action === 'send_on') return { fromProviderUnitId: before.providerUnitId, toProviderUnitId: row.providerUnitId };
    if (command.action !== 'change_release_date') return {};
    return { releaseDateFrom: before.releaseDate, releaseDateTo: row.releaseDate, referBy: row.referBy, lateWeeks: row.lateWeeks, deadlines: recomputed };
  },
  present: ({ row, directory }) => {
    const people = [
      { label: 'Type', value: row.referralType },
      { label: 'From', value: `${directory.nameOf(row.raisedBy)} (${directory.unit(row.senderUnitId)?.name ?? row.senderUnitId})` },
      { label: 'To', value: directory.unit(row.providerUnitId)?.name ?? row.providerUnitId },
    ];
    if (row.assignedWorkerId) people.push({ label: 'Worker', value: directory.nameOf(row.assignedWorkerId) });
    const details = [{ label: 'Prison', value: row.prison }];
    if (row.noms) details.push({ label: 'Prison number', value: row.noms });
    if (row.needs.length > 0) details.push({ label: 'Needs', value: row.needs.map((need) => REFERRAL_NEEDS[need] ?? need).join(', ') });
    if (row.notes.trim()) details.push({ label: 'Notes', value: row.notes });
    const late = latenessText(row.lateWeeks);
    if (late) details.push({ label: 'Referred late', value: `${late} (refer by ${row.referBy})` });
    return {
      shared: [
        { label: words('item.crn'), value: row.crn },
        { label: words('item.state'), value: stateWords(row.state, 'referral') },
        { label: 'Release', value: `${row.releaseDate} (${row.releaseType})` },
      ],
      people,
      details,
    };
  },
};
