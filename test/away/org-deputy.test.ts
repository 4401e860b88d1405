import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/env.config.js';
import { parseOrgText } from '../../src/config/org.loader.js';

const orgWithDeputy = (deputy: string) => `organisation: Test Region
people:
  - { id: amara, name: Amara Okafor }
  - { id: tom, name: Tom Reyes }
  - { id: lena, name: Lena Novak }
units:
  - id: north-3
    name: North Team 3
    manager: tom
    deputy: ${deputy}
    members: [amara]
  - id: north-5
    name: North Team 5
    manager: lena
`;

const problemsOf = (text: string) => {
  try {
    parseOrgText({ text, fileName: '/etc/dutydesk/org.yaml' });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('units[].deputy in the org file', () => {
  it('accepts one of the unit members', () => {
    expect(problemsOf(orgWithDeputy('amara'))).toEqual([]);
    expect(parseOrgText({ text: orgWithDeputy('amara'), fileName: 'org.yaml' }).units[0]?.deputy).toBe('amara');
  });

  it('rejects an unknown person, someone outside the unit and the manager, each with its line', () => {
    expect(problemsOf(orgWithDeputy('bob'))).toEqual(['org.yaml:10 units[0].deputy: unknown person "bob" (expected an id listed under people)']);
    expect(problemsOf(orgWithDeputy('lena'))).toEqual(['org.yaml:10 units[0].deputy: "lena" is not a member of this unit (expected one of its members)']);
    expect(problemsOf(orgWithDeputy('tom'))).toEqual(['org.yaml:10 units[0].deputy: "tom" is the unit\'s manager: the deputy acts for the manager, so it must be someone else']);
  });
});
