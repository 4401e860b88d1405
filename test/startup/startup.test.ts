import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `npm start` as a real process (the bundle `prestart` builds): what an administrator sees. */
const root = fileURLToPath(new URL('../..', import.meta.url));
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root });
});
const children: ChildProcess[] = [];
const dirs: string[] = [];

const start = (env: Record<string, string>) => {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.mjs'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = async () => {
    for (let i = 0; i < 300; i += 1) {
      const line = stdout.split('\n').find((text) => text.includes('dutydesk listening'));
      if (line) return JSON.parse(line) as Record<string, unknown>;
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no start-up line: ${stdout} ${stderr}`);
  };
  return { child, exited, listening, output: () => ({ stdout, stderr }) };
};

const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dutydesk-start-'));
  dirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('serves /healthz on the embedded database, says what it runs on, refuses a second process on the same data dir, and stops cleanly on SIGTERM', { timeout: 90_000 }, async () => {
    const dataDir = tempDir();
    const first = start({ DATA_DIR: dataDir });
    const line = await first.listening();
    expect(line).toMatchObject({
      databaseKind: 'embedded',
      organisation: 'North Region Probation',
      slack: 'not connected: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to connect Slack',
    });
    expect(String(line.teams)).toMatch(/\S/);
    // The Node it runs on, with a warning when that line is past its end of life.
    expect(String(line.node).startsWith(process.version)).toBe(true);
    const health = await fetch(`http://127.0.0.1:${line.port}/healthz`);
    expect(health.status).toBe(200);
    // `status` as before; the org's hash added so drift between replicas shows.
    expect(await health.json()).toEqual({
      status: 'ok',
      org: {
        sha256: createHash('sha256')
          .update(readFileSync(path.join(root, 'org.example.yaml')))
          .digest('hex'),
        loadedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
    const metrics = await (await fetch(`http://127.0.0.1:${line.port}/metrics`)).text();
    expect(metrics).toContain('dutydesk_outbox_rows{status="dead"} 0');

    const second = start({ DATA_DIR: dataDir });
    expect(await second.exited).toBe(1);
    expect(second.output().stderr).toContain(`The data directory ${dataDir} is in use by another dutydesk process (pid ${first.child.pid})`);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output().stdout).toContain('dutydesk stopped');

    // The same data dir opens again after a clean stop, with its data.
    const again = start({ DATA_DIR: dataDir });
    await again.listening();
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('stops at start with one line per problem in the org file and exit code 1', async () => {
    const dir = tempDir();
    const orgFile = path.join(dir, 'org.yaml');
    writeFileSync(orgFile, 'organisation: X\npeople:\n  - { id: a, name: A }\n  - { id: a, name: B }\nunits:\n  - { id: u, name: U, manager: z }\nreminders: { repeatEvery: often }\n');
    const run = start({ DATA_DIR: path.join(dir, 'data'), ORG_FILE: orgFile });
    expect(await run.exited).toBe(1);
    expect(run.output().stderr.trim().split('\n')).toEqual([
      'dutydesk: configuration error: org.yaml:4 people[1].id: duplicate person id "a"',
      'dutydesk: configuration error: org.yaml:6 units[0].manager: unknown person "z" (expected an id listed under people)',
      'dutydesk: configuration error: org.yaml:7 reminders.repeatEvery: "often": expected an ISO 8601 duration (PT2H) or "N working days" / "N working hours"',
    ]);
  });

  it('reloads the org file on SIGHUP: a bad file is refused line by line and the org kept, a good one applied', { timeout: 90_000 }, async () => {
    const dir = tempDir();
    const orgFile = path.join(dir, 'org.yaml');
    const good = readFileSync(path.join(root, 'org.example.yaml'), 'utf8');
    writeFileSync(orgFile, good);
    const run = start({ DATA_DIR: path.join(dir, 'data'), ORG_FILE: orgFile });
    const line = await run.listening();
    const health = async () => (await (await fetch(`http://127.0.0.1:${line.port}/healthz`)).json()) as { org: { sha256: string } };
    const before = (await health()).org.sha256;
    const waitFor = async (text: string) => {
      for (let i = 0; i < 300 && !run.output().stdout.includes(text); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      return run.output().stdout;
    };

    writeFileSync(orgFile, good.replace('manager: tom', 'manager: nobody'));
    run.child.kill('SIGHUP');
    const refused = await waitFor('the running organisation is unchanged');
    expect(refused).toContain('org reload refused: org.yaml:26 units[0].manager: unknown person \\"nobody\\" (expected an id listed under people)');
    expect((await health()).org.sha256).toBe(before);

    const next = good.replace('  - { id: will, name: Will Evans, slack: U0WILL }', '  - { id: will, name: Will Evans, slack: U0WILL }\n  - { id: nia, name: Nia Brooks, slack: U0NIA }');
    writeFileSync(orgFile, next);
    run.child.kill('SIGHUP');
    await waitFor('"msg":"org file reloaded"');
    expect((await health()).org.sha256).toBe(createHash('sha256').update(next).digest('hex'));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('stops at start on a bad environment, naming the variable', async () => {
    const run = start({ DATA_DIR: tempDir(), PORT: 'http', DIGEST_CRON: 'at nine' });
    expect(await run.exited).toBe(1);
    expect(run.output().stderr).toContain('dutydesk: configuration error: environment PORT: expected a port number');
    expect(run.output().stderr).toContain('dutydesk: configuration error: environment DIGEST_CRON: expected a node-cron expression');
  });

  it.skipIf(!process.env.DATABASE_URL)('runs on a PostgreSQL server when DATABASE_URL is set', async () => {
    const run = start({ DATA_DIR: tempDir(), DATABASE_URL: process.env.DATABASE_URL as string });
    const line = await run.listening();
    expect(line).toMatchObject({ databaseKind: 'server' });
    expect(String(line.database)).not.toContain('@');
    expect((await fetch(`http://127.0.0.1:${line.port}/healthz`)).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
