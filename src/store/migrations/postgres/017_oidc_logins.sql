-- Single sign-on in progress (PostgreSQL twin of ../sqlite/017_oidc_logins.sql).

CREATE TABLE oidc_logins (
    state_hash TEXT COLLATE "C" PRIMARY KEY,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_ms);
