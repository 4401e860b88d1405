/** Words of the referral misallocation return, the referring unit's digest lines and their call-outs. */
export const refsWords = {
  refs: {
    provider: 'Send to provider',
    choose_provider: 'Choose the provider to send it to',
    provider_not_receiving: '{{unit}} does not receive referrals',
    provider_not_type: '{{unit}} does not receive {{type}} referrals',
    provider_same: '{{unit}} returned it as misallocated: choose another provider',
    reminder_notice: 'Please make sure {{owedBy}} acts on this today.',
  },
  digest: {
    release_soon: 'Release in under 12 weeks, no action plan yet: {{ref}} · {{crn}} · release {{release}} · {{provider}}',
    referred_overdue: 'Overdue referral: {{line}}',
  },
} as const;

/** Refusal words of the misallocation return, merged into the catalogue's `refusal` entries. */
export const refsRefusalWords = {
  refusal: {
    referral: { no_other_provider: 'No other provider takes {{type}} referrals, so it cannot be sent on: take it back instead. Nothing was changed.' },
  },
} as const;
