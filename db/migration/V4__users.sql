-- Accounts (see docs/ARCHITECTURE.md, "Security"). Portable SQL (H2 and PostgreSQL).

CREATE TABLE dav_user (
    name          VARCHAR(256)  NOT NULL PRIMARY KEY,
    -- argon2id in the PHC string format, never the password
    password_hash VARCHAR(512)  NOT NULL,
    -- the folder the user sees as "/": a decoded path, "/" for the whole store
    root_path     VARCHAR(8192) NOT NULL,
    read_only     BOOLEAN       NOT NULL,
    -- most bytes of content under root_path; -1 for none
    quota_bytes   BIGINT        NOT NULL,
    is_admin      BOOLEAN       NOT NULL
);
