/** A platform-neutral form: Slack renders a modal, Teams an Adaptive Card with inputs. */
export interface FormOption {
  value: string;
  label: string;
}

interface FieldBase {
  name: string;
  label: string;
  optional?: boolean;
  hint?: string;
}

export type FormField =
  | (FieldBase & { kind: 'text'; initial?: string; multiline?: boolean; maxLength?: number; placeholder?: string })
  | (FieldBase & { kind: 'select'; options: FormOption[]; initial?: string })
  | (FieldBase & { kind: 'checkboxes'; options: FormOption[]; initial?: string[] })
  | (FieldBase & { kind: 'date'; initial?: string });

export interface FormDefinition {
  /** Which form this is; comes back with the submission. */
  formId: string;
  title: string;
  submitLabel: string;
  intro?: string;
  fields: FormField[];
  /** Opaque context that comes back with the submission (item id, action). */
  context: Record<string, string>;
}

/** What a platform hands back: raw values by field name. */
export type FormValues = Record<string, string | string[] | undefined>;

export type FieldErrors = Record<string, string>;
