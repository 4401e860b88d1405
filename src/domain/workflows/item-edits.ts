/**
 * What an edit changed, field by field: the fields of `edits` whose value differs from the item's. Pure; values
 * compare as JSON (so `null` and a missing value are the same, and lists compare by their items in order).
 */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
  /** A narrative field (summary, notes): its texts are in the message of the moment, not kept on the record. */
  narrative?: true;
}

/** Fields of case narrative: retention clears them from the item, so the append-only record never copies them. */
export const NARRATIVE_FIELDS: readonly string[] = ['summary', 'notes'];

/** The changes as the decision keeps them: which narrative field changed, never its texts. */
export const recordedChanges = (changes: readonly FieldChange[]): FieldChange[] =>
  changes.map((change) => (NARRATIVE_FIELDS.includes(change.field) ? { field: change.field, from: null, to: null, narrative: true } : change));

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export const fieldChanges = (args: { before: Readonly<Record<string, unknown>>; edits: Readonly<Record<string, unknown>> }): FieldChange[] =>
  Object.entries(args.edits)
    .filter(([field, to]) => !same(args.before[field], to))
    .map(([field, to]) => ({ field, from: args.before[field] ?? null, to: to ?? null }));

/** The changed fields as a patch to store. */
export const changedPatch = (changes: readonly FieldChange[]): Record<string, unknown> => Object.fromEntries(changes.map((change) => [change.field, change.to]));
