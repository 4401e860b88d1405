/**
 * Every refusal the product can give, with a namespaced code. Each platform maps these codes to
 * user words in exactly one place: the catalogue in src/words/, read through src/use-cases/refusal-words.ts.
 */
export type DomainErrorCode =
  | 'item.not_found'
  | 'item.moved_on'
  | 'item.already_done'
  | 'action.not_allowed'
  | 'action.unknown'
  | 'escalation.own_escalation'
  | 'escalation.not_countersigner'
  | 'escalation.not_receiving_unit'
  | 'escalation.not_case_manager'
  | 'escalation.handover_already_confirmed'
  | 'referral.not_provider'
  | 'referral.no_other_provider'
  | 'rationale.required'
  | 'person.unknown'
  | 'person.not_in_unit'
  | 'unit.unknown'
  | 'duty.not_allowed'
  | 'input.invalid'
  | 'store.unavailable'
  | 'case.not_shown'
  | 'input.not_offered'
  | 'duty.not_unit_member'
  | 'duty.date_malformed'
  | 'duty.date_past'
  | 'duty.range_end_before_start'
  | 'duty.range_too_long'
  // Absence and delegation (/away): words in src/words/en-away.ts.
  | 'away.usage'
  | 'away.bad_date'
  | 'away.date_past'
  | 'away.end_before_start'
  | 'away.too_long'
  | 'away.self_delegate'
  | 'away.delegate_unknown'
  | 'away.delegate_cycle'
  | 'away.no_cover'
  | 'away.not_allowed'
  | 'away.overlaps'
  | 'away.none_to_end'
  | 'edit.no_change';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Record<string, unknown>;

  constructor(args: { code: DomainErrorCode; message?: string; details?: Record<string, unknown> }) {
    super(args.message ?? args.code);
    this.name = 'DomainError';
    this.code = args.code;
    this.details = args.details ?? {};
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
