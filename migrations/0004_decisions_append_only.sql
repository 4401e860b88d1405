-- Decisions are the record of who decided what: append-only, like the audit log (0001). One narrow exception:
-- retention (src/ops/retention.job.ts) may replace a rationale with the fixed marker '[removed after retention]'
-- and change nothing else in the row. Any other UPDATE, any DELETE and TRUNCATE are refused by the database.
CREATE OR REPLACE FUNCTION decisions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.rationale = '[removed after retention]'
     AND OLD.rationale IS NOT NULL
     AND (to_jsonb(NEW) - 'rationale') = (to_jsonb(OLD) - 'rationale') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'decisions are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER decisions_no_update BEFORE UPDATE OR DELETE ON decisions FOR EACH ROW EXECUTE FUNCTION decisions_refuse_change();
--> statement-breakpoint
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions FOR EACH STATEMENT EXECUTE FUNCTION decisions_refuse_change();
