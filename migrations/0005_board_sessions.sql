CREATE TABLE "board_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"person_id" text,
	"provider" text NOT NULL,
	"csrf_secret" text NOT NULL,
	"pending" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "board_sessions" ADD CONSTRAINT "board_sessions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "board_sessions_expires_idx" ON "board_sessions" USING btree ("expires_at");