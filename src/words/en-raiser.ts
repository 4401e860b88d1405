/**
 * Words for what an officer does with their own items: edit and resubmit, withdraw, a new release date,
 * `/cases mine`, planned referrals and their import, and links out to the case record.
 */
export const enRaiser = {
  refusal: {
    edit: { no_change: 'Nothing has changed since it was returned: change at least one field, or use Resubmit to send it back as it was. Nothing was saved.' },
  },
  changes: {
    heading: 'What changed:',
    line: '• {{label}}: {{from}} → {{to}}',
    line_narrative: '• {{label}}: changed',
    none: '—',
    field: {
      noms: 'Prison number (NOMS)',
      roshCurrent: 'Current RoSH level',
      roshNew: 'New RoSH level',
      mappaCategory: 'MAPPA category',
      mappaLevel: 'MAPPA level',
      reason: 'Reason',
      urgency: 'Urgency',
      receivingUnitId: 'Receiving unit',
      summary: 'Summary',
      oasysRef: 'OASys assessment reference',
      referralType: 'Referral type',
      providerUnitId: 'Provider',
      prison: 'Prison',
      releaseDate: 'Release date',
      releaseType: 'Type of release date',
      needs: 'Needs',
      notes: 'Notes',
    },
  },
  edit: {
    title: 'Edit and resubmit',
    submit: 'Resubmit',
    intro: '{{ref}} for {{crn}}, returned for changes. Change what is needed: your manager sees each change.',
    note: 'Note for your manager (optional)',
    done: '{{ref}} resubmitted for {{crn}} with {{count}} change(s). {{countersigner}} has been asked to countersign again.',
  },
  release: {
    past: 'The release date must be after today',
    too_far: 'The release date must be within 3 years from today',
  },
  mine: {
    title: 'What I raised',
    none: 'You have not raised anything that is still on record.',
    summary: '{{count}} item(s) raised by you, {{open}} open',
    line: '{{ref}} · {{crn}} · {{state}}{{next}}',
    next: ' · next: {{who}}, due {{due}}',
    more: '… and {{count}} more',
  },
  links: { case: 'Open case record' },
  planned: {
    form_title: 'Send the referral',
    form_submit: 'Send referral',
    form_intro: '{{ref}} for {{crn}}: planned, to be referred by {{referBy}}. Check what was planned, complete it and send it.',
    sent: '{{ref}} sent to {{provider}} for {{crn}}. The provider is asked to acknowledge and assess at once.',
    plan_title: 'Plan a referral',
    plan_submit: 'Record the plan',
    plan_intro: 'From {{unit}}. For a release that will need a referral that is not ready yet: you are reminded from {{weeks}} weeks before release until it is sent.',
    plan_due_now: 'This release is within {{weeks}} weeks: its referral is due now, so send it with /refer',
    plan_exists: '{{crn}} already has a referral for release on {{release}} ({{ref}})',
    plan_recorded:
      '{{ref}} planned for {{crn}}, to {{provider}}: release on {{release}}, refer by {{referBy}}. From then you are reminded until it is sent: use Send the referral on the reminder, or /refer {{crn}}.',
  },
  oasys: {
    label: 'OASys assessment reference',
    hint: 'Optional: the assessment number in OASys (digits only). Shown only in direct messages.',
    invalid: 'An OASys assessment reference is 1 to 12 digits, like 1234567',
    detail: 'OASys assessment',
  },
};
