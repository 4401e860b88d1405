import type { ChatMessage } from '../src/use-cases/chat-message.js';
import type { Platform, UseCaseContext } from '../src/use-cases/context.js';
import type { FieldErrors, FormDefinition, FormValues } from '../src/use-cases/form.types.js';

/** What a form submission produced: a confirmation for the submitter, or field errors and nothing stored. */
export type SubmitResult = { ok: true; reply: string; message?: ChatMessage } | { ok: false; fieldErrors: FieldErrors };

/** A slash command (Slack) / typed command (Teams). The platform adapters only render and route. */
export interface FormCommand {
  name: string;
  description: string;
  usageHint: string;
  /** Open the form (may throw a DomainError, e.g. the person is not in any unit). */
  form(args: { ctx: UseCaseContext; actorId: string; text: string }): Promise<FormDefinition>;
  submit(args: { ctx: UseCaseContext; actorId: string; values: FormValues; context: Record<string, string>; platform: Platform }): Promise<SubmitResult>;
}

/** A command that answers with a message (e.g. /duty, /cases) instead of opening a form. */
export interface TextCommand {
  name: string;
  description: string;
  usageHint: string;
  /** May return a form to open instead (e.g. `/refer` with no provider), or throw a DomainError. */
  run(args: { ctx: UseCaseContext; actorId: string; text: string; platform: Platform }): Promise<{ message: ChatMessage; private: boolean }>;
}

export type Command = ({ kind: 'form' } & FormCommand) | ({ kind: 'text' } & TextCommand);

/** Turn zod issues into one message per form field. */
export const fieldErrorsFrom = (issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors => {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return errors;
};

/** A single text value from a form (first element of a list, trimmed; empty → undefined). */
export const single = (value: string | string[] | undefined): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
};
