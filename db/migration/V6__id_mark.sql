-- The next free row id, kept so that ids are never handed out twice, also when the rows with the
-- highest ids have been purged, and by several processes sharing the database (each reads it
-- again in every write, under the writers' lock). Portable SQL (H2 and PostgreSQL).

CREATE TABLE id_mark (
    next_id BIGINT NOT NULL
);

INSERT INTO id_mark (next_id) SELECT COALESCE(MAX(id), 2) + 1 FROM node;
