import type { ReferralRow } from '../db/items.repository.js';
import { DomainError } from '../domain/errors.js';
import { REFERRAL_ACTIONS, type ReferralAction } from '../domain/referral.machine.js';
import type { Platform, UseCaseContext } from './context.js';

/** STUB — the referral use cases are built with issue 4 (same shape as escalations.use-case.ts). */
export const isReferralAction = (value: string): value is ReferralAction => (REFERRAL_ACTIONS as readonly string[]).includes(value);

export const decideReferral = async (_args: {
  ctx: UseCaseContext;
  actorId: string;
  referralId: number;
  action: ReferralAction;
  rationale?: string | null;
  workerId?: string | null;
  releaseDate?: string | null;
  platform: Platform;
}): Promise<{ row: ReferralRow; from: string; to: string }> => {
  throw new DomainError({ code: 'action.unknown', message: 'referrals are not implemented yet' });
};
