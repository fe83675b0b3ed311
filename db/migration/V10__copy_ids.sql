-- A tree COPY gathers its subtree's ids in a temporary table of its own connection now
-- (copy_ids, made by TreeCopy), dropped whole when the copy ends and gone with the session:
-- the shared scratch table of V1__namespace.sql, whose rows every copy had to delete one by
-- one, is dropped, with any rows a crash left in it. Portable SQL (H2 and PostgreSQL).
DROP TABLE copy_work;
