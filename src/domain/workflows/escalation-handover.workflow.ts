import { notify, person } from '../workflow.types.js';
import { manager, start } from './escalation-effects.js';
import type { EscalationFacts, EscalationPatch, EscalationRole, EscalationState } from './escalation.workflow.js';
import type { ActionDefinition } from './workflow.js';

/**
 * The handover between the old and the new case manager: each confirms the professional conversation took place
 * (the escalation closes when both have), and the new case manager may schedule it first.
 */
type Rule = ActionDefinition<EscalationState, EscalationRole, EscalationFacts, EscalationPatch>;

const confirmHandover: Rule = {
  from: ['awaiting_handover'],
  roles: ['old_case_manager', 'new_case_manager'],
  refusal: 'escalation.not_case_manager',
  input: { rationale: 'optional' },
  buttonOn: ['escalation.handover_requested', 'escalation.handover_half_confirmed', 'deadline:handover', 'escalation.handover_scheduled', 'deadline:handoverMeeting'],
  style: 'primary',
  check: ({ facts, command }) => {
    const done =
      (command.actorRoles.has('old_case_manager') ? facts.handoverOldConfirmedAt !== null : true) && (command.actorRoles.has('new_case_manager') ? facts.handoverNewConfirmedAt !== null : true);
    return done ? { code: 'escalation.handover_already_confirmed' } : null;
  },
  apply: ({ facts, command }) => {
    const patch: EscalationPatch = {};
    if (command.actorRoles.has('old_case_manager') && !facts.handoverOldConfirmedAt) patch.handoverOldConfirmedAt = command.at;
    if (command.actorRoles.has('new_case_manager') && !facts.handoverNewConfirmedAt) patch.handoverNewConfirmedAt = command.at;
    const oldDone = Boolean(patch.handoverOldConfirmedAt ?? facts.handoverOldConfirmedAt);
    const newDone = Boolean(patch.handoverNewConfirmedAt ?? facts.handoverNewConfirmedAt);
    if (oldDone && newDone) {
      return {
        to: 'closed',
        patch: { ...patch, closedAt: command.at },
        effects: [
          notify(person(facts.raisedBy), 'escalation.closed'),
          notify(person(facts.newCaseManagerId ?? command.actorId), 'escalation.closed'),
          notify(manager(facts.receivingUnitId), 'escalation.closed'),
        ],
      };
    }
    const other = oldDone ? facts.newCaseManagerId : facts.raisedBy;
    return { to: 'awaiting_handover', patch, effects: other ? [notify(person(other), 'escalation.handover_half_confirmed', { withActions: true })] : [] };
  },
};

/**
 * The new case manager agrees a time (and optionally a video-call link) for the professional conversation. Both
 * are told; the meeting becomes a deadline at that time, chased like any other until both confirm the handover.
 * Scheduling again replaces the earlier time.
 */
const scheduleHandover: Rule = {
  from: ['awaiting_handover'],
  roles: ['new_case_manager'],
  refusal: 'escalation.not_case_manager',
  input: { rationale: 'none', meeting: { need: 'required', field: 'handoverAt' } },
  starts: ['handoverMeeting'],
  buttonOn: ['escalation.handover_requested', 'escalation.handover_scheduled'],
  apply: ({ facts, command }) => {
    const meeting = command.meeting as { at: Date; link: string | null };
    const both = [person(facts.raisedBy), person(facts.newCaseManagerId ?? command.actorId)];
    return {
      to: 'awaiting_handover',
      patch: { handoverAt: meeting.at, handoverLink: meeting.link },
      effects: [start('handoverMeeting', both, facts.receivingUnitId), ...both.map((to) => notify(to, 'escalation.handover_scheduled', { withActions: true }))],
    };
  },
};

export const handoverActions = { confirm_handover: confirmHandover, schedule_handover: scheduleHandover } satisfies Record<string, Rule>;
