import type { DomainErrorCode } from '../errors.js';
import type { DeadlineKind, Effect, RationaleRule } from '../workflow.types.js';

/**
 * A workflow as data: its states, the relations a person can have to an item, and per action who may take it,
 * from which states, what input it needs, which deadline it meets and which it may start, and on which messages
 * its button appears. One generic transition applies any action of any definition.
 */

/** A refusal as plain data (no Error, no stack): cheap enough to ask for every button on every message. */
export interface Refusal {
  code: DomainErrorCode;
  details?: Record<string, unknown>;
}

/** What an action needs besides the click. `person.field` names the refused input (`input.invalid`). */
export interface InputNeed {
  rationale: RationaleRule;
  person?: { need: 'required' | 'optional'; field: string };
  date?: { need: 'required'; field: string };
  /** A unit chosen from a list (e.g. the next provider of a misallocated referral). */
  unit?: { need: 'required'; field: string };
  /** A meeting: a local date and time, and an optional https link (the handover meeting). */
  meeting?: { need: 'required'; field: string };
  /** The action opens the item's own form, filled in with what was sent; what was typed arrives as `edits`. */
  form?: string;
}

/** A person's command: the click plus what they typed or chose. */
export interface Command<R extends string = string> {
  action: string;
  actorId: string;
  actorRoles: ReadonlySet<R>;
  rationale?: string | null;
  /** The named person (a new case manager, a worker, …) when the action takes one. */
  personId?: string | null;
  /** A date (local YYYY-MM-DD) when the action takes one. */
  date?: string | null;
  /** A unit id when the action takes one. */
  unitId?: string | null;
  /** A meeting's agreed time and optional link, when the action takes one (validated by the form). */
  meeting?: { at: Date; link: string | null } | null;
  /** The item's fields as the person left them in its form (edit and resubmit), by field name. */
  edits?: Readonly<Record<string, unknown>> | null;
  at: Date;
}

export interface ActionOutcome<S extends string, P> {
  to: S;
  patch?: P;
  /** Who to tell and which deadlines start, in order (a message shows the deadlines started before it). */
  effects: Effect[];
}

export interface ActionDefinition<S extends string, R extends string, F, P> {
  from: readonly S[];
  roles: readonly R[];
  /** The refusal for someone who holds none of `roles`. */
  refusal: DomainErrorCode;
  input: InputNeed;
  /** The deadline this action answers ('all': every open one). Reaching a terminal state meets all anyway. */
  meets?: DeadlineKind | 'all';
  /** The deadlines it may start (checked on every transition). */
  starts?: readonly DeadlineKind[];
  /** Messages whose buttons include this action: message keys, and `deadline:<kind>` for reminders and queues. */
  buttonOn: readonly string[];
  style?: 'primary' | 'danger';
  /** A refusal that applies before the roles are looked at (e.g. countersigning one's own escalation). */
  precheck?: (args: { facts: F; command: Command<R> }) => Refusal | null;
  /** A refusal that applies to someone holding a role (e.g. a side that has already confirmed). */
  check?: (args: { facts: F; command: Command<R> }) => Refusal | null;
  apply: (args: { facts: F; command: Command<R> }) => ActionOutcome<S, P>;
}

export interface WorkflowDefinition<S extends string = string, R extends string = string, A extends string = string, F extends { state: S } = { state: S }, P = object> {
  itemType: string;
  states: readonly S[];
  terminal: readonly S[];
  roles: readonly R[];
  /** How the roles a person held are recorded on a decision ('a+b'); the order of this list. */
  roleOrder: readonly R[];
  actions: Record<A, ActionDefinition<S, R, F, P>>;
}

// The generic functions take any definition; the definition's own types are checked where it is written.
// biome-ignore lint/suspicious/noExplicitAny: the registry holds definitions of different workflows
export type AnyWorkflow = WorkflowDefinition<any, any, any, any, any>;

export const actionsOf = (definition: AnyWorkflow): string[] => Object.keys(definition.actions);

export const isActionOf = (definition: AnyWorkflow, action: string): boolean => Object.hasOwn(definition.actions, action);

/** Who may act now (authority only, never the input): the first refusal that applies, or null. */
export const authorityRefusal = (args: { definition: AnyWorkflow; facts: { state: string }; command: Command }): Refusal | null => {
  const { definition, facts, command } = args;
  if (!isActionOf(definition, command.action)) return { code: 'action.unknown', details: { action: command.action } };
  const rule = definition.actions[command.action] as ActionDefinition<string, string, unknown, unknown>;
  if (!rule.from.includes(facts.state)) return { code: 'item.moved_on', details: { state: facts.state, action: command.action } };
  const early = rule.precheck?.({ facts, command });
  if (early) return early;
  if (!rule.roles.some((role) => command.actorRoles.has(role))) return { code: rule.refusal, details: { action: command.action } };
  return rule.check?.({ facts, command }) ?? null;
};

