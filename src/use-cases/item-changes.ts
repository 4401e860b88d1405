import { ROSH_LABELS, type RoshLevel } from '../domain/case-facts.js';
import type { FieldChange } from '../domain/workflows/item-edits.js';
import { hasWords, words } from '../words/catalogue.js';
import type { Directory } from './directory.js';
import { ESCALATION_REASONS } from './workflows/escalation.module.js';
import { REFERRAL_NEEDS, RELEASE_TYPES } from './workflows/referral.module.js';

/** One value of a change as a person reads it (labels, unit names; text in quotes; '—' when empty). */
const valueText = (args: { field: string; value: unknown; directory: Directory }): string => {
  const { field, value, directory } = args;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return words('changes.none');
  switch (field) {
    case 'roshCurrent':
    case 'roshNew':
      return ROSH_LABELS[value as RoshLevel] ?? String(value);
    case 'reason':
      return ESCALATION_REASONS[String(value)] ?? String(value);
    case 'urgency':
      return value === 'urgent' ? 'Urgent' : 'Standard';
    case 'receivingUnitId':
    case 'providerUnitId':
      return directory.unit(String(value))?.name ?? String(value);
    case 'releaseType':
      return RELEASE_TYPES[String(value)] ?? String(value);
    case 'needs':
      return (value as string[]).map((need) => REFERRAL_NEEDS[need] ?? need).join(', ');
    case 'summary':
    case 'notes':
    case 'prison':
      return `“${String(value)}”`;
    default:
      return String(value);
  }
};

/** An edit's changes as lines for a direct message or a timeline: "• New RoSH level: High → Very high". */
export const changeLines = (args: { changes: readonly FieldChange[]; directory: Directory }): string[] =>
  args.changes.map((change) =>
    words(change.narrative ? 'changes.line_narrative' : 'changes.line', {
      label: hasWords(`changes.field.${change.field}`) ? words(`changes.field.${change.field}`) : change.field,
      from: valueText({ field: change.field, value: change.from, directory: args.directory }),
      to: valueText({ field: change.field, value: change.to, directory: args.directory }),
    }),
  );
