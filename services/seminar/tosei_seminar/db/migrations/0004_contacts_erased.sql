-- Retention (docs/personal-data.md): a registrant's e-mail and phone are erased a year (the
-- council's setting) after their seminar; the names, roles and towns on their certificate stay.
ALTER TABLE registrations ADD COLUMN contacts_erased_at timestamptz;
DO $$
DECLARE found text;
BEGIN
    SELECT conname INTO found FROM pg_constraint
     WHERE conrelid = 'registrations'::regclass AND contype = 'c'
       AND pg_get_constraintdef(oid) LIKE '%email_key IS NOT NULL%phone_key IS NOT NULL%';
    IF found IS NOT NULL THEN
        EXECUTE format('ALTER TABLE registrations DROP CONSTRAINT %I', found);
    END IF;
END $$;
ALTER TABLE registrations ADD CONSTRAINT registrations_contact_or_erased
    CHECK (email_key IS NOT NULL OR phone_key IS NOT NULL OR contacts_erased_at IS NOT NULL);
