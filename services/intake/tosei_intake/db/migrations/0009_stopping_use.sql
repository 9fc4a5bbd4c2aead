-- A person's request to stop the use of their records (利用停止, 個人情報保護法 第98条): each
-- stop with who decided it and why, and its lifting (resume) the same way. At most one stop
-- stands per client; a lifted stop stays as history.
CREATE TABLE client_use_stops (
    client_id     uuid        NOT NULL REFERENCES clients (id),
    stopped_at    timestamptz NOT NULL,
    stopped_by    text        NOT NULL,
    reason        text        NOT NULL,
    resumed_at    timestamptz,
    resumed_by    text,
    resume_reason text,
    PRIMARY KEY (client_id, stopped_at),
    CHECK ((resumed_at IS NULL) = (resumed_by IS NULL))
);
CREATE UNIQUE INDEX client_use_stops_standing ON client_use_stops (client_id)
    WHERE resumed_at IS NULL;
