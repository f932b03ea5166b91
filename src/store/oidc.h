/*
 * store/oidc.h: single sign-on requests in progress (oidc.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike. In the database rather than in memory so that the
 * callback may reach another server process than the start did.
 */
#ifndef SB_STORE_OIDC_H
#define SB_STORE_OIDC_H

#include "core/sb.h"

#include <stdint.h>

struct store;

#define STORE_OIDC_TEXT_MAX 128 /* nonce and verifier: base64url of 32 random bytes */

/* Records an authorization request (state_hash: hex SHA-256 of its state), and deletes at most
 * 100 expired ones in the same transaction. */
sb_err store_oidc_login_put(struct store *st, const char *state_hash, const char *nonce,
                            const char *verifier, int64_t expires_ms, int64_t now_ms);
/* Deletes the request of state_hash and returns its nonce and verifier (buffers of
 * STORE_OIDC_TEXT_MAX + 1): once only. SB_ERR_NOT_FOUND when unknown, used or expired. */
sb_err store_oidc_login_take(struct store *st, const char *state_hash, int64_t now_ms, char *nonce,
                             char *verifier);

#endif
