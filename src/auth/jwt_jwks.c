/*
 * jwt_jwks.c: verifying a single sign-on issuer's ID tokens against its JWKS (jwt_verify_jwks,
 * see jwt.h): the JWK of the token's kid made into an RSA key, then the RS256 check of jws.c.
 */
#include "auth/jwt.h"

#include "auth/jws.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The RSA public key of a JWK {kty:"RSA", n, e} (base64url big-endian integers). */
static EVP_PKEY *jwk_rsa_key(const json_t *jwk)
{
    const char *n64 = json_string_value(json_object_get(jwk, "n"));
    const char *e64 = json_string_value(json_object_get(jwk, "e"));
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    unsigned char *n = NULL, *e = NULL;
    size_t nlen = 0, elen = 0;
    BIGNUM *bn = NULL, *be = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    EVP_PKEY *key = NULL;

    if (!kty || strcmp(kty, "RSA") != 0 || !n64 || !e64 || strlen(n64) > 2048 || strlen(e64) > 64 ||
        jws_unb64url(n64, strlen(n64), &n, &nlen) != SB_OK ||
        jws_unb64url(e64, strlen(e64), &e, &elen) != SB_OK)
        goto out;
    /* RS256 with a key under 2048 bits is refused (RFC 7518 3.3). */
    if (nlen < 256 || !(bn = BN_bin2bn(n, (int)nlen, NULL)) ||
        !(be = BN_bin2bn(e, (int)elen, NULL)) || !(bld = OSSL_PARAM_BLD_new()) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) ||
        !(params = OSSL_PARAM_BLD_to_param(bld)) ||
        !(pctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) ||
        EVP_PKEY_fromdata_init(pctx) != 1 ||
        EVP_PKEY_fromdata(pctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
        key = NULL;
out:
    EVP_PKEY_CTX_free(pctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn);
    BN_free(be);
    free(n);
    free(e);
    return key;
}

/* The key of jwks that may have signed a token with this kid: the RSA signing key of that kid,
 * or without a kid the set's only RSA key. */
static const json_t *jwks_find(const json_t *jwks, const char *kid)
{
    const json_t *keys = json_object_get(jwks, "keys"), *found = NULL;
    size_t i, candidates = 0;
    json_t *k;

    json_array_foreach(keys, i, k)
    {
        const char *kty = json_string_value(json_object_get(k, "kty"));
        const char *use = json_string_value(json_object_get(k, "use"));
        const char *alg = json_string_value(json_object_get(k, "alg"));
        const char *id = json_string_value(json_object_get(k, "kid"));

        if (!kty || strcmp(kty, "RSA") != 0 || (use && strcmp(use, "sig") != 0) ||
            (alg && strcmp(alg, "RS256") != 0))
            continue;
        if (kid ? (id && strcmp(id, kid) == 0) : true) {
            found = k;
            candidates++;
        }
    }
    return candidates == 1 ? found : NULL;
}

sb_err jwt_verify_jwks(const char *token, const json_t *jwks, json_t **claims)
{
    const json_t *jwk;
    EVP_PKEY *key = NULL;
    struct jws j;
    sb_err err;

    *claims = NULL;
    err = jws_open(token, &j);
    if (err)
        return err;
    err = SB_ERR_UNAUTHORIZED;
    jwk = jwks_find(jwks, json_string_value(json_object_get(j.header, "kid")));
    if (jwk && (key = jwk_rsa_key(jwk)))
        err = jws_payload(&j, key, claims);
    EVP_PKEY_free(key);
    jws_release(&j);
    return err;
}
