-- Small content in the database. A file's content up to JdbcStore.INLINE_MAX bytes is kept in
-- the blob row that numbers it (V9__blob_order.sql) instead of in the blob store: writing it is
-- then part of the one commit that names it, made durable by the group flush with the commits
-- of other writers, where a blob file costs two forces of its own, the file and its folder
-- (docs/ARCHITECTURE.md, "Storage model" and "Durability"). NULL: the content is in the blob
-- store. The bytes go with the row, in the transaction that drops the last name of the content.
-- Portable SQL (H2 and PostgreSQL both take BYTEA).
ALTER TABLE blob ADD COLUMN data BYTEA;
