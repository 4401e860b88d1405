CREATE TABLE "workflow_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"item_type" text NOT NULL,
	"crn" text NOT NULL,
	"state" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"facts" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "workflow_items_type_idx" ON "workflow_items" USING btree ("item_type","id");