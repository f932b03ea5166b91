/*
 * store/signin.h: sign-in throttling and client-assertion replay (signin.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_SIGNIN_H
#define SB_STORE_SIGNIN_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Counts one failed sign-in for each of keys[0..n) in a window of window_ms that opens with
 * the first failure (a key whose window ran out starts a new one). */
sb_err store_signin_fail(struct store *st, const char *const *keys, size_t n, int64_t now_ms,
                         int64_t window_ms);
/* The failures of key in its window if that window opened after since_ms (else 0), and when
 * the window opened. */
sb_err store_signin_failures(struct store *st, const char *key, int64_t since_ms, int64_t *hits,
                             int64_t *first_ms);
/* Forgets the failures of key (a successful sign-in). */
sb_err store_signin_reset(struct store *st, const char *key);
/* Records that client_id used the assertion id jti, valid until exp_ms; SB_ERR_CONFLICT when
 * it was used before and has not expired (a replay). */
sb_err store_assertion_jti_use(struct store *st, const char *client_id, const char *jti,
                               int64_t exp_ms, int64_t now_ms);

#endif
