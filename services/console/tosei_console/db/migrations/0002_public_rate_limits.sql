-- The public seminar pages' rate limits, counted here so that every console replica counts the
-- same hits: one client address gets the limit once, not once per replica. One row per client
-- and kind of use; only a keyed hash of the client's address is kept, and a row is deleted once
-- its last hit has left the window.
--
-- UNLOGGED: the rows never enter the write-ahead log, so the hashes are not copied into WAL
-- archives or standbys, where they would outlive the window. The price: after a crash or a
-- failover the counts start from zero (one more allowance per address, once), which a rate
-- limit can afford. (It is not for speed: bench/rate_limits.py measured no difference.)
CREATE UNLOGGED TABLE public_rate_limits (
    -- 'registrations' (registration posts) or 'lookups' (uses of a reference)
    kind            text NOT NULL,
    -- HMAC-SHA256 of the client's address (IPv6: its /64), cut to 16 bytes; never the address
    client_hash     bytea NOT NULL,
    -- the moments of the hits counted in the window, oldest first (at most the limit)
    hits            timestamptz[] NOT NULL,
    -- when the last of them leaves the window: from then on the row is deleted
    forget_at       timestamptz NOT NULL,
    PRIMARY KEY (kind, client_hash)
);
CREATE INDEX public_rate_limits_to_forget ON public_rate_limits (forget_at);
