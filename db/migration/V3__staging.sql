-- Row -1 is the staging collection (negative, so that it cannot clash with the ids of stores
-- made before it existed). A tree COPY is built under it in transactions of bounded size, where
-- no request can see it, then moved into place with one row update. Rows left under it by a
-- crash are handed to the purger at start-up. Portable SQL (H2 and PostgreSQL).
INSERT INTO node (id, parent_id, name, is_collection, size_bytes, blob_hash, content_type, etag,
                  created_ms, modified_ms)
VALUES (-1, 0, '#staging', TRUE, 0, NULL, NULL, 'staging', 0, 0);
