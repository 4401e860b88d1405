-- Decisions carry the rationales: like the audit log, the database itself refuses UPDATE, DELETE and TRUNCATE on
-- them. A table owner can still disable these triggers: run the bot as a runtime role that owns nothing
-- (MIGRATIONS_DATABASE_URL, README "Database roles") and only the owner can.
CREATE OR REPLACE FUNCTION decisions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'decisions are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER decisions_no_update BEFORE UPDATE OR DELETE ON decisions FOR EACH ROW EXECUTE FUNCTION decisions_refuse_change();
--> statement-breakpoint
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions FOR EACH STATEMENT EXECUTE FUNCTION decisions_refuse_change();
