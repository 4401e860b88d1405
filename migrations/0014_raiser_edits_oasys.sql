ALTER TABLE "decisions" ADD COLUMN "changes" jsonb;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "oasys_ref" text;