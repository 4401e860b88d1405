/** Shared vocabulary of the workflows: who an effect is for, which deadlines exist, what a transition returns. */

/** The built-in workflows, and any workflow registered at composition (src/app.ts). */
// biome-ignore lint/complexity/noBannedTypes: `string & {}` keeps the built-in names suggested while allowing any
export type ItemType = 'escalation' | 'referral' | (string & {});

/** Someone to tell or chase, resolved to real people by the use-case layer at the time of sending. */
export type Recipient =
  | { kind: 'person'; personId: string }
  | { kind: 'unitDuty'; unitId: string }
  | { kind: 'unitManager'; unitId: string }
  | { kind: 'unitSeniorManager'; unitId: string }
  | { kind: 'unitChannel'; unitId: string };

export const DEADLINE_KINDS = ['countersign', 'acceptance', 'reallocation', 'handover', 'takeBack', 'providerAssessment', 'actionPlan', 'delivery', 'handoverMeeting', 'referBy'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_LABELS: Record<DeadlineKind, string> = {
  countersign: 'Countersign',
  acceptance: 'Duty acceptance',
  reallocation: 'Reallocation to a case manager',
  handover: 'Handover',
  takeBack: 'Take back a misallocated case',
  providerAssessment: 'Provider assessment',
  actionPlan: 'Action plan',
  delivery: 'Delivery before release',
  handoverMeeting: 'Handover meeting',
  referBy: 'Referral to send (refer by)',
};

/** What a transition asks the outside world to do, as data. */
export type Effect =
  | { type: 'notify'; to: Recipient; message: string; withActions: boolean; private: boolean }
  | { type: 'startDeadline'; kind: DeadlineKind; owners: Recipient[]; unitId: string }
  | { type: 'meetDeadlines'; kinds: DeadlineKind[] | 'all' }
  | { type: 'recomputeDeadlines' };

export type RationaleRule = 'required' | 'optional' | 'none';

export interface TransitionResult<State extends string, Patch> {
  from: State;
  to: State;
  patch: Patch;
  effects: Effect[];
}

export const notify = (to: Recipient, message: string, options: { withActions?: boolean } = {}): Effect => ({
  type: 'notify',
  to,
  message,
  withActions: options.withActions ?? false,
  private: to.kind !== 'unitChannel',
});

export const person = (personId: string): Recipient => ({ kind: 'person', personId });
