-- A session or an outcome recorded by mistake is voided, not deleted: it stays (and on the
-- timeline) with the moment it was voided, and every count leaves it out.
ALTER TABLE sessions ADD COLUMN voided_at timestamptz;
ALTER TABLE outcomes ADD COLUMN voided_at timestamptz;
