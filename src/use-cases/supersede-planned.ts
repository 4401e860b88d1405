import type { ReferralRow } from '../db/items.repository.js';
import type { Repositories } from '../db/store.js';
import { itemRef } from './chat-message.js';
import type { Platform } from './context.js';

/**
 * A referral sent with /refer for a CRN its unit had planned: the plan has become this referral, so it is closed
 * (its refer-by chase ends) with a decision and an audit event naming the referral that replaced it.
 */
export const supersedePlanned = async (args: { repos: Repositories; referral: ReferralRow; actorId: string; now: Date; platform: Platform }) => {
  const { repos, referral, now } = args;
  for (const planned of await repos.plannedReferrals.plannedFor({ crn: referral.crn, senderUnitId: referral.senderUnitId })) {
    const closed = await repos.items.updateReferral({ id: planned.id, expectedVersion: planned.version, patch: { state: 'withdrawn', closedAt: now } });
    if (!closed) continue;
    const ref = itemRef('referral', referral.id);
    const decision = await repos.records.insertDecision({
      itemType: 'referral',
      itemId: planned.id,
      action: 'cancel_planned',
      actorId: args.actorId,
      actorRole: args.actorId === planned.raisedBy ? 'raiser' : 'sender',
      fromState: 'to_refer',
      toState: 'withdrawn',
      rationale: `Sent as ${ref}`,
      platform: args.platform,
      decidedAt: now,
    });
    await repos.deadlines.meet({ itemType: 'referral', itemId: planned.id, kinds: 'all', at: now, by: args.actorId });
    await repos.records.audit({
      at: now,
      actorId: args.actorId,
      event: 'referral.plan_superseded',
      itemType: 'referral',
      itemId: planned.id,
      crn: planned.crn,
      details: { ref: itemRef('referral', planned.id), sentAs: ref, decisionId: decision.id, platform: args.platform },
    });
  }
};
