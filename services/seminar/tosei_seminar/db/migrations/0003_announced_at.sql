-- When the seminar was first announced (scheduled): from then on the public sees it, cancelled
-- or not; a draft cancelled before it was ever scheduled stays unpublished.
ALTER TABLE seminars ADD COLUMN announced_at timestamptz;
UPDATE seminars s SET announced_at = coalesce(
    (SELECT min(a.at) FROM audit_log a
     WHERE a.entity_id = s.id::text AND a.action = 'seminar.scheduled'),
    CASE WHEN s.state NOT IN ('planned', 'cancelled') THEN s.updated_at END);
