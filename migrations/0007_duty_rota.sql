CREATE TABLE "duty_handovers" (
	"key" text PRIMARY KEY NOT NULL,
	"unit_id" text NOT NULL,
	"on_date" date NOT NULL,
	"from_ids" jsonb NOT NULL,
	"to_ids" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "duty_assignments" ADD COLUMN "until_date" date;