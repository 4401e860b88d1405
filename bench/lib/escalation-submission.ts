import { signViewMetadata } from '../../src/slack/slack-view-metadata.js';
import { interactionBody, stateValue, viewSubmissionPayload } from '../../test/support/slack-requests.js';

/** A signed view_submission of a valid escalation for this CRN, as Slack sends it (the load and the statement count). */
export const escalationSubmissionBody = (args: { secret: string; userId: string; crn: string }): string => {
  const privateMetadata = signViewMetadata({ secret: args.secret, metadata: { command: 'escalate', formId: 'escalate', context: {}, userId: args.userId } });
  const values = {
    crn: args.crn,
    noms: stateValue.text(null),
    roshCurrent: stateValue.select('HIGH'),
    roshNew: stateValue.select('HIGH'),
    mappaCategory: stateValue.select(null),
    mappaLevel: stateValue.select(null),
    reason: stateValue.select('breach_or_new_offence'),
    urgency: stateValue.select('standard'),
    receivingUnitId: stateValue.select('north-pp'),
    summary: 'Breached licence conditions; new intelligence from police.',
    oasysReviewed: stateValue.checkboxes(['done']),
  };
  const stateValues = Object.fromEntries(Object.entries(values).map(([blockId, value]) => [blockId, { value }]));
  return interactionBody(viewSubmissionPayload({ userId: args.userId, callbackId: 'escalate', privateMetadata, values: stateValues }));
};
