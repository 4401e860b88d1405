/**
 * Checks Slack Web API payloads against Slack's documented Block Kit limits.
 *
 * `checkBlockKit(method, args)` returns human-readable violations (empty array = fine) for
 * chat.postMessage / chat.update / chat.postEphemeral and views.open / push / update / publish.
 * Other methods are ignored. The fake Slack server runs this on every call it receives.
 */
import { z } from 'zod';
import { decodedJson } from './loopback-http.js';

type Issue = z.core.$ZodRawIssue;

/** "n chars" or "n items", for the size part of a violation message. */
function sizeOf(input: unknown): string {
  if (typeof input === 'string') return `${input.length} chars`;
  if (Array.isArray(input)) return `${input.length} items`;
  return JSON.stringify(input) ?? String(input);
}

function limitError(label: string, max: number) {
  return { error: (issue: Issue) => `${label} is ${sizeOf(issue.input)} (max ${max})` };
}

const chars = (max: number, label: string) => z.string().max(max, limitError(label, max));

const list = <T extends z.ZodType>(item: T, max: number, label: string) => z.array(item).max(max, limitError(label, max));

const textType = z.enum(['plain_text', 'mrkdwn'], {
  error: (issue) => `text object type must be plain_text or mrkdwn (got ${JSON.stringify(issue.input)})`,
});

/** A text object of either type, `text` limited to `max` chars. */
const textObject = (max: number, label: string) => z.looseObject({ type: textType, text: chars(max, label) });

/** A text object that must be plain_text. */
const plainText = (max: number, label: string) =>
  z.looseObject({
    type: z.literal('plain_text', {
      error: (issue) => `${label} must be plain_text (got ${JSON.stringify(issue.input)})`,
    }),
    text: chars(max, label),
  });

const option = z.looseObject({
  text: textObject(75, 'option text'),
  value: chars(150, 'option value'),
  description: textObject(75, 'option description').optional(),
});

const optionGroup = z.looseObject({
  label: plainText(75, 'option group label'),
  options: list(option, 100, 'option group options'),
});

/** Fields every interactive element may carry. */
const elementBase = {
  action_id: chars(255, 'action_id').optional(),
  placeholder: plainText(150, 'placeholder').optional(),
};

const element = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.looseObject({ type: z.literal(type), ...elementBase, ...shape });

const selectShape = {
  options: list(option, 100, 'select options').optional(),
  option_groups: list(optionGroup, 100, 'select option_groups').optional(),
};

/** Element types with no limits checked here beyond action_id and placeholder. */
const OTHER_ELEMENT_TYPES = [
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
  'external_select',
  'multi_external_select',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
  'file_input',
  'image',
  'workflow_button',
  'feedback_buttons',
  'icon_button',
] as const;

const blockElement = z.discriminatedUnion(
  'type',
  [
    element('button', {
      text: plainText(75, 'button text'),
      value: chars(2000, 'button value').optional(),
      url: chars(3000, 'button url').optional(),
    }),
    element('static_select', selectShape),
    element('multi_static_select', selectShape),
    element('checkboxes', { options: list(option, 10, 'checkboxes options') }),
    element('radio_buttons', { options: list(option, 10, 'radio_buttons options') }),
    element('overflow', { options: list(option, 5, 'overflow options') }),
    element('plain_text_input', {
      max_length: z.number().max(3000, limitError('plain_text_input max_length', 3000)).optional(),
    }),
    z.looseObject({ type: z.enum(OTHER_ELEMENT_TYPES), ...elementBase }),
  ],
  { error: (issue) => `unknown or malformed element type ${describeType(issue.input)}` },
);

const contextElement = z.looseObject({
  type: z.enum(['plain_text', 'mrkdwn', 'image'], {
    error: (issue) => `context element type must be plain_text, mrkdwn or image (got ${JSON.stringify(issue.input)})`,
  }),
});

const blockBase = { block_id: chars(255, 'block_id').optional() };

const block = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.looseObject({ type: z.literal(type), ...blockBase, ...shape });

/** Block types that are valid but whose contents are not checked here. */
const OTHER_BLOCK_TYPES = ['divider', 'file', 'video', 'rich_text', 'markdown', 'call', 'table', 'context_actions'] as const;

