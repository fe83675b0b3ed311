-- Digest authentication (RFC 7616), for users added or given a password with --digest.
-- Portable SQL (H2 and PostgreSQL).
--
-- Each column holds H(name ":" "depthdav" ":" password) in lower-case hex (RFC 7616 §3.4.2) for
-- the realm "depthdav". These are PASSWORD-EQUIVALENT (RFC 7616 §5.2): anyone who reads them can
-- log in as the user in that realm without knowing the password. Both are NULL for users without
-- Digest, and a password change without --digest sets them back to NULL.

ALTER TABLE dav_user ADD COLUMN ha1_sha256 VARCHAR(64);

ALTER TABLE dav_user ADD COLUMN ha1_md5 VARCHAR(32);
