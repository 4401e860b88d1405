CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"event" text NOT NULL,
	"item_type" text,
	"item_id" integer,
	"crn" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deadlines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_type" text NOT NULL,
	"item_id" integer NOT NULL,
	"kind" text NOT NULL,
	"unit_id" text NOT NULL,
	"owners" jsonb NOT NULL,
	"urgent" boolean NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"met_at" timestamp with time zone,
	"met_by" text,
	"policy" jsonb NOT NULL,
	"next_check_at" timestamp with time zone NOT NULL,
	"owner_reminders_sent" integer DEFAULT 0 NOT NULL,
	"last_owner_reminder_at" timestamp with time zone,
	"manager_reminded_at" timestamp with time zone,
	"senior_reminded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_type" text NOT NULL,
	"item_id" integer NOT NULL,
	"action" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"rationale" text,
	"platform" text,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duty_assignments" (
	"id" serial PRIMARY KEY NOT NULL,
	"unit_id" text NOT NULL,
	"on_date" date NOT NULL,
	"person_ids" jsonb NOT NULL,
	"set_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" serial PRIMARY KEY NOT NULL,
	"crn" text NOT NULL,
	"noms" text,
	"rosh_current" text NOT NULL,
	"rosh_new" text NOT NULL,
	"mappa_category" integer,
	"mappa_level" integer,
	"reason" text NOT NULL,
	"urgency" text NOT NULL,
	"summary" text NOT NULL,
	"oasys_reviewed" boolean NOT NULL,
	"sender_unit_id" text NOT NULL,
	"receiving_unit_id" text NOT NULL,
	"raised_by" text NOT NULL,
	"countersigner_id" text NOT NULL,
	"state" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"accepted_by" text,
	"new_case_manager_id" text,
	"handover_old_confirmed_at" timestamp with time zone,
	"handover_new_confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "message_refs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_type" text NOT NULL,
	"item_id" integer NOT NULL,
	"platform" text NOT NULL,
	"person_id" text,
	"channel" text NOT NULL,
	"message_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"platform" text NOT NULL,
	"target" jsonb NOT NULL,
	"payload" jsonb NOT NULL,
	"item_type" text,
	"item_id" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slack_user_id" text,
	"teams_aad_id" text,
	"email" text,
	"in_org_file" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" serial PRIMARY KEY NOT NULL,
	"crn" text NOT NULL,
	"noms" text,
	"referral_type" text NOT NULL,
	"provider_unit_id" text NOT NULL,
	"sender_unit_id" text NOT NULL,
	"prison" text NOT NULL,
	"release_date" date NOT NULL,
	"release_type" text NOT NULL,
	"needs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"refer_by" date NOT NULL,
	"late_weeks" integer DEFAULT 0 NOT NULL,
	"raised_by" text NOT NULL,
	"assigned_worker_id" text,
	"state" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "teams_conversations" (
	"aad_object_id" text PRIMARY KEY NOT NULL,
	"reference" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_members" (
	"unit_id" text NOT NULL,
	"person_id" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "unit_members_unit_id_person_id_pk" PRIMARY KEY("unit_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"manager_id" text NOT NULL,
	"senior_manager_id" text,
	"escalates_to" text,
	"receives" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"slack_channel" text,
	"teams_channel" text,
	"default_duty" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"in_org_file" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_actor_id_people_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD CONSTRAINT "duty_assignments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD CONSTRAINT "duty_assignments_set_by_people_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_sender_unit_id_units_id_fk" FOREIGN KEY ("sender_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_receiving_unit_id_units_id_fk" FOREIGN KEY ("receiving_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_raised_by_people_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_countersigner_id_people_id_fk" FOREIGN KEY ("countersigner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_accepted_by_people_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_new_case_manager_id_people_id_fk" FOREIGN KEY ("new_case_manager_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_provider_unit_id_units_id_fk" FOREIGN KEY ("provider_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_sender_unit_id_units_id_fk" FOREIGN KEY ("sender_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_raised_by_people_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_assigned_worker_id_people_id_fk" FOREIGN KEY ("assigned_worker_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_members" ADD CONSTRAINT "unit_members_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_members" ADD CONSTRAINT "unit_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_manager_id_people_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_senior_manager_id_people_id_fk" FOREIGN KEY ("senior_manager_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_crn_idx" ON "audit_log" USING btree ("crn");--> statement-breakpoint
CREATE INDEX "audit_item_idx" ON "audit_log" USING btree ("item_type","item_id");--> statement-breakpoint
CREATE INDEX "deadlines_open_next_check_idx" ON "deadlines" USING btree ("next_check_at") WHERE met_at IS NULL;--> statement-breakpoint
CREATE INDEX "deadlines_item_idx" ON "deadlines" USING btree ("item_type","item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deadlines_open_kind_uq" ON "deadlines" USING btree ("item_type","item_id","kind") WHERE met_at IS NULL;--> statement-breakpoint
CREATE INDEX "decisions_item_idx" ON "decisions" USING btree ("item_type","item_id");--> statement-breakpoint
CREATE INDEX "duty_unit_date_idx" ON "duty_assignments" USING btree ("unit_id","on_date","id");--> statement-breakpoint
CREATE INDEX "escalations_crn_idx" ON "escalations" USING btree ("crn");--> statement-breakpoint
CREATE INDEX "escalations_state_idx" ON "escalations" USING btree ("state");--> statement-breakpoint
CREATE INDEX "message_refs_item_idx" ON "message_refs" USING btree ("item_type","item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_uq" ON "outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "people_slack_idx" ON "people" USING btree ("slack_user_id");--> statement-breakpoint
CREATE INDEX "people_teams_idx" ON "people" USING btree ("teams_aad_id");--> statement-breakpoint
CREATE INDEX "referrals_crn_idx" ON "referrals" USING btree ("crn");