import { describe, expect, it } from 'vitest';
import { nodeSupport } from '../../src/ops/node-support.js';

describe('the Node line at start-up', () => {
  const today = new Date('2026-12-01T09:00:00Z');
  it('warns on Node 20 after its end of life (April 2026), not before', () => {
    expect(nodeSupport({ version: 'v20.20.2', today })).toEqual({
      major: 20,
      status: 'end-of-life',
      warning: 'Node v20.20.2 reached end of life on 2026-04-30 and gets no security fixes: upgrade to Node 22 or 24',
    });
    expect(nodeSupport({ version: 'v20.20.2', today: new Date('2026-04-30T12:00:00Z') })).toEqual({ major: 20, status: 'supported' });
  });
  it('is quiet on the supported LTS lines 22 and 24', () => {
    expect(nodeSupport({ version: 'v22.12.0', today })).toEqual({ major: 22, status: 'supported' });
    expect(nodeSupport({ version: 'v24.11.1', today })).toEqual({ major: 24, status: 'supported' });
  });
  it('says a line outside the tested ones is untested', () => {
    expect(nodeSupport({ version: 'v25.1.0', today })).toEqual({ major: 25, status: 'untested', warning: 'Node v25.1.0 is not a line dutydesk is tested on: use Node 22 or 24 (LTS)' });
  });
});
