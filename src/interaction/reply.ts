import type { ChatMessage } from '../use-cases/chat-message.js';
import type { FieldErrors, FormDefinition, FormValues } from '../use-cases/form.types.js';

/**
 * What the interaction core answers, whatever the platform. Slack and Teams only render these:
 * - form: open (or re-show, with field errors) a form;
 * - message: show a message (a queue, a timeline, a duty board), private unless said otherwise;
 * - done: a decision or a form went through: confirmation words, and the item as it now stands;
 * - refusal: nothing changed, with these words (next to `field` when the form has it); `status` is the item as it
 *   now stands, only for someone with a role on it (who moved on since they looked);
 * - help: the command list.
 */
export type Reply =
  | { kind: 'form'; form: FormDefinition; command: string; text?: string; values?: FormValues; errors?: FieldErrors }
  | { kind: 'message'; message: ChatMessage; private: boolean }
  | { kind: 'done'; words: string; title?: string; message?: ChatMessage; status?: ChatMessage }
  | { kind: 'refusal'; code: string; words: string; field?: string; status?: ChatMessage }
  | { kind: 'help'; lines: string[] };
