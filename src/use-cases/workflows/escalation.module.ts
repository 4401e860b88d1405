import type { EscalationRow } from '../../db/items.repository.js';
import { ROSH_LABELS, type RoshLevel } from '../../domain/case-facts.js';
import { escalationPolicy } from '../../domain/policy/escalation.policy.js';
import { type EscalationFacts, type EscalationState, escalationWorkflow } from '../../domain/workflows/escalation.workflow.js';
import { stateWords, words } from '../../words/catalogue.js';
import type { WorkflowModule } from './workflow-module.js';
import { handoverMeetingFields } from '../handover-meeting.use-case.js';

export const ESCALATION_REASONS: Record<string, string> = {
  rosh_increase: 'RoSH increase',
  mappa_change: 'MAPPA change',
  breach_or_new_offence: 'Breach or new offence',
  misallocation: 'Misallocation',
  other: 'Other',
};

/** The row holds the facts under the same names; only the state is narrowed. */
export const escalationFacts = (row: EscalationRow): EscalationFacts => ({ ...row, state: row.state as EscalationState });

export const riskText = (row: Pick<EscalationRow, 'roshCurrent' | 'roshNew'>) =>
  `${ROSH_LABELS[row.roshCurrent as RoshLevel] ?? row.roshCurrent} → ${ROSH_LABELS[row.roshNew as RoshLevel] ?? row.roshNew}`;

/** Escalations as the application runs them: stored in `escalations`, shown with risk and urgency. */
export const escalationModule: WorkflowModule<EscalationRow, EscalationFacts> = {
  definition: escalationWorkflow,
  refPrefix: 'ESC',
  facts: escalationFacts,
  policy: escalationPolicy,
  table: ({ items }) => ({ get: items.escalation, byIds: items.escalationsByIds, update: items.updateEscalation }),
  handle: (row) => ({ itemType: 'escalation', itemId: row.id, version: row.version, crn: row.crn, urgent: row.urgency === 'urgent', meetingAt: row.handoverAt ?? undefined }),
  personUnit: (row) => row.receivingUnitId,
  afterUpdate: async ({ command }) => ({ caseManagerId: command.personId ?? undefined }),
  present: ({ row, directory }) => {
    const risk = riskText(row);
    const urgency = row.urgency === 'urgent' ? 'Urgent' : 'Standard';
    const people = [
      { label: 'From', value: `${directory.nameOf(row.raisedBy)} (${directory.unit(row.senderUnitId)?.name ?? row.senderUnitId})` },
      { label: 'To', value: directory.unit(row.receivingUnitId)?.name ?? row.receivingUnitId },
    ];
    if (row.newCaseManagerId) people.push({ label: 'New case manager', value: directory.nameOf(row.newCaseManagerId) });
    if (row.handoverAt) people.push(...handoverMeetingFields({ directory, at: row.handoverAt, link: row.handoverLink }));
    const details = [
      { label: 'Reason', value: ESCALATION_REASONS[row.reason] ?? row.reason },
      { label: 'Summary', value: row.summary },
    ];
    if (row.noms) details.push({ label: 'Prison number', value: row.noms });
    if (row.mappaCategory || row.mappaLevel) details.push({ label: 'MAPPA', value: `Category ${row.mappaCategory ?? '—'}, level ${row.mappaLevel ?? '—'}` });
    details.push({ label: 'OASys review', value: row.oasysReviewed ? 'Done' : 'Not done' });
    if (row.oasysRef) details.push({ label: words('oasys.detail'), value: row.oasysRef });
    return {
      shared: [
        { label: words('item.crn'), value: row.crn },
        { label: 'Risk (RoSH)', value: risk },
        { label: 'Urgency', value: urgency },
        { label: words('item.state'), value: stateWords(row.state, 'escalation') },
      ],
      people,
      details,
      summary: `(${risk}, ${urgency.toLowerCase()})`,
    };
  },
};
