/*
 * auth/jws.h: reading an RS256 compact JWS (jws.c), private to auth/.
 *
 * Both token checks use it: jwt.c's for Switchboard's own tokens (keys from the store) and
 * jwt_jwks.c's for ID tokens of a single sign-on issuer (keys from its JWKS). Only RS256 is
 * read: never "none", never an HMAC keyed with a public key.
 */
#ifndef SB_AUTH_JWS_H
#define SB_AUTH_JWS_H

#include "core/sb.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stddef.h>

struct jws {
    const char *token;
    const char *dot1, *dot2; /* the two separators of header.payload.signature */
    json_t *header;          /* owned: jws_release */
};

/* Splits token (at most 16 KiB, three parts) and decodes its header, which must name RS256;
 * SB_ERR_UNAUTHORIZED otherwise. On success release it with jws_release. */
sb_err jws_open(const char *token, struct jws *out);
/* Checks the signature with key and gives the payload (a JSON object) in *payload. */
sb_err jws_payload(const struct jws *j, EVP_PKEY *key, json_t **payload);
void jws_release(struct jws *j);

/* Decodes base64url text (len bytes) into a new heap buffer (NUL-terminated, *n bytes). */
sb_err jws_unb64url(const char *in, size_t len, unsigned char **out, size_t *n);

#endif
