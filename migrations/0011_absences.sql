CREATE TABLE "absences" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"delegate_id" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_by" text,
	"ended_at" timestamp with time zone,
	"passed_at" timestamp with time zone,
	"revision" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "on_behalf_of" text;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "on_behalf_role" text;--> statement-breakpoint
CREATE INDEX "absences_person_idx" ON "absences" USING btree ("person_id","ends_at");--> statement-breakpoint
CREATE INDEX "absences_ends_idx" ON "absences" USING btree ("ends_at");