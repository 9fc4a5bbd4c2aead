-- The benchmark consumer's effect: one small row per event, next to its inbox row.
CREATE TABLE samples (
    id bigserial PRIMARY KEY,
    n  integer NOT NULL
);
