/*
 * jws.c: reading an RS256 compact JWS (see jws.h).
 */
#include "auth/jws.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define JWS_MAX 16384

sb_err jws_unb64url(const char *in, size_t len, unsigned char **out, size_t *n)
{
    size_t cap = len * 3 / 4 + 3;
    unsigned char *buf = malloc(cap + 1);
    const char *end = NULL;

    if (!buf)
        return SB_ERR_NOMEM;
    if (sodium_base642bin(buf, cap, in, len, NULL, n, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != in + len) {
        free(buf);
        return SB_ERR_INVALID;
    }
    buf[*n] = '\0';
    *out = buf;
    return SB_OK;
}

static json_t *decode_part(const char *p, size_t len)
{
    unsigned char *raw = NULL;
    size_t n = 0;
    json_t *v;

    if (jws_unb64url(p, len, &raw, &n) != SB_OK)
        return NULL;
    v = json_loadb((const char *)raw, n, 0, NULL);
    free(raw);
    if (v && !json_is_object(v)) {
        json_decref(v);
        v = NULL;
    }
    return v;
}

sb_err jws_open(const char *token, struct jws *out)
{
    const char *alg;

    memset(out, 0, sizeof(*out));
    out->token = token;
    out->dot1 = token ? strchr(token, '.') : NULL;
    out->dot2 = out->dot1 ? strchr(out->dot1 + 1, '.') : NULL;
    if (!out->dot2 || strchr(out->dot2 + 1, '.') || strlen(token) > JWS_MAX)
        return SB_ERR_UNAUTHORIZED;
    out->header = decode_part(token, (size_t)(out->dot1 - token));
    alg = json_string_value(json_object_get(out->header, "alg"));
    if (!alg || strcmp(alg, "RS256") != 0) {
        jws_release(out);
        return SB_ERR_UNAUTHORIZED;
    }
    return SB_OK;
}

sb_err jws_payload(const struct jws *j, EVP_PKEY *key, json_t **payload)
{
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    EVP_MD_CTX *md = NULL;
    sb_err err = SB_ERR_UNAUTHORIZED;

    *payload = NULL;
    if (jws_unb64url(j->dot2 + 1, strlen(j->dot2 + 1), &sig, &sig_len) != SB_OK)
        goto out;
    md = EVP_MD_CTX_new();
    if (!md || EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
        EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)j->token,
                         (size_t)(j->dot2 - j->token)) != 1)
        goto out;
    *payload = decode_part(j->dot1 + 1, (size_t)(j->dot2 - j->dot1 - 1));
    if (*payload)
        err = SB_OK;
out:
    EVP_MD_CTX_free(md);
    free(sig);
    return err;
}

void jws_release(struct jws *j)
{
    json_decref(j->header);
    j->header = NULL;
}
