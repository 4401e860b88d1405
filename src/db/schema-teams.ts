// Where the bot is installed in Microsoft Teams teams, kept apart from schema.ts (which re-exports it) so each schema
// file stays short. A unit's Teams channel is reachable only through a team row: its service URL and tenant.
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './schema-columns.js';

/** A team the app is installed in, from the install event (`conversationUpdate` with the team in channelData). */
export const teamsTeams = pgTable('teams_teams', {
  /** The team's id: the id of its General channel (`19:…@thread.tacv2`). */
  teamId: text('team_id').primaryKey(),
  name: text('name'),
  /** The connector the team's conversations are reached on (the install activity's serviceUrl). */
  serviceUrl: text('service_url').notNull(),
  tenantId: text('tenant_id'),
  installedAt: ts('installed_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** The channels of installed teams: a unit's `channel.teams` is posted to only when its row is here. */
export const teamsChannels = pgTable(
  'teams_channels',
  {
    channelId: text('channel_id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teamsTeams.teamId, { onDelete: 'cascade' }),
    name: text('name'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('teams_channels_team_idx').on(t.teamId)],
);
