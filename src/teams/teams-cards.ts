// Adaptive Card 1.5 rendering of the platform-neutral chat model: ChatMessage → card with Action.Execute buttons,
// FormDefinition → card with inputs and an Action.Execute submit. Pure functions: no store, no workflow rules.
import { type ChatAction, type ChatMessage, encodeActionValue } from '../use-cases/chat-message.js';
import type { FieldErrors, FormDefinition, FormField, FormValues } from '../use-cases/form.types.js';
import { words } from '../words/catalogue.js';
import { safeCardText } from './teams-text.js';

export type AdaptiveCard = { type: 'AdaptiveCard'; version: string; body: object[]; actions?: object[] } & Record<string, unknown>;

/** The verb of every form's submit button; the form context travels in data[FORM_KEY]. */
export const FORM_SUBMIT_VERB = 'form.submit';
export const FORM_KEY = 'dutydesk';
/** Lists (digests, queues) are cut here: Teams refuses cards over ~28 KB. */
const MAX_LINES = 60;

export interface FormSubmission {
  formId: string;
  /** The typed command and its argument text, so the form can be rebuilt to re-show it with errors. */
  command?: string;
  text?: string;
  context: Record<string, string>;
}

const card = (body: object[], actions: object[] = [], fallbackText?: string): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  ...(fallbackText ? { fallbackText } : {}),
  msteams: { width: 'Full' },
  body,
  ...(actions.length > 0 ? { actions } : {}),
});

/** Every TextBlock goes through safeCardText: user text never becomes a Markdown link. */
const text = (value: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text: safeCardText(value), wrap: true, ...extra });
const title = (value: string) => text(value, { weight: 'Bolder', size: 'Medium', style: 'heading' });

/** What a dialog-opening button sends: Teams turns `msteams.type` into a `task/fetch` invoke with this data. */
export const TASK_FETCH = { type: 'task/fetch' } as const;

/**
 * A decision button; the data carries the item (never anything personal). A click that opens a form (the core's
 * answer, in `needsForm`) opens it in a Teams dialog (`task/fetch`); a one-click decision is an Action.Execute.
 */
export const actionButton = (action: ChatAction) => {
  const style = action.style ? { style: action.style === 'primary' ? 'positive' : 'destructive' } : {};
  if (action.needsForm) {
    return { type: 'Action.Submit', title: action.label, data: { msteams: TASK_FETCH, value: encodeActionValue(action), needsForm: true, action: action.id }, ...style };
  }
  return { type: 'Action.Execute', title: action.label, verb: action.id, data: { value: encodeActionValue(action), needsForm: action.needsForm }, ...style };
};

/** A notification, DM or status as a card. Buttons are card-level Action.Execute actions. */
export const messageCard = (message: ChatMessage): AdaptiveCard => {
  const body: object[] = [title(message.title)];
  if (message.notice) body.push(text(message.notice, { color: 'Accent', spacing: 'Small' }));
  if (message.fields.length > 0) {
    body.push({ type: 'FactSet', facts: message.fields.map((field) => ({ title: safeCardText(field.label), value: safeCardText(field.value || '—') })) });
  }
  for (const detail of message.details ?? []) {
    body.push(text(detail.label, { weight: 'Bolder', spacing: 'Medium' }), text(detail.value || '—', { spacing: 'None' }));
  }
  const lines = message.lines ?? [];
  lines.slice(0, MAX_LINES).forEach((line, index) => body.push(text(line, { spacing: index === 0 ? 'Medium' : 'None' })));
  if (lines.length > MAX_LINES) body.push(text(`… and ${lines.length - MAX_LINES} more`, { isSubtle: true, spacing: 'None' }));
  if (message.attachment?.encoding === 'base64' && message.attachment.mimeType.startsWith('image/')) {
    // A picture (the board's weekly chart) goes inline in the card, as a data URI: no file consent needed.
    const { mimeType, content, filename } = message.attachment;
    body.push({ type: 'Image', url: `data:${mimeType};base64,${content}`, altText: `${message.title} (${filename}); the figures are listed above`, size: 'Stretch', spacing: 'Medium' });
  } else if (message.attachment) {
    // The file itself goes through Teams' file consent flow in the personal chat (teams-files.ts).
    body.push(text(`The file ${message.attachment.filename} is offered in your personal chat with DutyDesk.`, { isSubtle: true, spacing: 'Medium' }));
  }
  const links = (message.links ?? []).map((link) => ({ type: 'Action.OpenUrl', title: link.label, url: link.url }));
  return card(body, [...message.actions.map(actionButton), ...links], message.text);
};

/** A short answer in a card (a confirmation replacing a submitted form, a refusal). */
export const noticeCard = (args: { title: string; text: string; tone?: 'good' | 'attention' }): AdaptiveCard =>
  card([title(args.title), text(args.text, args.tone ? { color: args.tone === 'good' ? 'Good' : 'Attention' } : {})], [], args.text);

const requiredMessage = (field: FormField) => (field.kind === 'select' || field.kind === 'date' ? `Choose ${field.label.toLowerCase()}` : `${field.label} is required`);

const asList = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value : value ? [value] : []);

