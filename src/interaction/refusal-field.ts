import { isDomainError } from '../domain/errors.js';

/** The form field a refusal is about, when there is one (shown next to that input). */
export const fieldForRefusal = (error: unknown): string | undefined => {
  if (!isDomainError(error)) return undefined;
  const field = error.details.field;
  switch (error.code) {
    case 'rationale.required':
      return 'rationale';
    case 'unit.unknown':
      return 'receivingUnitId';
    case 'person.unknown':
    case 'input.invalid':
      if (field === 'caseManager' || field === 'worker') return 'personId';
      return typeof field === 'string' ? field : undefined;
    default:
      return undefined;
  }
};
