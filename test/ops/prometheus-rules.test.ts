import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The shipped alert rules, checked by Prometheus's own promtool (Debian's `prometheus` package; `.ci/run`
 * installs it). Outside CI a machine without promtool skips with a message; in CI a missing promtool fails.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const hasPromtool = found.status === 0;
if (!hasPromtool && !process.env.CI) {
  process.stderr.write('prometheus-rules.test: promtool not found, skipping (apt-get install prometheus to run it)\n');
}
const alertsIn = (text: string) => [...text.matchAll(/^\s+- alert: (\S+)/gm)].map((match) => match[1]);

describe.skipIf(!hasPromtool && !process.env.CI)('ops/prometheus-rules.yml', () => {
  const promtool = (args: string[]) => execFileSync('promtool', args, { cwd: path.join(root, 'ops'), encoding: 'utf8' });
  it('is valid and every alert fires (and stays quiet) as its series file expects', () => {
    expect(hasPromtool, "promtool must be installed in CI (.ci/run installs Debian's prometheus)").toBe(true);
    expect(promtool(['check', 'rules', 'prometheus-rules.yml'])).toContain('SUCCESS: 8 rules found');
    const files = readdirSync(path.join(root, 'ops', 'tests'))
      .filter((name) => name.endsWith('.test.yml'))
      .sort();
    expect(files).toEqual([
      'org-reload-failed.test.yml',
      'outbox-backlog-old.test.yml',
      'outbox-dead-rows.test.yml',
      'overdue-deadlines-rising.test.yml',
      'sweep-not-running.test.yml',
      'teams-people-unreachable.test.yml',
      'unit-channel-unreachable.test.yml',
    ]);
    const output = promtool(['test', 'rules', ...files.map((name) => `tests/${name}`)]);
    expect(output.match(/SUCCESS/g)).toHaveLength(files.length);
  });
  it('has a runbook line in docs/operations.md for every alert', async () => {
    const { readFileSync } = await import('node:fs');
    const rules = readFileSync(path.join(root, 'ops', 'prometheus-rules.yml'), 'utf8');
    const runbook = readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8');
    const alerts = alertsIn(rules);
    expect(alerts).toEqual([
      'DutydeskOutboxDeadRows',
      'DutydeskOutboxBacklogOld',
      'DutydeskOverdueDeadlinesRising',
      'DutydeskSweepNotRunning',
      'DutydeskOrgReloadFailed',
      'DutydeskTeamsPeopleUnreachable',
      'DutydeskUnitChannelUnreachable',
    ]);
    for (const alert of alerts) expect(runbook, alert).toMatch(new RegExp(`^#### ${alert}\\n.+`, 'm'));
  });
});
