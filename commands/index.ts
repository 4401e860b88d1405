import type { Command } from './command.types.js';
import { awayCommand } from './away.command.js';
import { casesCommand } from './cases.command.js';
import { dutyCommand } from './duty.command.js';
import { escalateCommand } from './escalate.command.js';
import { referCommand } from './refer.command.js';

/**
 * Every chat command, in one list. Slack (slash commands) and Teams (typed words) both route through it;
 * adding a command here is all a platform needs. manifest.json lists the same names.
 */
export const COMMANDS: Command[] = [
  { kind: 'form', ...escalateCommand },
  { kind: 'form', ...referCommand },
  { kind: 'text', ...dutyCommand },
  { kind: 'text', ...casesCommand },
  { kind: 'text', ...awayCommand },
];

export const findCommand = (name: string): Command | undefined => COMMANDS.find((command) => command.name === name.replace(/^\//, '').toLowerCase());
