-- The test service's own state: what its handler did with each widget event.
CREATE TABLE widget_changes (
    id         bigserial PRIMARY KEY,
    widget_id  text    NOT NULL,
    seq        integer NOT NULL,
    event_id   uuid    NOT NULL
);
