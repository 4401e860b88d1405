import { describe, expect, it } from 'vitest';
import { reachWarnings } from '../../src/delivery/reach.js';
import { slackReach } from '../../src/slack/slack-reach.js';
import { teamsReach } from '../../src/teams/teams-reach.js';
import { exampleOrg } from '../support/test-org.js';

describe('reach providers', () => {
  const org = exampleOrg((text) => text.replace('channel: { slack: C0NORTHPP }', 'channel: { slack: C0NORTHPP, teams: "19:pp@thread.tacv2" }'));
  const unit = (id: string) => org.units.find((entry) => entry.id === id)!;

  it('says at start which org settings no platform delivers to, instead of ignoring them', () => {
    expect(reachWarnings({ reach: [slackReach, teamsReach], units: org.units })).toEqual([
      'unit north-pp: channel.teams is set, but Teams channel messages are not delivered yet (its people still get their DMs)',
    ]);
  });

  it('gives each platform its own address for a unit channel', () => {
    expect(slackReach.unitChannel(unit('north-pp'))).toEqual({ platform: 'slack', kind: 'channel', id: 'C0NORTHPP' });
    expect(teamsReach.unitChannel(unit('north-pp'))).toBeNull();
  });
});
