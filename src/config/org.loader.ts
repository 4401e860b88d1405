import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { ConfigError } from './env.config.js';
import { type Org, crossReferenceIssues, orgSchema } from './org.schema.js';

/** ORG_FILE, else ./org.yaml, else ./org.example.yaml (README.md "The org file"). */
export const resolveOrgFile = (args: { orgFile?: string; cwd: string }): string => {
  if (args.orgFile) return path.resolve(args.cwd, args.orgFile);
  const own = path.resolve(args.cwd, 'org.yaml');
  return existsSync(own) ? own : path.resolve(args.cwd, 'org.example.yaml');
};

const formatPath = (segments: readonly PropertyKey[]) =>
  segments.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text ? `${text}.${String(segment)}` : String(segment);
  }, '');

const valueAt = (root: unknown, segments: readonly PropertyKey[]) =>
  segments.reduce<unknown>((value, segment) => (value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment] : undefined), root);

/**
 * Parse and validate an org file's text (YAML, or JSON which YAML reads too). Throws a ConfigError with one
 * line per problem: `file:line path: what was expected`.
 */
export const parseOrgText = (args: { text: string; fileName: string }): Org => {
  const lineCounter = new LineCounter();
  const doc = parseDocument(args.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const name = path.basename(args.fileName);
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => {
        const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
        return `${name}:${line}: not valid YAML or JSON: ${error.message.split('\n')[0]}`;
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Unresolved aliases, alias bombs and the like: still one located line, never a crash.
    const line = doc.contents?.range ? lineCounter.linePos(doc.contents.range[0]).line : 1;
    throw new ConfigError([`${name}:${line}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`]);
  }
  const parsed = orgSchema.safeParse(raw);
  if (parsed.success) return parsed.data;

  const lineOf = (segments: readonly PropertyKey[]) => {
    for (let depth = segments.length; depth >= 0; depth -= 1) {
      const node = doc.getIn(segments.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return 1;
  };
  // Zod skips the cross-entry checks when other parts fail: run them on the raw input so every mistake shows.
  const seen = new Set(parsed.error.issues.map((issue) => `${formatPath(issue.path)}|${issue.message}`));
  const extra = crossReferenceIssues(raw).filter((issue) => !seen.has(`${formatPath(issue.path)}|${issue.message}`));
  const issues = [...parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message, code: issue.code })), ...extra.map((issue) => ({ ...issue, code: 'custom' }))];
  issues.sort((a, b) => lineOf(a.path) - lineOf(b.path));
  throw new ConfigError(
    issues.map((issue) => {
      const missing = issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined;
      const message = missing ? `is missing; ${issue.message}` : issue.message;
      const where = formatPath(issue.path) || '(top level)';
      return `${name}:${lineOf(issue.path)} ${where}: ${message}`;
    }),
  );
};

export const loadOrgFile = (filePath: string): Org => {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new ConfigError([`${filePath}: cannot read the org file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseOrgText({ text, fileName: filePath });
};
