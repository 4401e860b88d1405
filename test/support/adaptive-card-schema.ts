// Validates Adaptive Cards against a strict Adaptive Card 1.5 JSON schema (adaptive-card-1.5.schema.json, next to
// this file), after removing Teams-only keys. Returns readable problems; an empty list means valid.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** Keys Teams adds on top of the Adaptive Card schema; removed (at any depth) before validation. */
const TEAMS_ONLY_KEYS = new Set(['msteams']);

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(new URL('./adaptive-card-1.5.schema.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: true, discriminator: true });
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as
    (a: Ajv, formats: string[]) => Ajv;
  addFormats(ajv, ['uri-reference']);
  compiled = ajv.compile(schema);
  return compiled;
}

export function validateAdaptiveCard(card: unknown): string[] {
  const stripped = stripTeamsKeys(card);
  const validate = validator();
  const problems: string[] = [];
  if (!validate(stripped)) problems.push(...withoutNoise(validate.errors ?? []).map(describe));
  problems.push(...semanticProblems(stripped));
  return [...new Set(problems)];
}

/** Throws with every problem listed; handy in tests: `assertValidAdaptiveCard(card)`. */
export function assertValidAdaptiveCard(card: unknown): void {
  const problems = validateAdaptiveCard(card);
  if (problems.length > 0) throw new Error(`invalid Adaptive Card:\n  ${problems.join('\n  ')}`);
}

export function stripTeamsKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripTeamsKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value)
    .filter(([key]) => !TEAMS_ONLY_KEYS.has(key))
    .map(([key, v]) => [key, stripTeamsKeys(v)]));
}

/** Drops the follow-on errors of nullable enums ("must be null", "must match a schema in anyOf"). */
function withoutNoise(errors: ErrorObject[]): ErrorObject[] {
  const isNoise = (e: ErrorObject): boolean =>
    e.keyword === 'anyOf' || (e.keyword === 'type' && (e.params as { type?: string }).type === 'null');
  return errors.filter((e) => !isNoise(e) || !errors.some((o) => o !== e && !isNoise(o) && o.instancePath === e.instancePath));
}

function describe(error: ErrorObject): string {
  const at = error.instancePath || '(card)';
  if (error.keyword === 'discriminator') {
    const { tagValue } = error.params as { tagValue?: unknown };
    return `${at}: unknown or missing "type" ${JSON.stringify(tagValue)}`;
  }
  if (error.keyword === 'additionalProperties') {
    return `${at}: unknown property "${String((error.params as { additionalProperty: string }).additionalProperty)}"`;
  }
  if (error.keyword === 'enum') {
    return `${at}: ${error.message ?? 'bad value'} (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
  }
  return `${at}: ${error.message ?? error.keyword}`;
}

/** Rules the schema cannot express: unique ids, Action.Execute needs a card version of at least 1.4. */
function semanticProblems(card: unknown): string[] {
  if (typeof card !== 'object' || card === null) return [];
  const problems: string[] = [];
  const ids = new Map<string, number>();
  let hasExecute = false;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute') hasExecute = true;
    if (typeof record.id === 'string' && typeof record.type === 'string' && record.type !== 'AdaptiveCard') {
      ids.set(record.id, (ids.get(record.id) ?? 0) + 1);
    }
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'data') walk(value); // action data is free-form
    }
  };
  walk(card);
  for (const [id, count] of ids) if (count > 1) problems.push(`(card): id "${id}" is used ${count} times`);
  const version = Number((card as { version?: unknown }).version);
  if (hasExecute && Number.isFinite(version) && version < 1.4) {
    problems.push('(card): Action.Execute needs "version" 1.4 or later');
  }
  return problems;
}
