import type { ReminderPolicy } from '../domain/reminder-ladder.js';
import { parseDeadlineSpec } from '../domain/time/deadline-spec.js';
import type { Directory } from './directory.js';

export const reminderPolicy = (directory: Directory): ReminderPolicy => directory.org.reminders;

/** The policy a deadline was started with (its snapshot), so a later org change does not rewrite history. */
export const snapshotPolicy = (args: { directory: Directory; snapshot: Record<string, unknown> }): ReminderPolicy => {
  const current = reminderPolicy(args.directory);
  const pick = (key: keyof ReminderPolicy) => {
    const text = args.snapshot[key];
    if (typeof text !== 'string') return current[key];
    const parsed = parseDeadlineSpec(text);
    return parsed.ok ? parsed.spec : current[key];
  };
  return { repeatEvery: pick('repeatEvery'), managerAfter: pick('managerAfter'), seniorManagerAfter: pick('seniorManagerAfter') };
};
