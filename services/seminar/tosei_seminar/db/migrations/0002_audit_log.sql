-- Who changed what now lives in the platform's audit trail (audit_log, one shape for every
-- service). The seminar's own change_log is copied there, in its order, and dropped: a seminar's
-- entries become entity 'seminar' with the seminar's id; the rotation overrides logged for a year
-- that had no seminar become entity 'rotation' with the fiscal year.
INSERT INTO audit_log (at, actor, entity, entity_id, action, reason, changes)
SELECT at,
       actor,
       CASE WHEN seminar_id IS NULL THEN 'rotation' ELSE 'seminar' END,
       COALESCE(seminar_id::text, detail ->> 'fiscal_year', ''),
       action,
       detail ->> 'reason',
       detail
FROM change_log
ORDER BY id;

DROP TABLE change_log;
