-- Single sign-on in progress (auth/oidc.c): one row per authorization request sent to the
-- OpenID provider, keyed by the SHA-256 (hex) of its `state`, holding the `nonce` the ID token
-- must carry and the PKCE code verifier. The callback deletes the row it uses (a replayed
-- callback finds nothing); rows of abandoned sign-ins are deleted in batches once expired.

CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_ms);
