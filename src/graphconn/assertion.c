/*
 * assertion.c: certificate credentials of app registrations (the "key" alternative to a client
 * secret): the registered certificate or public key, and the client assertion (RFC 7523) an
 * app signs with its private key, as MSAL builds it: RS256 (or PS256) over header.payload,
 * iss = sub = the client id, aud = the token endpoint, a short exp, and a jti that is never used
 * twice (a replayed assertion is refused).
 */
#include "graphconn/graphconn.h"
#include "store/signin.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FAIL(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)
#define ASSERTION_MAX_LIFETIME_S 3600
#define SKEW_S 300
#define JTI_MAX 128

/* The RSA public key of a PEM certificate or public key (NULL when it is neither). */
static EVP_PKEY *read_key(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *k = NULL;
    X509 *cert;

    if (!bio)
        return NULL;
    if (strstr(pem, "BEGIN CERTIFICATE")) {
        if ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
            k = X509_get_pubkey(cert);
            X509_free(cert);
        }
    } else {
        k = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    }
    BIO_free(bio);
    if (k && EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
        EVP_PKEY_free(k);
        k = NULL;
    }
    return k;
}

sb_err gc_public_key_normalise(const char *pem, char *out, size_t cap, struct sb_diag *diag)
{
    EVP_PKEY *k = read_key(pem);
    BIO *bio = NULL;
    char *data;
    long len;
    sb_err err = SB_OK;

    if (!k)
        return FAIL("certificate must be an RSA certificate or public key in PEM");
    if (EVP_PKEY_get_bits(k) < 2048) {
        EVP_PKEY_free(k);
        return FAIL("certificate must hold an RSA key of at least 2048 bits");
    }
    if (!(bio = BIO_new(BIO_s_mem())) || PEM_write_bio_PUBKEY(bio, k) != 1) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    len = BIO_get_mem_data(bio, &data);
    if (len <= 0 || (size_t)len >= cap) {
        err = FAIL("certificate: the key is too large");
        goto out;
    }
    memcpy(out, data, (size_t)len);
    out[len] = '\0';
out:
    BIO_free(bio);
    EVP_PKEY_free(k);
    return err;
}

/* Decodes a base64url part [s, s + n) into a new buffer (NUL-terminated). */
static unsigned char *b64_part(const char *s, size_t n, size_t *out_len)
{
    unsigned char *buf = malloc(n + 1);
    size_t len = 0;

    if (!buf)
        return NULL;
    if (sodium_base642bin(buf, n, s, n, NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    *out_len = len;
    return buf;
}

static bool verify_signature(EVP_PKEY *k, bool pss, const char *input, size_t input_len,
                             const unsigned char *sig, size_t sig_len)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    bool ok = false;

    if (!md || EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, k) != 1)
        goto out;
    if (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1))
        goto out;
    ok = EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)input, input_len) == 1;
out:
    EVP_MD_CTX_free(md);
    return ok;
}

sb_err gc_assertion_check(struct sb_ctx *ctx, const struct sb_gc_registration *reg,
                          const char *assertion, const char *audience)
{
    const char *dot1 = strchr(assertion, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    unsigned char *hdr = NULL, *body = NULL, *sig = NULL;
    size_t hlen, blen, slen;
    json_t *h = NULL, *p = NULL;
    EVP_PKEY *k = NULL;
    const char *alg, *iss, *sub, *aud, *jti;
    int64_t now = sb_now_ms(ctx) / 1000, exp, nbf;
    sb_err err = SB_ERR_UNAUTHORIZED;

    if (!reg->public_key[0] || !dot2 || strchr(dot2 + 1, '.'))
        return err;
    if (!(hdr = b64_part(assertion, (size_t)(dot1 - assertion), &hlen)) ||
        !(body = b64_part(dot1 + 1, (size_t)(dot2 - dot1 - 1), &blen)) ||
        !(sig = b64_part(dot2 + 1, strlen(dot2 + 1), &slen)) ||
        !(h = json_loadb((const char *)hdr, hlen, 0, NULL)) ||
        !(p = json_loadb((const char *)body, blen, 0, NULL)))
        goto out;
    alg = json_string_value(json_object_get(h, "alg"));
    if (!alg || (strcmp(alg, "RS256") != 0 && strcmp(alg, "PS256") != 0))
        goto out;
    if (!(k = read_key(reg->public_key)) ||
        !verify_signature(k, alg[0] == 'P', assertion, (size_t)(dot2 - assertion), sig, slen))
        goto out;
    iss = json_string_value(json_object_get(p, "iss"));
    sub = json_string_value(json_object_get(p, "sub"));
    aud = json_string_value(json_object_get(p, "aud"));
    exp = json_is_integer(json_object_get(p, "exp")) ? json_integer_value(json_object_get(p, "exp"))
                                                     : 0;
    nbf = json_is_integer(json_object_get(p, "nbf")) ? json_integer_value(json_object_get(p, "nbf"))
                                                     : now;
    if (!iss || !sub || !aud || strcasecmp(iss, reg->id) != 0 || strcasecmp(sub, reg->id) != 0 ||
        strcmp(aud, audience) != 0 || exp + SKEW_S < now || nbf > now + SKEW_S ||
        exp > now + ASSERTION_MAX_LIFETIME_S + SKEW_S)
        goto out;
    /* Each assertion is good for one token: its jti is remembered (by every server process)
     * until the assertion could no longer be accepted anyway. */
    jti = json_string_value(json_object_get(p, "jti"));
    if (!jti || !*jti || strlen(jti) > JTI_MAX)
        goto out;
    err = store_assertion_jti_use(ctx->store, reg->id, jti, (exp + SKEW_S) * 1000, sb_now_ms(ctx));
out:
    EVP_PKEY_free(k);
    json_decref(h);
    json_decref(p);
    free(hdr);
    free(body);
    free(sig);
    return err;
}
