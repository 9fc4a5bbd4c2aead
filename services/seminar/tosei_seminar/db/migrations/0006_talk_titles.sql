-- The title of each speaker's talk (演題), which the public page and the registration mail show
-- beside the keynote speaker. Optional: a speaker is often engaged before the title is fixed.
ALTER TABLE speakers ADD COLUMN talk_title text;
