-- Sign-in throttling and used client-assertion ids (PostgreSQL twin of
-- ../sqlite/011_signin_throttle.sql).

CREATE TABLE signin_failures (
    key      TEXT COLLATE "C" PRIMARY KEY,
    first_ms BIGINT NOT NULL,
    hits     INTEGER NOT NULL
);
CREATE INDEX signin_failures_first ON signin_failures (first_ms);

CREATE TABLE assertion_jtis (
    client_id TEXT COLLATE "C" NOT NULL,
    jti       TEXT COLLATE "C" NOT NULL,
    exp_ms    BIGINT NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX assertion_jtis_exp ON assertion_jtis (exp_ms);
