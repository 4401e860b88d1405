import { describe, expect, it } from 'vitest';
import { reachWarnings } from '../../src/delivery/reach.js';
import { slackReach } from '../../src/slack/slack-reach.js';
import { teamsReach } from '../../src/teams/teams-reach.js';
import { exampleOrg } from '../support/test-org.js';

describe('reach providers', () => {
  const org = exampleOrg((text) => text.replace('channel: { slack: C0NORTHPP }', 'channel: { slack: C0NORTHPP, teams: "19:pp@thread.tacv2" }'));
  const unit = (id: string) => org.units.find((entry) => entry.id === id)!;

  it('has nothing left that a platform accepts but never delivers (a Teams channel is delivered now)', () => {
    expect(reachWarnings({ reach: [slackReach, teamsReach], units: org.units })).toEqual([]);
  });

  it('gives each platform its own address for a unit channel', () => {
    expect(slackReach.unitChannel(unit('north-pp'))).toEqual({ platform: 'slack', kind: 'channel', id: 'C0NORTHPP' });
    expect(teamsReach.unitChannel(unit('north-pp'))).toEqual({ platform: 'teams', kind: 'channel', id: '19:pp@thread.tacv2' });
    expect(teamsReach.unitChannel(unit('north-3'))).toBeNull();
  });
});
