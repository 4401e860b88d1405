import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The layering of the brief, checked on every run: a pure core, SDKs only at their edges. */
const root = fileURLToPath(new URL('..', import.meta.url));

const sourceFiles = (dir: string): string[] =>
  readdirSync(path.join(root, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(root, relative)).isDirectory()) return sourceFiles(relative);
    return name.endsWith('.ts') ? [relative] : [];
  });

const importsOf = (file: string) => {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2]) as string);
};

const violations = (files: string[], forbidden: RegExp) =>
  files.flatMap((file) =>
    importsOf(file)
      .filter((spec) => forbidden.test(spec))
      .map((spec) => `${file} imports ${spec}`),
  );

const all = [...sourceFiles('src'), ...sourceFiles('commands')];

describe('architecture boundaries', () => {
  it('keeps src/domain pure: no SDKs, drizzle, pg, node-cron, node I/O, process.env or system clock', () => {
    const domain = sourceFiles('src/domain');
    expect(domain.length).toBeGreaterThan(5);
    expect(violations(domain, /^(@slack|@microsoft|drizzle-orm|pg$|@electric-sql|node-cron|express|pino|prom-client|node:|\.\.\/(db|slack|teams|use-cases|config|http)\/)/)).toEqual([]);
    const clockOrEnv = domain.filter((file) => /process\.env|Date\.now\(\)|new Date\(\)|performance\.now\(\)/.test(readFileSync(path.join(root, file), 'utf8')));
    expect(clockOrEnv).toEqual([]);
  });

  it('lets only src/db import drizzle, pg and PGlite', () => {
    const outside = all.filter((file) => !file.startsWith(path.join('src', 'db')));
    expect(violations(outside, /^(drizzle-orm|pg$|@electric-sql\/pglite)/)).toEqual([]);
  });

  it('lets only src/slack import Slack SDKs and only src/teams import Microsoft SDKs', () => {
    expect(
      violations(
        all.filter((file) => !file.startsWith(path.join('src', 'slack'))),
        /^@slack\//,
      ),
    ).toEqual([]);
    expect(
      violations(
        all.filter((file) => !file.startsWith(path.join('src', 'teams'))),
        /^@microsoft\//,
      ),
    ).toEqual([]);
  });

  it('keeps workflow rules out of the platform folders (they call commands/ and use cases, never the state machines)', () => {
    const platform = [...sourceFiles('src/slack'), ...sourceFiles('src/teams')];
    expect(violations(platform, /domain\/(workflows|policy)\//)).toEqual([]);
  });

  it('reads process.env only at start-up (config and main)', () => {
    const code = (file: string) => readFileSync(path.join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const readers = all.filter((file) => /process\.env/.test(code(file)));
    expect(readers.sort()).toEqual([path.join('src', 'main.ts')]);
  });

  it('keeps source files short (under 400 lines; aim for 300)', () => {
    const long = all.filter((file) => readFileSync(path.join(root, file), 'utf8').split('\n').length > 400);
    expect(long).toEqual([]);
  });
});
