import type { types } from '@slack/bolt';
import type { ChatMessage } from '../use-cases/chat-message.js';
import type { FieldErrors, FormDefinition, FormField, FormOption, FormValues } from '../use-cases/form.types.js';
import { messageBlocks } from './slack-blocks.js';
import { mrkdwn, plain, truncate } from './slack-text.js';

/** FormDefinition → Block Kit modal; view_submission state → FormValues. Block ids are the field names. */

const MAX_SELECT_OPTIONS = 100;
const MAX_CHECKBOX_OPTIONS = 10;
const VALUE_ACTION = 'value';

const option = (entry: FormOption) => ({ text: plain(entry.label, 75), value: entry.value.slice(0, 150) });

const fieldElement = (field: FormField) => {
  switch (field.kind) {
    case 'text':
      return {
        type: 'plain_text_input' as const,
        action_id: VALUE_ACTION,
        multiline: field.multiline ?? false,
        ...(field.maxLength ? { max_length: Math.min(field.maxLength, 3000) } : {}),
        ...(field.initial ? { initial_value: field.initial } : {}),
        ...(field.placeholder ? { placeholder: plain(field.placeholder, 150) } : {}),
      };
    case 'select': {
      const options = field.options.slice(0, MAX_SELECT_OPTIONS).map(option);
      const initial = options.find((entry) => entry.value === field.initial);
      return {
        type: 'static_select' as const,
        action_id: VALUE_ACTION,
        placeholder: plain('Choose…', 150),
        options,
        ...(initial ? { initial_option: initial } : {}),
      };
    }
    case 'checkboxes': {
      const options = field.options.slice(0, MAX_CHECKBOX_OPTIONS).map(option);
      const initial = options.filter((entry) => field.initial?.includes(entry.value));
      return { type: 'checkboxes' as const, action_id: VALUE_ACTION, options, ...(initial.length > 0 ? { initial_options: initial } : {}) };
    }
    case 'date':
      return { type: 'datepicker' as const, action_id: VALUE_ACTION, ...(field.initial ? { initial_date: field.initial } : {}) };
  }
};

const fieldBlock = (field: FormField): types.KnownBlock => {
  if ((field.kind === 'select' || field.kind === 'checkboxes') && field.options.length === 0) {
    return { type: 'section', block_id: field.name, text: mrkdwn(`${field.label}: nothing to choose from yet.`, 3000) };
  }
  return {
    type: 'input',
    block_id: field.name,
    optional: field.optional ?? false,
    label: plain(field.label, 2000),
    ...(field.hint ? { hint: plain(field.hint, 2000) } : {}),
    element: fieldElement(field),
  } as types.InputBlock;
};

/** The modal for a form. `metadata` is the signed private_metadata. */
export const formView = (args: { form: FormDefinition; metadata: string }): types.ModalView => {
  const { form } = args;
  const blocks: types.KnownBlock[] = [];
  if (form.intro) blocks.push({ type: 'section', text: mrkdwn(form.intro, 3000) });
  blocks.push(...form.fields.map(fieldBlock));
  return {
    type: 'modal',
    callback_id: form.formId.slice(0, 255),
    title: plain(form.title, 24),
    submit: plain(form.submitLabel, 24),
    close: plain('Cancel', 24),
    private_metadata: args.metadata,
    blocks: blocks.slice(0, 100),
  };
};

/** A modal with a message and a Close button (confirmations, refusals). */
export const noticeView = (args: { title: string; text: string; message?: ChatMessage }): types.ModalView => ({
  type: 'modal',
  title: plain(args.title, 24),
  close: plain('Close', 24),
  blocks: [{ type: 'section', text: mrkdwn(args.text, 3000) }, ...(args.message ? messageBlocks(args.message, { maxBlocks: 99 }) : [])],
});

type StateValue = {
  type: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  selected_date?: string | null;
  selected_user?: string | null;
  selected_users?: string[];
};

const stateValueOf = (state: StateValue): string | string[] | undefined => {
  if (state.selected_options) return state.selected_options.map((entry) => entry.value);
  if (state.selected_users) return state.selected_users;
  if (state.selected_option !== undefined) return state.selected_option?.value ?? undefined;
  if (state.selected_date !== undefined) return state.selected_date ?? undefined;
  if (state.selected_user !== undefined) return state.selected_user ?? undefined;
  return state.value ?? undefined;
};

/** Slack's `view.state.values` (block_id → action_id → value) as FormValues keyed by field name. */
export const formValuesFromState = (values: Record<string, Record<string, StateValue>>): FormValues => {
  const out: FormValues = {};
  for (const [blockId, actions] of Object.entries(values ?? {})) {
    const first = Object.values(actions ?? {})[0];
    if (first) out[blockId] = stateValueOf(first);
  }
  return out;
};

/** Input block ids of a submitted view, in order (for placing errors). */
export const inputBlockIds = (view: { blocks?: unknown[]; state?: { values?: Record<string, unknown> } }): string[] => {
  const fromBlocks = (view.blocks ?? [])
    .filter((block): block is { type: string; block_id: string } => !!block && (block as { type?: unknown }).type === 'input' && typeof (block as { block_id?: unknown }).block_id === 'string')
    .map((block) => block.block_id);
  return [...new Set([...fromBlocks, ...Object.keys(view.state?.values ?? {})])];
};

/** `response_action: "errors"`: every error on an input block of this view (unknown keys go to the first one). */
export const errorsResponse = (args: { fieldErrors: FieldErrors; blockIds: string[] }) => {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(args.fieldErrors)) {
    const blockId = args.blockIds.includes(field) ? field : args.blockIds[0];
    if (blockId && !errors[blockId]) errors[blockId] = truncate(message, 150);
  }
  return { response_action: 'errors' as const, errors };
};
