CREATE TABLE "slack_request_ledger" (
	"request_key" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "slack_request_ledger_expires_idx" ON "slack_request_ledger" USING btree ("expires_at");