-- Write locks (RFC 4918 class 2), durable across restarts. Portable SQL (H2 and PostgreSQL).

CREATE TABLE lock_entry (
    token        VARCHAR(200)  NOT NULL PRIMARY KEY,
    -- the decoded lock root path, "/"-separated, no trailing slash ("/" for the root)
    root_path    VARCHAR(8192) NOT NULL,
    is_exclusive BOOLEAN       NOT NULL,
    is_infinite  BOOLEAN       NOT NULL,
    -- the DAV:owner element exactly as sent
    owner_xml    VARCHAR(1048576),
    -- the authenticated principal that took the lock, once authentication exists
    principal    VARCHAR(1024),
    created_ms   BIGINT        NOT NULL,
    expires_ms   BIGINT        NOT NULL
);

CREATE INDEX lock_entry_root ON lock_entry (root_path);
CREATE INDEX lock_entry_expires ON lock_entry (expires_ms);
