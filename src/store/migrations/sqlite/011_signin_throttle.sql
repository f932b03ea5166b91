-- Sign-in throttling shared by every server process (auth/throttle.c): one row per key
-- ("u:<lower-case UPN>" or "a:<client address>") holding the failures counted in the window
-- that opened with the first of them. Client assertions already used at the token endpoint
-- (graphconn/assertion.c): one row per client and jti until the assertion expires.

CREATE TABLE signin_failures (
    key      TEXT PRIMARY KEY,
    first_ms INTEGER NOT NULL,
    hits     INTEGER NOT NULL
);
CREATE INDEX signin_failures_first ON signin_failures (first_ms);

CREATE TABLE assertion_jtis (
    client_id TEXT NOT NULL,
    jti       TEXT NOT NULL,
    exp_ms    INTEGER NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX assertion_jtis_exp ON assertion_jtis (exp_ms);
