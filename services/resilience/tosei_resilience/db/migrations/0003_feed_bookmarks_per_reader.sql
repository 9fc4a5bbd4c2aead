-- The change feed's bookmark becomes each reader's own: an officer's is keyed by who they are
-- (municipality:hiranai-kimura), no longer by their town (municipality:023019), so one officer
-- can no longer move it for the others.
--
-- A town's shared bookmark is kept as the town's starting point: an officer who has no bookmark
-- of their own yet starts from where the town had got to, instead of from the very first change.
-- It is never moved again; the first bookmark an officer sets is theirs alone.
CREATE TABLE feed_town_bookmarks (
    municipality text        PRIMARY KEY,
    seen_up_to   bigint      NOT NULL,
    updated_at   timestamptz NOT NULL,
    updated_by   text        NOT NULL
);

-- Only the towns' shared rows were keyed by a municipality code; people's rows are role:subject.
INSERT INTO feed_town_bookmarks (municipality, seen_up_to, updated_at, updated_by)
SELECT substr(reader, length('municipality:') + 1), seen_up_to, updated_at, updated_by
  FROM feed_bookmarks
 WHERE reader ~ '^municipality:[0-9]{6}$';

DELETE FROM feed_bookmarks WHERE reader ~ '^municipality:[0-9]{6}$';

COMMENT ON TABLE feed_bookmarks IS
    'Where each reader (role:subject, one person) last said they had looked in the change feed.';
COMMENT ON TABLE feed_town_bookmarks IS
    'A town''s shared bookmark from before bookmarks were per officer: where its officers start.';
