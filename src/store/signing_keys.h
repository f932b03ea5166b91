/*
 * store/signing_keys.h: signing keys of Switchboard's own tokens, for src/auth/jwt.c
 * (signing_keys.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_SIGNING_KEYS_H
#define SB_STORE_SIGNING_KEYS_H

#include "core/sb.h"
#include "model/signing_keys.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* SB_ERR_CONFLICT when a key of that period exists (another process made it first). */
sb_err store_signing_key_insert(struct store *st, const struct sb_signing_key *k);
/* Every key, newest (highest period) first; release with store_signing_key_free_array. */
sb_err store_signing_key_list(struct store *st, struct sb_signing_key **out, size_t *n);
/* Wipes each private key's text, then frees it and the array (NULL does nothing). */
void store_signing_key_free_array(struct sb_signing_key *keys, size_t n);
/* Deletes the keys created before created_ms (retired keys whose tokens have all expired). */
sb_err store_signing_key_prune(struct store *st, int64_t created_ms);

#endif
