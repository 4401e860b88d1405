import type { Repositories } from '../db/store.js';
import type { ReferralRow } from '../db/items.repository.js';
import { referralLateness } from '../domain/workflows/referral.workflow.js';
import { atLocalTime } from '../domain/time/working-time.js';
import { itemRef } from './chat-message.js';
import type { Platform } from './context.js';
import type { Directory } from './directory.js';
import { firstCheck } from './effects.js';
import { reminderPolicy } from './reminder-policy.js';

/** One release that will need a referral: what the plan records before the referral itself is ready. */
export interface PlannedRelease {
  crn: string;
  noms: string | null;
  prison: string;
  releaseDate: string;
  releaseType: string;
  referralType: string;
  /** Who will send it and is chased by its refer-by deadline. */
  officer: string;
}

/**
 * Store planned referrals inside the caller's transaction, from the CSV import or from chat alike: each a referral in
 * `to_refer` with its refer-by date (release − weeksBeforeRelease), a `raise` decision, a `referBy` deadline at the
 * start of that working day owed by the officer, and a `referral.planned` audit event.
 */
export const storePlannedReferrals = async (args: {
  repos: Repositories;
  directory: Directory;
  now: Date;
  today: string;
  senderUnitId: string;
  providerUnitId: string;
  releases: readonly PlannedRelease[];
  actorId: string;
  platform: Platform | 'cli';
}): Promise<ReferralRow[]> => {
  const { repos, directory, now, today } = args;
  const weeksBeforeRelease = directory.org.deadlines.referral.weeksBeforeRelease;
  const policy = reminderPolicy(directory);
  const spec = directory.deadlineSpec({ kind: 'referBy', urgent: false });
  const referralRows = await repos.plannedReferrals.insertReferrals(
    args.releases.map((release) => ({
      crn: release.crn,
      noms: release.noms,
      referralType: release.referralType,
      providerUnitId: args.providerUnitId,
      senderUnitId: args.senderUnitId,
      prison: release.prison,
      releaseDate: release.releaseDate,
      releaseType: release.releaseType,
      needs: [],
      notes: '',
      referBy: referralLateness({ releaseDate: release.releaseDate, weeksBeforeRelease, today }).referBy,
      lateWeeks: 0,
      raisedBy: release.officer,
      state: 'to_refer',
      createdAt: now,
      updatedAt: now,
    })),
  );
  await repos.plannedReferrals.insertDecisions(
    referralRows.map((referral) => ({
      itemType: 'referral',
      itemId: referral.id,
      action: 'raise',
      actorId: args.actorId,
      actorRole: args.actorId === referral.raisedBy ? 'raiser' : 'importer',
      fromState: 'new',
      toState: 'to_refer',
      rationale: null,
      platform: args.platform,
      decidedAt: now,
    })),
  );
  await repos.plannedReferrals.insertDeadlines(
    referralRows.map((referral) => {
      const dueAt = atLocalTime({ timeZone: directory.org.timezone, date: referral.referBy, time: directory.org.workingHours.start });
      return {
        itemType: 'referral',
        itemId: referral.id,
        kind: 'referBy',
        unitId: args.senderUnitId,
        owners: [{ kind: 'person', personId: referral.raisedBy }],
        urgent: false,
        startedAt: now,
        dueAt,
        policy: { deadline: spec.text, urgency: 'standard', repeatEvery: policy.repeatEvery.text, managerAfter: policy.managerAfter.text, seniorManagerAfter: policy.seniorManagerAfter.text },
        nextCheckAt: firstCheck({ directory, dueAt, urgent: false, now }).nextCheckAt,
      };
    }),
  );
  await repos.records.auditMany(
    referralRows.map((referral) => ({
      at: now,
      actorId: args.actorId,
      event: 'referral.planned',
      itemType: 'referral',
      itemId: referral.id,
      crn: referral.crn,
      details: {
        ref: itemRef('referral', referral.id),
        senderUnitId: args.senderUnitId,
        providerUnitId: args.providerUnitId,
        releaseDate: referral.releaseDate,
        referBy: referral.referBy,
        platform: args.platform,
      },
    })),
  );
  return referralRows;
};
