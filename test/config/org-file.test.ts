import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../src/config/env.config.js';
import { parseOrgText } from '../../src/config/org.loader.js';
import { exampleOrg } from '../support/test-org.js';

const problemsOf = (text: string) => {
  try {
    parseOrgText({ text, fileName: '/etc/dutydesk/org.yaml' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const base = `organisation: Test Region
people:
  - { id: amara, name: Amara Okafor, slack: U0AMARA }
  - { id: tom, name: Tom Reyes, slack: U0TOM }
units:
  - id: north-3
    name: North Team 3
    manager: tom
    members: [amara]
`;

describe('the org file', () => {
  it('parses the shipped example with every default filled in', () => {
    const org = exampleOrg();
    expect(org.organisation).toBe('North Region Probation');
    expect(org.units.map((unit) => unit.id)).toEqual(['north-3', 'north-5', 'north-pp', 'gateway-resettle']);
    expect(org.deadlines.countersign.urgent).toMatchObject({ kind: 'duration', hours: 2 });
    expect(org.deadlines.handover.standard).toMatchObject({ kind: 'workingDays', days: 5 });
    expect(org.reminders.repeatEvery).toMatchObject({ kind: 'duration', hours: 2 });
  });

  it('accepts JSON as well as YAML', () => {
    const json = JSON.stringify({ organisation: 'J', people: [{ id: 'a', name: 'A' }], units: [{ id: 'u', name: 'U', manager: 'a' }] });
    expect(parseOrgText({ text: json, fileName: 'org.json' }).units[0]?.manager).toBe('a');
  });

  it('reports five different mistakes as five lines, each naming the file, the line and the path', () => {
    const text = `organisation: Test Region
people:
  - { id: amara, name: Amara Okafor }
  - { id: tom, name: Tom Reyes }
  - { id: amara, name: Amara Again }
units:
  - id: north-3
    name: North Team 3
    manager: tom
    members: [amara, bob]
  - id: north-pp
    name: Public Protection
deadlines:
  countersign: { standard: "2 days" }
  acceptance: { urgent: PT1H }
reminders: { repeatEvery: soon }
`;
    const problems = problemsOf(text);
    expect(problems).toEqual([
      'org.yaml:5 people[2].id: duplicate person id "amara"',
      'org.yaml:10 units[0].members[1]: unknown person "bob" (expected an id listed under people)',
      'org.yaml:11 units[1].manager: is missing; expected an id (letters, digits, - or _)',
      'org.yaml:14 deadlines.countersign.standard: "2 days": expected an ISO 8601 duration (PT2H) or "N working days" / "N working hours"',
      'org.yaml:16 reminders.repeatEvery: "soon": expected an ISO 8601 duration (PT2H) or "N working days" / "N working hours"',
    ]);
  });

  it('names unknown units, bad ids, bad channels and reversed working hours', () => {
    const problems = problemsOf(`${base}    escalatesTo: nowhere
    channel: { slack: general }
workingHours: { start: "17:00", end: "09:00" }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/units\[0\]\.escalatesTo: unknown unit "nowhere"/),
        expect.stringMatching(/units\[0\]\.channel\.slack: expected a Slack channel id/),
        expect.stringMatching(/workingHours\.end: expected the end of working hours after the start/),
      ]),
    );
  });

  it('reports broken YAML with its line', () => {
    expect(problemsOf('organisation: [unclosed\npeople: 1\n')[0]).toMatch(/^org\.yaml:\d+: not valid YAML or JSON/);
  });

  it('parses the environment once with one line per bad variable', () => {
    expect(parseEnv({}).PORT).toBe(3000);
    expect(parseEnv({}).SWEEP_CRON).toBe('*/30 * * * * *');
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SWEEP_CRON: 'every minute' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'environment PORT: expected a port number',
        'environment DATABASE_URL: expected a postgres:// URL',
        'environment SWEEP_CRON: expected a node-cron expression, e.g. "0 9 * * 1-5"',
      ]);
    }
  });
});
