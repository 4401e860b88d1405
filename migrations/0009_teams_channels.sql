CREATE TABLE "teams_channels" (
	"channel_id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"name" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams_teams" (
	"team_id" text PRIMARY KEY NOT NULL,
	"name" text,
	"service_url" text NOT NULL,
	"tenant_id" text,
	"installed_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "teams_channels" ADD CONSTRAINT "teams_channels_team_id_teams_teams_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams_teams"("team_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "teams_channels_team_idx" ON "teams_channels" USING btree ("team_id");