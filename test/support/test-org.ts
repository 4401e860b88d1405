import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOrgText } from '../../src/config/org.loader.js';
import type { Org } from '../../src/config/org.schema.js';

export const EXAMPLE_ORG_FILE = fileURLToPath(new URL('../../org.example.yaml', import.meta.url));

/** The shipped example org (Slack ids U0AMARA, U0TOM, …), optionally changed by the test. */
export const exampleOrg = (change?: (text: string) => string): Org => {
  const text = readFileSync(EXAMPLE_ORG_FILE, 'utf8');
  return parseOrgText({ text: change ? change(text) : text, fileName: 'org.example.yaml' });
};

/** Slack user ids of the example org's people. */
export const SLACK = {
  amara: 'U0AMARA',
  ben: 'U0BEN',
  tom: 'U0TOM',
  priya: 'U0PRIYA',
  lena: 'U0LENA',
  joe: 'U0JOE',
  sam: 'U0SAM',
  dev: 'U0DEV',
  kate: 'U0KATE',
  omar: 'U0OMAR',
  rosa: 'U0ROSA',
  will: 'U0WILL',
} as const;