/** Is the input there that the action needs? (Asked only of a real command, never of a button list.) */
export const inputRefusal = (args: { definition: AnyWorkflow; command: Command }): Refusal | null => {
  const { command } = args;
  const input = args.definition.actions[command.action]?.input;
  if (!input) return { code: 'action.unknown', details: { action: command.action } };
  if (input.rationale === 'required' && !command.rationale?.trim()) return { code: 'rationale.required', details: { action: command.action } };
  if (input.person?.need === 'required' && !command.personId) return { code: 'input.invalid', details: { field: input.person.field } };
  if (input.date && !command.date) return { code: 'input.invalid', details: { field: input.date.field } };
  if (input.unit && !command.unitId) return { code: 'input.invalid', details: { field: input.unit.field } };
  if (input.meeting && !command.meeting) return { code: 'input.invalid', details: { field: input.meeting.field } };
  if (input.form && !command.edits) return { code: 'input.invalid', details: { field: 'form' } };
  return null;
};

export const refusalOf = (args: { definition: AnyWorkflow; facts: { state: string }; command: Command }): Refusal | null => authorityRefusal(args) ?? inputRefusal(args);

/** A refused command, thrown by `transition`: carries the refusal as data. */
export class RefusedError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code);
    this.name = 'RefusedError';
  }
}

export interface Transition<S extends string = string, P = object> {
  from: S;
  to: S;
  patch: P & { state: S };
  effects: Effect[];
}

/**
 * Apply a command to an item's facts. Refused commands return the refusal; otherwise the next state, the fields
 * to store and the effects: first the deadlines met (the action's own, or all of them on reaching a terminal
 * state), then the action's own effects in order.
 */
export const transition = (args: { definition: AnyWorkflow; facts: { state: string }; command: Command }): { refusal: Refusal } | { result: Transition } => {
  const refusal = refusalOf(args);
  if (refusal) return { refusal };
  const { definition, facts, command } = args;
  const rule = definition.actions[command.action] as ActionDefinition<string, string, unknown, object>;
  const outcome = rule.apply({ facts, command });
  for (const effect of outcome.effects) {
    if (effect.type === 'startDeadline' && !rule.starts?.includes(effect.kind)) {
      throw new Error(`${definition.itemType}.${command.action} starts ${effect.kind}, which its definition does not declare`);
    }
  }
  const meets = definition.terminal.includes(outcome.to) ? 'all' : rule.meets;
  const met: Effect[] = meets ? [{ type: 'meetDeadlines', kinds: meets === 'all' ? 'all' : [meets] }] : [];
  return {
    result: { from: facts.state, to: outcome.to, patch: { ...(outcome.patch ?? {}), state: outcome.to }, effects: [...met, ...outcome.effects] },
  };
};

/** The actions a person with these roles could take now, to draw their buttons. Pure; no input asked for. */
export const allowedActions = (args: { definition: AnyWorkflow; facts: { state: string }; roles: ReadonlySet<string>; actorId: string }): string[] =>
  actionsOf(args.definition).filter(
    (action) => authorityRefusal({ definition: args.definition, facts: args.facts, command: { action, actorId: args.actorId, actorRoles: args.roles, at: new Date(0) } }) === null,
  );

/** Does this action open a form? Yes when it needs input that may not be left empty. Asked once, for every platform. */
export const needsForm = (definition: AnyWorkflow, action: string): boolean => {
  const input = definition.actions[action]?.input;
  if (!input) return false;
  return input.rationale === 'required' || input.person?.need === 'required' || Boolean(input.date) || Boolean(input.unit) || Boolean(input.meeting) || Boolean(input.form);
};

/** Does this action take any input at all (a form with optional fields still makes sense for it)? */
export const takesInput = (definition: AnyWorkflow, action: string): boolean => {
  const input = definition.actions[action]?.input;
  return Boolean(input && (input.rationale !== 'none' || input.person || input.date || input.unit || input.meeting || input.form));
};

/** The actions whose buttons belong on a message (a message key, or `deadline:<kind>`), in definition order. */
export const actionsOn = (definition: AnyWorkflow, message: string): string[] => actionsOf(definition).filter((action) => definition.actions[action]?.buttonOn.includes(message));

/** The deadline an action meets, as written in its definition. */
export const deadlineMetBy = (definition: AnyWorkflow, action: string) => definition.actions[action]?.meets;

/** The roles held, as recorded on a decision: in the definition's order, joined with '+'. */
export const roleLabel = (definition: AnyWorkflow, roles: ReadonlySet<string>): string => definition.roleOrder.filter((role) => roles.has(role)).join('+');
