import type { FieldErrors, FormDefinition, FormValues } from './form.types.js';
import { SECURITY_WORDS } from './refusal-words.js';

/**
 * Every select and checkbox value checked against the options the form offered (a tampered Slack view state or
 * Teams card data can carry any string): a field error per value that was not offered, nothing stored.
 */
export const notOfferedErrors = (args: { form: FormDefinition; values: FormValues }): FieldErrors => {
  const errors: FieldErrors = {};
  for (const field of args.form.fields) {
    if (field.kind !== 'select' && field.kind !== 'checkboxes') continue;
    const raw = args.values[field.name];
    const given = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((value) => value.trim()).filter(Boolean);
    const offered = new Set(field.options.map((option) => option.value));
    if (given.some((value) => !offered.has(value))) errors[field.name] = SECURITY_WORDS.notOffered;
  }
  return errors;
};
