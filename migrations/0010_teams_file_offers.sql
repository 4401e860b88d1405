CREATE TABLE "teams_file_offers" (
	"id" text PRIMARY KEY NOT NULL,
	"aad_object_id" text NOT NULL,
	"person_id" text NOT NULL,
	"crn" text NOT NULL,
	"filename" text NOT NULL,
	"mime_type" text NOT NULL,
	"content" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "teams_file_offers_created_idx" ON "teams_file_offers" USING btree ("created_at");