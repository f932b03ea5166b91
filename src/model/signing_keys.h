/*
 * model/signing_keys.h: a key that signs Switchboard's own tokens (private PEM and public JWK
 * parts).
 *
 * Part of the model: the records that services hand to handlers and to the store, types
 * only. The store (store/signing_keys.h) reads and writes them; services and api/ use them without
 * seeing the store.
 */
#ifndef SB_MODEL_SIGNING_KEYS_H
#define SB_MODEL_SIGNING_KEYS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One signing key pair, identified by kid; rotated by period. */
struct sb_signing_key {
    char kid[48];
    int64_t period; /* 1 for the first key, +1 per rotation; unique */
    int64_t created_ms;
    char *private_pem; /* PKCS#8 PEM, owned: store_signing_key_free_array wipes and frees it */
    char n[512];       /* public modulus, base64url */
    char e[16];        /* public exponent, base64url */
};

#endif
