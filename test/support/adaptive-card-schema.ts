// Validates Adaptive Cards with Microsoft's own Adaptive Cards SDK (the `adaptivecards` package), the way a Teams
// client reads them: parse against the card's declared version (so an element, action or property newer than the
// version is refused), then the SDK's property validation under a Teams host config. The SDK parses leniently where
// the Adaptive Card schema is strict, so three checks are added on top, each driven by the SDK's own metadata or the
// official schema's rules: unknown properties (against each SDK class's property schema), required properties, and
// the version Teams renders. Returns readable problems; an empty list means valid.
import { createRequire } from 'node:module';
import type * as AdaptiveCardsSdk from 'adaptivecards';

// The package's ES build uses extension-less imports that Node cannot load; its UMD bundle is the same code.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsSdk;

/** The newest card version every Teams client (desktop, web, mobile) renders. */
const TEAMS_MAX_VERSION = '1.5';

/** Keys Teams reads on top of the Adaptive Card schema. */
const TEAMS_ONLY_KEYS = new Set(['msteams']);

/**
 * The parts of the Teams host config the SDK's validation reads: Teams cards are interactive and show at most six
 * actions in a row (Teams' published host config, `actions.maxActions`).
 */
const teamsHostConfig = new AC.HostConfig({ supportsInteractivity: true, actions: { maxActions: 6 } });

/**
 * Child collections the SDK parses in code rather than through a class's property schema, so they are not in
 * `getSchema()`; per JSON type.
 */
const STRUCTURAL_KEYS: Record<string, readonly string[]> = {
  AdaptiveCard: ['body', 'actions'],
  Container: ['items'],
  Column: ['items'],
  TableCell: ['items'],
  ColumnSet: ['columns'],
  ActionSet: ['actions'],
  RichTextBlock: ['inlines'],
  Table: ['rows'],
  TableRow: ['cells'],
  'Action.ShowCard': ['card'],
};

/** The properties the Adaptive Card 1.5 schema requires (beyond `type`), which the SDK's parser lets go. */
const REQUIRED: Record<string, readonly string[]> = {
  TextBlock: ['text'],
  RichTextBlock: ['inlines'],
  TextRun: ['text'],
  Container: ['items'],
  FactSet: ['facts'],
  Fact: ['title', 'value'],
  Image: ['url'],
  ActionSet: ['actions'],
  'Input.Text': ['id'],
  'Input.Number': ['id'],
  'Input.Date': ['id'],
  'Input.Time': ['id'],
  'Input.Toggle': ['id', 'title'],
  'Input.ChoiceSet': ['id'],
  'Action.Execute': ['verb'],
  'Action.OpenUrl': ['url'],
  'Action.ToggleVisibility': ['targetElements'],
};

type SerializableObject = AdaptiveCardsSdk.SerializableObject;
type Ctor = new () => SerializableObject;

/** SDK classes for objects that carry a `type` but are not in the element or action registries. */
const UNREGISTERED: Record<string, Ctor> = {
  AdaptiveCard: AC.AdaptiveCard,
  Column: AC.Column,
  TableRow: AC.TableRow,
  TableCell: AC.TableCell,
};

export function validateAdaptiveCard(card: unknown): string[] {
  if (typeof card !== 'object' || card === null || Array.isArray(card)) return ['(card): not a JSON object'];
  const source = card as Record<string, unknown>;
  const problems: string[] = [];
  if (source.type !== 'AdaptiveCard') problems.push(`(card): "type" must be "AdaptiveCard" (got ${JSON.stringify(source.type)})`);
  const version = typeof source.version === 'string' ? AC.Version.parse(source.version, new AC.SerializationContext()) : undefined;
  if (source.version === undefined) problems.push('(card): "version" is required');
  else if (!version?.isValid) problems.push(`(card): "version" ${JSON.stringify(source.version)} is not a version`);
  else if (version.compareTo(AC.Version.parse(TEAMS_MAX_VERSION, new AC.SerializationContext())!) > 0) {
    problems.push(`(card): "version" ${source.version} is newer than Teams renders (${TEAMS_MAX_VERSION})`);
  }
  const target = version?.isValid ? version : AC.Versions.v1_5;
  problems.push(...sdkProblems(source, target));
  problems.push(...shapeProblems({ node: source, at: '(card)', ctor: AC.AdaptiveCard, version: target }));
  return [...new Set(problems)];
}

