import type { ReferralRow } from '../db/items.repository.js';
import { DomainError } from '../domain/errors.js';
import { REFERRAL_ACTIONS, type ReferralAction, type ReferralState, raiseReferralEffects, referralLateness } from '../domain/workflows/referral.workflow.js';
import { localDate } from '../domain/time/working-time.js';
import { itemRef } from './chat-message.js';
import { caseOf, recordRaise } from './raise-record.js';
import type { Platform, UseCaseContext } from './context.js';
import { applyItemEffects, decide } from './decide.use-case.js';
import { referralModule } from './workflows/referral.module.js';
import { supersedePlanned } from './supersede-planned.js';

export interface ReferralInput {
  crn: string;
  noms?: string;
  referralType: string;
  providerUnitId: string;
  prison: string;
  /** Local date YYYY-MM-DD. */
  releaseDate: string;
  releaseType: string;
  needs: string[];
  notes: string;
}

export const isReferralAction = (value: string): value is ReferralAction => (REFERRAL_ACTIONS as readonly string[]).includes(value);

/** Raise a referral: the row, the decision, the audit event, the deadlines and the outbox in one transaction. */
export const raiseReferral = async (args: { ctx: UseCaseContext; actorId: string; input: ReferralInput; platform: Platform }) => {
  const { ctx, actorId, input } = args;
  const { directory } = ctx;
  if (!directory.person(actorId)) throw new DomainError({ code: 'person.unknown' });
  const sender = directory.homeUnit(actorId);
  if (!sender) throw new DomainError({ code: 'person.not_in_unit' });
  if (!directory.referralProviders().some((unit) => unit.id === input.providerUnitId)) {
    throw new DomainError({ code: 'unit.unknown', details: { unitId: input.providerUnitId } });
  }
  const now = ctx.clock.now();
  const today = localDate({ calendar: directory.calendar, at: now });
  const lateness = referralLateness({ releaseDate: input.releaseDate, weeksBeforeRelease: directory.org.deadlines.referral.weeksBeforeRelease, today });

  const result = await ctx.store.transaction(async (repos) => {
    const row = await repos.items.insertReferral({
      ...caseOf(input),
      referralType: input.referralType,
      providerUnitId: input.providerUnitId,
      senderUnitId: sender.id,
      prison: input.prison,
      releaseDate: input.releaseDate,
      releaseType: input.releaseType,
      needs: input.needs,
      notes: input.notes,
      referBy: lateness.referBy,
      lateWeeks: lateness.lateWeeks,
      raisedBy: actorId,
      state: 'awaiting_acknowledgement' satisfies ReferralState,
      createdAt: now,
      updatedAt: now,
    });
    await supersedePlanned({ repos, referral: row, actorId, now, platform: args.platform });
    await recordRaise({
      repos,
      itemType: 'referral',
      item: row,
      actorId,
      platform: args.platform,
      now,
      details: (decision) => ({
        ref: itemRef('referral', row.id),
        decisionId: decision.id,
        senderUnitId: sender.id,
        providerUnitId: row.providerUnitId,
        releaseDate: row.releaseDate,
        referBy: row.referBy,
        lateWeeks: row.lateWeeks,
        platform: args.platform,
      }),
    });
    const applied = await applyItemEffects({ module: referralModule, ctx, repos, row, actorId, now, effects: raiseReferralEffects({ raisedBy: actorId, providerUnitId: row.providerUnitId }) });
    return { row, assessmentDueAt: applied.deadlinesStarted.get('providerAssessment') as Date, deliveryDueAt: applied.deadlinesStarted.get('delivery') as Date };
  });
  ctx.onCommitted?.({ outbox: true, deadlines: true });
  return { ...result, lateness, ref: itemRef('referral', result.row.id) };
};

/** Take a decision on a referral: the generic decide (src/use-cases/decide.use-case.ts) under its old name. */
export const decideReferral = async (args: {
  ctx: UseCaseContext;
  actorId: string;
  referralId: number;
  action: ReferralAction;
  rationale?: string | null;
  workerId?: string | null;
  releaseDate?: string | null;
  platform: Platform;
}) => {
  const result = await decide({
    ctx: args.ctx,
    itemType: 'referral',
    itemId: args.referralId,
    action: args.action,
    actorId: args.actorId,
    rationale: args.rationale,
    personId: args.workerId,
    date: args.releaseDate,
    platform: args.platform,
  });
  return { ...result, row: result.row as ReferralRow, recomputed: result.extra.deadlines ?? [] };
};
