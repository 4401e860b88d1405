import { z } from 'zod';
import type { FormField } from '../src/use-cases/form.types.js';
import { words } from '../src/words/catalogue.js';

/** An OASys assessment reference: the assessment's number in OASys (a reference, never its content). */
export const OASYS_REF_PATTERN = /^\d{1,12}$/;

export const oasysRefSchema = z
  .string()
  .trim()
  .regex(OASYS_REF_PATTERN, { message: words('oasys.invalid') });

/** The optional field on the escalation form (and its edit). */
export const oasysRefField = (initial?: string | null): FormField => ({
  kind: 'text',
  name: 'oasysRef',
  label: words('oasys.label'),
  optional: true,
  maxLength: 12,
  placeholder: '1234567',
  hint: words('oasys.hint'),
  ...(initial ? { initial } : {}),
});