const inputFor = (field: FormField, value: string | string[] | undefined): object => {
  const common = { id: field.name, label: field.label, isRequired: !field.optional, ...(field.optional ? {} : { errorMessage: requiredMessage(field) }) };
  switch (field.kind) {
    case 'text': {
      const current = value !== undefined ? asList(value)[0] : field.initial;
      return {
        type: 'Input.Text',
        ...common,
        ...(field.multiline ? { isMultiline: true } : {}),
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(current ? { value: current } : {}),
      };
    }
    case 'select': {
      const current = value !== undefined ? asList(value)[0] : field.initial;
      return {
        type: 'Input.ChoiceSet',
        ...common,
        style: 'compact',
        placeholder: 'Choose…',
        choices: field.options.map((option) => ({ title: option.label, value: option.value })),
        ...(current ? { value: current } : {}),
      };
    }
    case 'date': {
      const current = value !== undefined ? asList(value)[0] : field.initial;
      return { type: 'Input.Date', ...common, ...(current ? { value: current } : {}) };
    }
    case 'checkboxes': {
      const current = value !== undefined ? asList(value) : (field.initial ?? []);
      const [only] = field.options;
      if (field.options.length === 1 && only) {
        return { type: 'Input.Toggle', ...common, title: only.label, valueOn: only.value, valueOff: '', value: current.includes(only.value) ? only.value : '', wrap: true };
      }
      return {
        type: 'Input.ChoiceSet',
        ...common,
        style: 'expanded',
        isMultiSelect: true,
        choices: field.options.map((option) => ({ title: option.label, value: option.value })),
        ...(current.length > 0 ? { value: current.join(',') } : {}),
      };
    }
  }
};

/**
 * A form as a card: one input per field (ids = field names), required fields marked for Teams' own check, the
 * server's field errors under their inputs, and an Action.Execute submit carrying the form context.
 */
export const formCard = (args: {
  form: FormDefinition;
  command?: string;
  text?: string;
  values?: FormValues;
  errors?: FieldErrors;
  /** 'dialog': the card inside a Teams dialog (Action.Submit → task/submit); 'chat' (default): a card in the chat. */
  mode?: 'chat' | 'dialog';
  /** A typed command's form in the chat also offers to open the same form in a dialog. */
  openInDialog?: boolean;
}): AdaptiveCard => {
  const { form } = args;
  const errors = args.errors ?? {};
  const body: object[] = [title(form.title)];
  if (form.intro) body.push(text(form.intro, { isSubtle: true, spacing: 'Small' }));
  const fieldNames = new Set(form.fields.map((field) => field.name));
  const general = Object.entries(errors)
    .filter(([name]) => !fieldNames.has(name))
    .map(([, message]) => message);
  if (Object.keys(errors).length > 0) {
    body.push(text(['Please check the fields marked below.', ...general].join(' '), { color: 'Attention', weight: 'Bolder' }));
  }
  for (const field of form.fields) {
    body.push(inputFor(field, args.values?.[field.name]));
    const error = errors[field.name];
    if (error) body.push(text(error, { color: 'Attention', size: 'Small', spacing: 'None' }));
    else if (field.hint) body.push(text(field.hint, { isSubtle: true, size: 'Small', spacing: 'None' }));
  }
  const submission: FormSubmission = {
    formId: form.formId,
    context: form.context,
    ...(args.command ? { command: args.command } : {}),
    ...(args.text ? { text: args.text.slice(0, 200) } : {}),
  };
  if (args.mode === 'dialog') {
    return card(body, [{ type: 'Action.Submit', title: form.submitLabel, style: 'positive', associatedInputs: 'auto', data: { [FORM_KEY]: submission } }], form.title);
  }
  const submit = { type: 'Action.Execute', title: form.submitLabel, verb: FORM_SUBMIT_VERB, style: 'positive', associatedInputs: 'auto', data: { [FORM_KEY]: submission } };
  // Opening the dialog sends no input (associatedInputs none): the dialog starts from the same form, afresh.
  const dialog = { type: 'Action.Submit', title: words('teamsUi.open_dialog'), associatedInputs: 'none', data: { msteams: TASK_FETCH, [FORM_KEY]: submission } };
  return card(body, args.openInDialog ? [submit, dialog] : [submit], form.title);
};

/** The form context back from a submit's data, or null when the data is not one of our forms. */
export const formSubmissionOf = (data: Record<string, unknown>): FormSubmission | null => {
  const raw = data[FORM_KEY];
  if (typeof raw !== 'object' || raw === null) return null;
  const { formId, command, text, context } = raw as Record<string, unknown>;
  if (typeof formId !== 'string' || typeof context !== 'object' || context === null) return null;
  const safeContext = Object.fromEntries(Object.entries(context).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return { formId, context: safeContext, ...(typeof command === 'string' ? { command } : {}), ...(typeof text === 'string' ? { text } : {}) };
};

/** The inputs Teams merged into the submit's data, as raw form values by field name. */
export const formValuesOf = (args: { form: FormDefinition; data: Record<string, unknown> }): FormValues => {
  const values: FormValues = {};
  for (const field of args.form.fields) {
    const raw = args.data[field.name];
    const value = typeof raw === 'string' ? raw : typeof raw === 'boolean' || typeof raw === 'number' ? String(raw) : undefined;
    if (field.kind === 'checkboxes') {
      const allowed = new Set(field.options.map((option) => option.value));
      values[field.name] = (value ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter((part) => allowed.has(part));
    } else {
      values[field.name] = value === undefined || value.trim() === '' ? undefined : value;
    }
  }
  return values;
};