const blockSchema = z.discriminatedUnion(
  'type',
  [
    block('section', {
      text: textObject(3000, 'section text').optional(),
      fields: list(textObject(2000, 'section field'), 10, 'section fields').optional(),
      accessory: blockElement.optional(),
    }),
    block('header', { text: plainText(150, 'header text') }),
    block('context', { elements: list(contextElement, 10, 'context elements') }),
    block('actions', { elements: list(blockElement, 25, 'actions elements') }),
    block('input', {
      label: plainText(2000, 'input label'),
      hint: plainText(2000, 'input hint').optional(),
      element: blockElement,
    }),
    block('image', {
      image_url: chars(3000, 'image_url').optional(),
      alt_text: chars(2000, 'image alt_text'),
      title: plainText(2000, 'image title').optional(),
    }),
    z.looseObject({ type: z.enum(OTHER_BLOCK_TYPES), ...blockBase }),
  ],
  { error: (issue) => `unknown or malformed block type ${describeType(issue.input)}` },
);

function describeType(input: unknown): string {
  if (input && typeof input === 'object' && 'type' in input) return JSON.stringify(input.type);
  return `(not a block object: ${JSON.stringify(input)})`;
}

const messageSchema = z.looseObject({
  text: chars(40000, 'text').optional(),
  blocks: list(blockSchema, 50, 'message blocks').optional(),
});

const viewSchema = z.looseObject({
  type: z.enum(['modal', 'home'], {
    error: (issue) => `view type must be modal or home (got ${JSON.stringify(issue.input)})`,
  }),
  title: plainText(24, 'view title').optional(),
  submit: plainText(24, 'view submit').optional(),
  close: plainText(24, 'view close').optional(),
  private_metadata: chars(3000, 'private_metadata').optional(),
  callback_id: chars(255, 'callback_id').optional(),
  external_id: chars(255, 'external_id').optional(),
  blocks: list(blockSchema, 100, 'view blocks'),
});

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);
const VIEW_METHODS = new Set(['views.open', 'views.push', 'views.update', 'views.publish']);

function formatPath(path: PropertyKey[], prefix: string): string {
  let out = prefix;
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  }
  return out || '(root)';
}

function issuesOf(schema: z.ZodType, value: unknown, prefix: string): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${formatPath(issue.path, prefix)}: ${issue.message}`);
}

function sectionsWithoutContent(blocks: unknown, prefix: string): string[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((b: { type?: unknown; text?: unknown; fields?: unknown }, i) =>
    b?.type === 'section' && b.text === undefined && b.fields === undefined ? [`${prefix}[${i}]: section needs text or fields`] : [],
  );
}

function checkView(view: unknown): string[] {
  const violations = issuesOf(viewSchema, view, 'view');
  if (!view || typeof view !== 'object') return violations;
  const v = view as { type?: unknown; title?: unknown; submit?: unknown; blocks?: unknown };
  if (v.type === 'modal' && v.title === undefined) violations.push('view.title: modal requires a title');
  const hasInput = Array.isArray(v.blocks) && v.blocks.some((b: { type?: unknown }) => b?.type === 'input');
  if (v.type === 'modal' && hasInput && v.submit === undefined) {
    violations.push('view.submit: modal with input blocks requires a submit button');
  }
  if (v.type === 'home' && hasInput) violations.push('view.blocks: home tab cannot contain input blocks');
  return [...violations, ...sectionsWithoutContent(v.blocks, 'view.blocks')];
}

/**
 * Returns violations of Slack's documented Block Kit limits for one Web API call.
 * `args` is the decoded request body (objects may also still be JSON strings).
 */
export function checkBlockKit(method: string, args: unknown): string[] {
  if (!args || typeof args !== 'object') return [];
  const record = args as Record<string, unknown>;
  if (MESSAGE_METHODS.has(method)) {
    const message = { ...record, blocks: decodedJson(record.blocks) };
    return [...issuesOf(messageSchema, message, ''), ...sectionsWithoutContent(message.blocks, 'blocks')];
  }
  if (VIEW_METHODS.has(method)) {
    const view = decodedJson(record.view);
    if (view === undefined) return ['view: missing'];
    return checkView(view);
  }
  return [];
}
