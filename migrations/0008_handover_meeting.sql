ALTER TABLE "escalations" ADD COLUMN "handover_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "handover_link" text;