import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOrgText } from '../../src/config/org.loader.js';
import type { Org } from '../../src/config/org.schema.js';

export const EXAMPLE_ORG_FILE = fileURLToPath(new URL('../../org.example.yaml', import.meta.url));

/** The shipped example org (the one `npm start` uses). */
export const exampleOrg = (): Org => parseOrgText({ text: readFileSync(EXAMPLE_ORG_FILE, 'utf8'), fileName: 'org.example.yaml' });

const slackId = (prefix: string, n: number) => `${prefix}${n.toString(36).toUpperCase().padStart(5, '0')}`;

/**
 * A large org for the scale benchmarks: `units` sending teams (a manager and `membersPerUnit` officers each, its
 * own Slack channel), all escalating to one public protection unit with a duty officer.
 */
export const largeOrg = (args: { units: number; membersPerUnit: number }): Org => {
  const people: string[] = ['  - { id: sam, name: Sam Senior, slack: U0SAM }', '  - { id: kate, name: Kate Morgan, slack: U0KATE }', '  - { id: dev, name: Dev Patel, slack: U0DEV }'];
  const units: string[] = ['  - { id: pp, name: Public Protection, manager: kate, seniorManager: sam, members: [dev], duty: [dev], receives: [escalations], channel: { slack: C0PP } }'];
  for (let u = 0; u < args.units; u += 1) {
    const manager = `m${u}`;
    people.push(`  - { id: ${manager}, name: Manager ${u}, slack: ${slackId('UM', u)} }`);
    const members: string[] = [];
    for (let m = 0; m < args.membersPerUnit; m += 1) {
      const id = `o${u}x${m}`;
      members.push(id);
      people.push(`  - { id: ${id}, name: Officer ${u}-${m}, slack: ${slackId('UO', u * args.membersPerUnit + m)} }`);
    }
    units.push(`  - { id: u${u}, name: Team ${u}, manager: ${manager}, seniorManager: sam, members: [${members.join(', ')}], escalatesTo: pp, channel: { slack: ${slackId('CU', u)} } }`);
  }
  const text = ['organisation: Bench Region', 'timezone: Europe/London', 'people:', ...people, 'units:', ...units, ''].join('\n');
  return parseOrgText({ text, fileName: 'bench-org.yaml' });
};
