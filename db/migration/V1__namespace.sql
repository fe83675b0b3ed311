-- The namespace as an adjacency list, and dead properties.
-- Portable SQL: runs on H2 2.x and PostgreSQL alike.

CREATE TABLE node (
    id            BIGINT       NOT NULL PRIMARY KEY,
    -- 0 for the two top rows (root and trash); otherwise the parent collection's id
    parent_id     BIGINT       NOT NULL,
    name          VARCHAR(4096) NOT NULL,
    is_collection BOOLEAN      NOT NULL,
    size_bytes    BIGINT       NOT NULL,
    -- SHA-256 (hex) of the content in the blob store; NULL for collections
    blob_hash     VARCHAR(64),
    content_type  VARCHAR(1024),
    etag          VARCHAR(80)  NOT NULL,
    created_ms    BIGINT       NOT NULL,
    modified_ms   BIGINT       NOT NULL,
    CONSTRAINT node_parent_name UNIQUE (parent_id, name)
);

CREATE INDEX node_blob_hash ON node (blob_hash);

-- Row 1 is the root collection. Row 2 is the trash: DELETE moves a subtree under it in
-- constant time and the purger removes what it holds.
INSERT INTO node (id, parent_id, name, is_collection, size_bytes, blob_hash, content_type, etag,
                  created_ms, modified_ms)
VALUES (1, 0, '', TRUE, 0, NULL, NULL, 'root', 0, 0),
       (2, 0, '#trash', TRUE, 0, NULL, NULL, 'trash', 0, 0);

CREATE TABLE prop (
    node_id    BIGINT        NOT NULL,
    ns         VARCHAR(4096) NOT NULL,
    local_name VARCHAR(4096) NOT NULL,
    -- the whole property element as sent, namespace declarations made self-contained
    xml        VARCHAR(1048576) NOT NULL,
    PRIMARY KEY (node_id, ns, local_name)
);

-- Scratch rows for set-based tree copies: the subtree's ids, level by level.
CREATE TABLE copy_work (
    op    BIGINT  NOT NULL,
    id    BIGINT  NOT NULL,
    depth INTEGER NOT NULL,
    PRIMARY KEY (op, id)
);

CREATE INDEX copy_work_depth ON copy_work (op, depth);
