CREATE TABLE "digest_runs" (
	"unit_id" text NOT NULL,
	"day" date NOT NULL,
	"ran_at" timestamp with time zone NOT NULL,
	"messages" integer NOT NULL,
	CONSTRAINT "digest_runs_unit_id_day_pk" PRIMARY KEY("unit_id","day")
);
--> statement-breakpoint
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