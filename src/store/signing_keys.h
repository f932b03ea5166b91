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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

struct store_signing_key {
    char kid[48];
    int64_t period; /* 1 for the first key, +1 per rotation; unique */
    int64_t created_ms;
    char private_pem[4096]; /* PKCS#8 PEM */
    char n[512];            /* public modulus, base64url */
    char e[16];             /* public exponent, base64url */
};

/* SB_ERR_CONFLICT when a key of that period exists (another process made it first). */
sb_err store_signing_key_insert(struct store *st, const struct store_signing_key *k);
/* Every key, newest (highest period) first (*out is heap; caller frees). */
sb_err store_signing_key_list(struct store *st, struct store_signing_key **out, size_t *n);
/* Deletes the keys created before created_ms (retired keys whose tokens have all expired). */
sb_err store_signing_key_prune(struct store *st, int64_t created_ms);

#endif
