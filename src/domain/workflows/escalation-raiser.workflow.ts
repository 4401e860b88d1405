import { type RoshLevel, type Urgency, deriveUrgency } from '../case-facts.js';
import { notify, person } from '../workflow.types.js';
import { countersignRequested } from './escalation-effects.js';
import type { EscalationFacts, EscalationPatch, EscalationRole, EscalationState } from './escalation.workflow.js';
import { changedPatch, fieldChanges } from './item-edits.js';
import type { ActionDefinition, Command } from './workflow.js';

/** The raiser's own actions on an escalation: resubmit or edit it after a return, or withdraw it while open. */
type Rule = ActionDefinition<EscalationState, EscalationRole, EscalationFacts, EscalationPatch>;

/** What the raiser may change after a return (the CRN names the case and stays). */
export const ESCALATION_EDITABLE = ['noms', 'roshCurrent', 'roshNew', 'mappaCategory', 'mappaLevel', 'reason', 'urgency', 'receivingUnitId', 'summary', 'oasysRef'] as const;

const editsOf = (facts: EscalationFacts, command: Command<EscalationRole>) => (command.edits ? fieldChanges({ before: facts as unknown as Record<string, unknown>, edits: command.edits }) : []);

/** Edit and resubmit: the returned escalation, changed, back to the countersigner; an edit that changes nothing is refused. */
const editResubmit: Rule = {
  from: ['returned'],
  roles: ['raiser'],
  refusal: 'action.not_allowed',
  input: { rationale: 'optional', form: 'escalate' },
  starts: ['countersign'],
  buttonOn: ['escalation.returned', 'mine'],
  style: 'primary',
  check: ({ facts, command }) => (command.edits && editsOf(facts, command).length === 0 ? { code: 'edit.no_change' } : null),
  apply: ({ facts, command }) => {
    const patch: EscalationPatch = changedPatch(editsOf(facts, command));
    const merged = { ...(facts as unknown as Record<string, unknown>), ...patch };
    patch.urgency = deriveUrgency({ requested: merged.urgency as Urgency, roshNew: merged.roshNew as RoshLevel, mappaLevel: merged.mappaLevel as number | null });
    return {
      to: 'awaiting_countersign',
      patch,
      effects: countersignRequested(facts),
    };
  },
};

export const raiserActions = {
  resubmit: {
    from: ['returned'],
    roles: ['raiser'],
    refusal: 'action.not_allowed',
    input: { rationale: 'optional' },
    starts: ['countersign'],
    buttonOn: ['escalation.returned'],
    style: 'primary',
    apply: ({ facts }) => ({
      to: 'awaiting_countersign',
      effects: countersignRequested(facts),
    }),
  },
  withdraw: {
    from: ['awaiting_countersign', 'returned', 'awaiting_acceptance'],
    roles: ['raiser', 'sender_manager'],
    refusal: 'action.not_allowed',
    input: { rationale: 'required' },
    buttonOn: ['escalation.returned', 'mine'],
    style: 'danger',
    apply: ({ facts }) => ({
      to: 'withdrawn',
      effects: [notify(person(facts.raisedBy), 'escalation.withdrawn'), notify(person(facts.countersignerId), 'escalation.withdrawn')],
    }),
  },
  edit_resubmit: editResubmit,
} satisfies Record<string, Rule>;
