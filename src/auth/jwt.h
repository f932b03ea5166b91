/*
 * jwt.h: RS256 tokens signed by Switchboard (actionable-message calls to connector services,
 * and bearer tokens of Graph connectors).
 *
 * Keys (RSA 2048, kid = RFC 7638 thumbprint) live in the store (table signing_keys), one per
 * rotation period (a unique number: when processes race to make one, one wins). A key signs for
 * JWT_ROTATE_MS; the next one is made JWT_PREPUBLISH_MS before it takes over and is published in
 * the JWKS from then on, so that services caching the JWKS know it before its first token. An
 * older key stays published until every token it can have signed has expired (JWT_MAX_TTL_MS
 * after its successor took over, plus the cache period and clock skew); then it is deleted.
 * Several processes may share the database: a key one process made is found by the others when
 * they reload (every JWT_CACHE_MS, or at once on a token with an unknown kid, at most once per
 * JWT_RELOAD_MIN_MS so that made-up kids cannot turn every request into a store read).
 *
 * The private keys are stored as plain PEM in the database: whoever reads the database can sign
 * tokens (the same holds for the webhook key in meta). Protect backups accordingly.
 *
 * Cache: ctx->jwt (may be NULL: then every call reads the store) holds the parsed keys; it is
 * the module's one piece of shared mutable state, behind its own mutex.
 */
#ifndef SB_AUTH_JWT_H
#define SB_AUTH_JWT_H

#include "core/sb.h"

#include <jansson.h>

#define JWT_ROTATE_MS (7LL * 24 * 3600 * 1000)
#define JWT_PREPUBLISH_MS (24LL * 3600 * 1000)
#define JWT_MAX_TTL_MS (3600LL * 1000) /* the longest token jwt_sign accepts (exp - iat) */
#define JWT_CACHE_MS (60LL * 1000)
#define JWT_RELOAD_MIN_MS (5LL * 1000) /* least time between reloads forced by unknown kids */
#define JWT_SKEW_S 60                  /* clock skew tolerated by jwt_verify */

struct jwt_cache;

sb_err jwt_cache_new(struct jwt_cache **out);
void jwt_cache_free(struct jwt_cache *c);
/* How many times the cache has loaded the keys from the store (for tests and /metrics). */
unsigned long long jwt_cache_loads(struct jwt_cache *c);

/* Signs claims (borrowed; iat and exp set by the caller, exp - iat <= JWT_MAX_TTL_MS) with the
 * current key, making or rotating the key when due. SB_ERR_INVALID when iat/exp are missing or
 * the lifetime is too long. *token is heap. */
sb_err jwt_sign(struct sb_ctx *ctx, json_t *claims, char **token);
/* Verifies one of our own tokens: header alg RS256 and a known kid, the signature, exp (and
 * nbf when present) with JWT_SKEW_S of skew, iss = the public URL. The audience is the caller's
 * to check. SB_ERR_UNAUTHORIZED for any failure; *claims is a new reference. */
sb_err jwt_verify(struct sb_ctx *ctx, const char *token, json_t **claims);
/* Verifies a token signed by another issuer (an OpenID provider's ID token) against its JWKS
 * ({keys:[{kty:"RSA", kid, n, e}]}): header alg RS256 only, the key named by the header's kid
 * (without a kid, the set's only RSA key), the signature. No claim is checked: iss, aud, exp
 * and nonce are the caller's. SB_ERR_UNAUTHORIZED for any failure; *claims is a new reference. */
sb_err jwt_verify_jwks(const char *token, const json_t *jwks, json_t **claims);
/* The published keys: {keys:[{kty,use,kid,alg,n,e}]} (new reference), read from the store (not
 * the cache), so a key another process just made is listed. */
sb_err jwt_jwks(struct sb_ctx *ctx, json_t **jwks);
/* The discovery document: issuer = the public URL, jwks_uri (new reference). */
sb_err jwt_openid_configuration(struct sb_ctx *ctx, json_t **doc);

#endif