/** Throws with every problem listed; handy in tests: `assertValidAdaptiveCard(card)`. */
export function assertValidAdaptiveCard(card: unknown): void {
  const problems = validateAdaptiveCard(card);
  if (problems.length > 0) throw new Error(`invalid Adaptive Card:\n  ${problems.join('\n  ')}`);
}

/** The SDK's own parse events (targeting the card's version) and validation failures (under the Teams host config). */
function sdkProblems(source: Record<string, unknown>, version: AdaptiveCardsSdk.Version): string[] {
  const context = new AC.SerializationContext(version);
  const parsed = new AC.AdaptiveCard();
  parsed.hostConfig = teamsHostConfig;
  parsed.parse(source, context);
  const events: AdaptiveCardsSdk.IValidationEvent[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i));
  events.push(...parsed.validateProperties().validationEvents);
  return events.map((event) => `${where(event.source)}: ${event.message} (${AC.ValidationEvent[event.event]})`);
}

function where(source: AdaptiveCardsSdk.SerializableObject | undefined): string {
  if (!source || source instanceof AC.AdaptiveCard) return '(card)';
  const named = source as { getJsonTypeName?: () => string; id?: string };
  const type = named.getJsonTypeName?.() ?? 'object';
  return named.id ? `${type} "${named.id}"` : type;
}

/** Unknown and missing properties, walking the JSON beside the SDK class each object parses into. */
function shapeProblems(args: { node: Record<string, unknown>; at: string; ctor: Ctor | undefined; version: AdaptiveCardsSdk.Version }): string[] {
  const { node, at, version } = args;
  const type = typeof node.type === 'string' ? node.type : undefined;
  const registration = type ? registrationFor(type) : undefined;
  const klass = (registration?.objectType as unknown as Ctor | undefined) ?? (type ? UNREGISTERED[type] : undefined) ?? args.ctor;
  if (!klass) return []; // an unknown type: the SDK's parse already reported it
  if (registration && registration.schemaVersion.compareTo(version) > 0) {
    return [`${at} (${type}): needs card version ${registration.schemaVersion.toString()} or later (card is ${version.toString()})`];
  }
  const instance = new klass();
  const schema = instance.getSchema();
  const props = new Map<string, AdaptiveCardsSdk.PropertyDefinition>();
  for (let i = 0; i < schema.getCount(); i++) props.set(schema.getItemAt(i).name, schema.getItemAt(i));
  const typeName = type ?? klass.name;
  const structural = new Set(STRUCTURAL_KEYS[typeName] ?? []);
  const problems: string[] = [];
  for (const key of REQUIRED[typeName] ?? []) {
    if (node[key] === undefined || node[key] === null || node[key] === '') problems.push(`${at} (${typeName}): required property "${key}" is missing`);
  }
  for (const [key, value] of Object.entries(node)) {
    if (TEAMS_ONLY_KEYS.has(key) || key === 'data') continue; // action data is free-form
    const path = `${at}.${key}`;
    const prop = props.get(key);
    if (!prop && !structural.has(key) && key !== 'fallback') {
      problems.push(`${at} (${typeName}): unknown property "${key}"`);
      continue;
    }
    const childCtor = (prop as { objectType?: Ctor } | undefined)?.objectType;
    for (const [index, child] of Array.isArray(value) ? value.entries() : [[undefined, value] as const]) {
      if (typeof child !== 'object' || child === null) continue;
      const childAt = index === undefined ? path : `${path}[${index}]`;
      problems.push(...shapeProblems({ node: child as Record<string, unknown>, at: childAt, ctor: childCtor, version }));
    }
  }
  return problems;
}

function registrationFor(type: string) {
  return AC.GlobalRegistry.elements.findByName(type) ?? AC.GlobalRegistry.actions.findByName(type);
}
