CREATE INDEX "audit_event_at_idx" ON "audit_log" USING btree ("event","at");--> statement-breakpoint
CREATE INDEX "outbox_dead_idx" ON "outbox" USING btree ("created_at") WHERE status = 'dead';