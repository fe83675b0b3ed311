-- A counter of changes to the accounts, raised in the transaction of every change to dav_user.
-- Servers sharing the database cache successful logins; each reads this counter again at most a
-- second after it last did and forgets its cache when it has moved, so that a changed password,
-- a removed user or a new one counts on every server (docs/DEPLOY.md). Portable SQL.

CREATE TABLE user_generation (
    generation BIGINT NOT NULL
);

INSERT INTO user_generation (generation) VALUES (0);
