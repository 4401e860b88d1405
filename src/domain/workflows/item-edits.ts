/**
 * What an edit changed, field by field: the fields of `edits` whose value differs from the item's. Pure; values
 * compare as JSON (so `null` and a missing value are the same, and lists compare by their items in order).
 */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export const fieldChanges = (args: { before: Readonly<Record<string, unknown>>; edits: Readonly<Record<string, unknown>> }): FieldChange[] =>
  Object.entries(args.edits)
    .filter(([field, to]) => !same(args.before[field], to))
    .map(([field, to]) => ({ field, from: args.before[field] ?? null, to: to ?? null }));

/** The changed fields as a patch to store. */
export const changedPatch = (changes: readonly FieldChange[]): Record<string, unknown> => Object.fromEntries(changes.map((change) => [change.field, change.to]));
