-- Absences are part of the record of who could act for whom: a row is never deleted (`/away off` ends it by
-- setting ends_at), whichever role asks. Updates stay allowed (ending, marking the start as passed on).
CREATE OR REPLACE FUNCTION absences_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'absences are never deleted: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER absences_no_delete BEFORE DELETE ON absences FOR EACH ROW EXECUTE FUNCTION absences_refuse_delete();
--> statement-breakpoint
CREATE TRIGGER absences_no_truncate BEFORE TRUNCATE ON absences FOR EACH STATEMENT EXECUTE FUNCTION absences_refuse_delete();
