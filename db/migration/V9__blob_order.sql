-- Content in upload order. Every row that names a blob also carries the blob's sequence number,
-- taken from the id space when its content was first stored, and the index that answers "does
-- any row still name this blob" (asked before a blob is deleted) is on that number instead of
-- on the SHA-256. A hash index puts the rows of a copied subtree on leaf pages all over the
-- index, and H2 writes every page a statement dirtied; sequence numbers of content uploaded
-- together are neighbours, so the rows of a copy land on few pages
-- (bench/results/blob-order-20261202.md). Portable SQL (H2 and PostgreSQL).

-- One row per content that a row names, and only while one does: the row goes in the
-- transaction that drops the last reference (docs/ARCHITECTURE.md, "Storage model").
CREATE TABLE blob (
    -- SHA-256 (hex), as node.blob_hash
    hash VARCHAR(64) NOT NULL PRIMARY KEY,
    seq  BIGINT      NOT NULL
);

-- Existing content is numbered by the oldest row that names it (ids are unique and never
-- handed out again, and new numbers come from the same space, so numbers never clash).
INSERT INTO blob (hash, seq)
SELECT blob_hash, MIN(id) FROM node WHERE blob_hash IS NOT NULL GROUP BY blob_hash;

ALTER TABLE node ADD COLUMN blob_seq BIGINT;

UPDATE node SET blob_seq = (SELECT b.seq FROM blob b WHERE b.hash = node.blob_hash)
WHERE blob_hash IS NOT NULL;

CREATE INDEX node_blob_seq ON node (blob_seq);

DROP INDEX node_blob_hash;
