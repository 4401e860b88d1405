import type { OrgUnit } from '../../config/org.schema.js';
import type { ReferralRow } from '../../db/items.repository.js';
import { words } from '../../words/catalogue.js';
import type { Directory } from '../directory.js';

/** Does this unit take referrals of this type? (A provider may list the types it takes; none listed: all.) */
export const receivesReferralType = (unit: OrgUnit, type: string) => unit.receives.includes('referrals') && (!unit.referralTypes || unit.referralTypes.includes(type));

/** The providers a misallocated referral can be sent on to: those that take its type, not the one that returned it. */
export const sendOnProviders = (args: { row: ReferralRow; directory: Directory }) =>
  args.directory
    .referralProviders()
    .filter((unit) => unit.id !== args.row.providerUnitId && receivesReferralType(unit, args.row.referralType))
    .map((unit) => ({ id: unit.id, name: unit.name }));

/** Why a misallocated referral cannot go to this unit, in words for the form; null when it can. */
export const sendOnRefusal = (args: { row: ReferralRow; unitId: string; directory: Directory }): string | null => {
  const unit = args.directory.unit(args.unitId);
  if (!unit) return null; // not a unit at all: the form's "not offered" check answers it
  if (unit.id === args.row.providerUnitId) return words('refs.provider_same', { unit: unit.name });
  if (!unit.receives.includes('referrals')) return words('refs.provider_not_receiving', { unit: unit.name });
  if (!receivesReferralType(unit, args.row.referralType)) return words('refs.provider_not_type', { unit: unit.name, type: args.row.referralType });
  return null;
};
