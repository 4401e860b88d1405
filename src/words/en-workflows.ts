/**
 * The words of the two built-in workflows: per action its button label, how it reads once done ("past", used in
 * "Already done: countersigned by …") and its "done" line (as in "Countersigned by Tom Reyes, …"); per state its
 * label; per message its headline. A workflow added at composition brings the same shape (see addWorkflowWords).
 */
export const escalationWords = {
  name: 'Escalation',
  update: 'Escalation update',
  rationale_none: 'No rationale given',
  action: {
    raise: { label: 'Raise', past: 'raised', done: 'Raised' },
    countersign: { label: 'Countersign', past: 'countersigned', done: 'Countersigned' },
    return: { label: 'Return for changes', past: 'returned for changes', done: 'Returned for changes' },
    resubmit: { label: 'Resubmit', past: 'resubmitted', done: 'Resubmitted' },
    withdraw: { label: 'Withdraw', past: 'withdrawn', done: 'Withdrawn' },
    accept: { label: 'Accept', past: 'accepted', done: 'Accepted' },
    decline: { label: 'Decline', past: 'declined', done: 'Declined' },
    reallocate: { label: 'Name the case manager', past: 'reallocated', done: 'Reallocated' },
    confirm_handover: { label: 'Handover done', past: 'handover confirmed', done: 'Handover confirmed' },
    return_misallocated: { label: 'Return as misallocated', past: 'returned as misallocated', done: 'Returned as misallocated' },
    take_back: { label: 'Take back', past: 'taken back', done: 'Taken back' },
    schedule_handover: { label: 'Schedule handover', past: 'handover scheduled', done: 'Handover scheduled' },
    edit_resubmit: { label: 'Edit and resubmit', past: 'edited and resubmitted', done: 'Edited and resubmitted' },
  },
  person: 'New case manager',
  state: {
    awaiting_countersign: 'Awaiting countersign',
    returned: 'Returned for changes',
    awaiting_acceptance: 'Awaiting duty acceptance',
    awaiting_reallocation: 'Accepted, awaiting reallocation',
    awaiting_handover: 'Reallocated, awaiting handover',
    closed: 'Closed (handover completed)',
    declined: 'Declined',
    withdrawn: 'Withdrawn',
    misallocated: 'Returned as misallocated, awaiting take-back',
    taken_back: 'Taken back by the sending unit',
  },
  message: {
    countersign_requested: 'Countersign needed',
    raised_confirmation: 'Escalation raised',
    countersigned: 'Countersigned',
    returned: 'Returned for changes',
    acceptance_requested: 'Escalation to accept',
    channel_incoming: 'Incoming escalation',
    accepted: 'Accepted by the receiving unit',
    declined: 'Declined by the receiving unit',
    reallocation_requested: 'Name the new case manager',
    reallocated: 'New case manager named',
    handover_requested: 'Handover needed',
    handover_half_confirmed: 'Handover confirmed by one side',
    closed: 'Handover completed, escalation closed',
    withdrawn: 'Escalation withdrawn',
    misallocated: 'Returned as misallocated',
    take_back_requested: 'Take back a misallocated case',
    taken_back: 'Case taken back by the sending unit',
    status: 'Escalation',
    handover_scheduled: 'Handover meeting scheduled',
    handover_meeting_soon: 'Handover meeting in an hour',
  },
};

export const referralWords = {
  name: 'Referral',
  update: 'Referral update',
  rationale_none: 'No note given',
  action: {
    raise: { label: 'Raise', past: 'raised', done: 'Raised' },
    acknowledge: { label: 'Acknowledge', past: 'acknowledged', done: 'Acknowledged' },
    assign: { label: 'Assign', past: 'assigned', done: 'Assigned' },
    record_assessment: { label: 'Record assessment', past: 'assessment recorded', done: 'Assessment recorded' },
    submit_action_plan: { label: 'Submit action plan', past: 'action plan submitted', done: 'Action plan submitted' },
    record_delivery: { label: 'Record delivery', past: 'delivery recorded', done: 'Delivery recorded' },
    decline: { label: 'Decline', past: 'declined', done: 'Declined' },
    withdraw: { label: 'Withdraw', past: 'withdrawn', done: 'Withdrawn' },
    change_release_date: { label: 'Change release date', past: 'release date changed', done: 'Release date changed' },
    return_misallocated: { label: 'Return as misallocated', past: 'returned as misallocated', done: 'Returned as misallocated' },
    take_back: { label: 'Take back', past: 'taken back', done: 'Taken back' },
    send_on: { label: 'Send to another provider', past: 'sent to another provider', done: 'Sent to another provider' },
    send_planned: { label: 'Send the referral', past: 'sent', done: 'Referral sent' },
    cancel_planned: { label: 'Cancel the plan', past: 'plan cancelled', done: 'Plan cancelled' },
  },
  person: 'Worker',
  state: {
    awaiting_acknowledgement: 'Sent, awaiting acknowledgement',
    acknowledged: 'Acknowledged, awaiting assessment',
    assessed: 'Assessed, awaiting action plan',
    planned: 'Action plan submitted, awaiting delivery',
    delivered: 'Delivered',
    declined: 'Declined by the provider',
    withdrawn: 'Withdrawn',
    misallocated: 'Returned as misallocated, awaiting the referring unit',
    taken_back: 'Taken back by the referring unit',
    to_refer: 'Planned: referral not sent yet',
  },
  message: {
    received: 'New referral',
    raised_confirmation: 'Referral sent',
    acknowledged: 'Referral acknowledged',
    assigned: 'Referral assigned to a worker',
    assessment_requested: 'Assessment needed',
    assessed: 'Assessment recorded',
    action_plan_requested: 'Action plan needed',
    action_planned: 'Action plan submitted',
    delivery_requested: 'Delivery to record',
    delivered: 'Delivery recorded',
    declined: 'Referral declined',
    withdrawn: 'Referral withdrawn',
    release_date_changed: 'Release date changed',
    status: 'Referral',
    take_back_requested: 'Misallocated referral: take it back or send it on',
    misallocated: 'Referral returned as misallocated',
    taken_back: 'Misallocated referral taken back',
    sent_on: 'Referral sent to another provider',
  },
};

/** The shape every workflow's words take. */
export type WorkflowWords = {
  name: string;
  update: string;
  rationale_none: string;
  person?: string;
  action: Record<string, { label: string; past: string; done: string }>;
  state: Record<string, string>;
  message: Record<string, string>;
};
