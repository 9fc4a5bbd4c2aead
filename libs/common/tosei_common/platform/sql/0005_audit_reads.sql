-- The audit trail reads per person and cannot be erased.
--
-- subject_id: the pseudonymous id of the person an entry is about (a client id, a registration
-- id, a console account id), when there is one, so that an auditor asks "who read or changed
-- anything about this person" with one index lookup. Reads (閲覧記録) are entries too: action
-- 'viewed', changes {"part": …}, never the values read.
ALTER TABLE audit_log ADD COLUMN subject_id text;

CREATE INDEX audit_log_subject ON audit_log (subject_id, at) WHERE subject_id IS NOT NULL;
CREATE INDEX audit_log_at ON audit_log (at);

-- Append-only: nobody rewrites or removes what was recorded. The one exception is erasure
-- (retention, a person's request), which anonymises the personal values an old entry carries:
-- inside a transaction that says `SET LOCAL tosei.erasure = 'on'`, an UPDATE may rewrite
-- `reason` and `changes` and nothing else. DELETE and TRUNCATE are always refused.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND coalesce(current_setting('tosei.erasure', true), '') = 'on' THEN
        IF (NEW.id, NEW.at, NEW.actor, NEW.entity, NEW.entity_id, NEW.action, NEW.subject_id)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor, OLD.entity, OLD.entity_id, OLD.action, OLD.subject_id) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_log: erasure may rewrite only reason and changes (entry %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation',
                  HINT = '監査記録は、消去のときも理由と変更内容の匿名化しかできません';
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % refused (the audit trail cannot be changed or erased)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = '監査記録（変更・閲覧の記録）は変更も削除もできません';
END
$$;

CREATE TRIGGER audit_log_append_only_rows
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_append_only_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
