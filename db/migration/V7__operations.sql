-- Depth operations (COPY, MOVE, DELETE, PROPFIND run on the worker pool) and the captured results
-- of those started with Prefer: respond-async, so that any node sharing the database can report
-- an operation another node runs (docs/ARCHITECTURE.md, "Operations"). Portable SQL (H2 and
-- PostgreSQL). Times are milliseconds since the epoch, as in lock_entry.

CREATE TABLE operations (
    -- 128 random bits, hex: the id is a capability
    id              VARCHAR(32)    NOT NULL PRIMARY KEY,
    -- the principal that started it; NULL for an anonymous client
    owner           VARCHAR(256),
    method          VARCHAR(16)    NOT NULL,
    -- the target as its owner sees it (under the owner's root folder)
    path            VARCHAR(8192)  NOT NULL,
    submitted_ms    BIGINT         NOT NULL,
    -- QUEUED, RUNNING, DONE or FAILED
    state           VARCHAR(8)     NOT NULL,
    phase           VARCHAR(64)    NOT NULL,
    done_count      BIGINT         NOT NULL,
    -- -1 while unknown
    total_count     BIGINT         NOT NULL,
    bytes           BIGINT         NOT NULL,
    processing_sent INTEGER        NOT NULL,
    -- the final HTTP status; 0 until finished
    status          INTEGER        NOT NULL,
    outcome         VARCHAR(8192)  NOT NULL,
    finished_ms     BIGINT,
    -- the process that runs it, and when that process last said it was alive
    node            VARCHAR(256)   NOT NULL,
    heartbeat_ms    BIGINT         NOT NULL,
    -- the captured response of a Prefer: respond-async operation, once finished: its status,
    -- its headers as "Name: value" lines, and its body as a blob of the store (NULL: no body)
    result_status   INTEGER,
    result_headers  VARCHAR(65536),
    result_blob     VARCHAR(64),
    result_bytes    BIGINT
);

CREATE INDEX operations_finished ON operations (finished_ms);
CREATE INDEX operations_result_blob ON operations (result_blob);
