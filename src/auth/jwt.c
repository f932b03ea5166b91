/*
 * jwt.c: signing and verifying Switchboard's RS256 tokens, key rotation and the JWKS
 * (see jwt.h).
 */
#include "auth/jwt.h"

#include "auth/jws.h"

#include "core/config.h"
#include "core/log.h"
#include "store/store.h"
#include "store/signing_keys.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jwt_key {
    char kid[48];
    int64_t period;
    int64_t created_ms;
    char n[512];
    char e[16];
    EVP_PKEY *pkey;
};

struct key_set {
    struct jwt_key *keys; /* newest first */
    size_t n;
    int64_t max_period; /* of every stored key, readable or not */
};

/* Cache of the parsed keys of the store (a copy: the store is the truth). */
struct jwt_cache {
    pthread_mutex_t mu;
    struct key_set set;
    int64_t loaded_ms;         /* 0 = never */
    int64_t kid_reload_ms;     /* the last reload asked for by an unknown kid */
    unsigned long long loads;  /* loads from the store, for jwt_cache_loads */
    pthread_mutex_t rotate_mu; /* one key generation at a time in this process */
};

static void set_free(struct key_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        EVP_PKEY_free(s->keys[i].pkey);
    free(s->keys);
    s->keys = NULL;
    s->n = 0;
}

/* A copy whose keys the caller owns (reference counts taken). */
static sb_err set_copy(const struct key_set *from, struct key_set *to)
{
    to->n = 0;
    to->keys = NULL;
    to->max_period = from->max_period;
    if (!from->n)
        return SB_OK;
    to->keys = malloc(from->n * sizeof(*to->keys));
    if (!to->keys)
        return SB_ERR_NOMEM;
    for (size_t i = 0; i < from->n; i++) {
        to->keys[i] = from->keys[i];
        EVP_PKEY_up_ref(to->keys[i].pkey);
    }
    to->n = from->n;
    return SB_OK;
}

sb_err jwt_cache_new(struct jwt_cache **out)
{
    struct jwt_cache *c = calloc(1, sizeof(*c));

    if (!c)
        return SB_ERR_NOMEM;
    if (pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c);
        return SB_ERR_NOMEM;
    }
    if (pthread_mutex_init(&c->rotate_mu, NULL) != 0) {
        pthread_mutex_destroy(&c->mu);
        free(c);
        return SB_ERR_NOMEM;
    }
    *out = c;
    return SB_OK;
}

unsigned long long jwt_cache_loads(struct jwt_cache *c)
{
    unsigned long long n;

    pthread_mutex_lock(&c->mu);
    n = c->loads;
    pthread_mutex_unlock(&c->mu);
    return n;
}

void jwt_cache_free(struct jwt_cache *c)
{
    if (!c)
        return;
    set_free(&c->set);
    pthread_mutex_destroy(&c->mu);
    pthread_mutex_destroy(&c->rotate_mu);
    free(c);
}

static sb_err b64url(const unsigned char *in, size_t n, char *out, size_t cap)
{
    if (sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING) > cap)
        return SB_ERR_INVALID;
    sodium_bin2base64(out, cap, in, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return SB_OK;
}

static EVP_PKEY *pem_to_key(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *k = NULL;

    if (!bio)
        return NULL;
    k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return k;
}

static sb_err load_set(struct sb_ctx *ctx, struct key_set *out)
{
    struct sb_signing_key *rows = NULL;
    size_t n = 0;
    sb_err err = store_signing_key_list(ctx->store, &rows, &n);

    out->keys = NULL;
    out->n = 0;
    out->max_period = n ? rows[0].period : 0;
    if (err)
        return err;
    if (n && !(out->keys = calloc(n, sizeof(*out->keys)))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        struct jwt_key *k = &out->keys[out->n];
        k->pkey = pem_to_key(rows[i].private_pem);
        if (!k->pkey) {
            sb_log_error("signing key %s cannot be read; skipped", rows[i].kid);
            continue;
        }
        snprintf(k->kid, sizeof(k->kid), "%s", rows[i].kid);
        snprintf(k->n, sizeof(k->n), "%s", rows[i].n);
        snprintf(k->e, sizeof(k->e), "%s", rows[i].e);
        k->created_ms = rows[i].created_ms;
        k->period = rows[i].period;
        out->n++;
    }
out:
    store_signing_key_free_array(rows, n);
    if (err)
        set_free(out);
    return err;
}

/* Whether a token with an unknown kid may reload the keys now. Anyone can send such tokens,
 * so that happens at most once per JWT_RELOAD_MIN_MS after the last load or forced reload;
 * the others are judged on the keys at hand. */
static bool kid_reload_due(struct sb_ctx *ctx)
{
    struct jwt_cache *c = ctx->jwt;
    int64_t now = sb_now_ms(ctx), last;
    bool due;

    if (!c)
        return true;
    pthread_mutex_lock(&c->mu);
    last = c->kid_reload_ms > c->loaded_ms ? c->kid_reload_ms : c->loaded_ms;
    due = !c->loaded_ms || now < last || now - last >= JWT_RELOAD_MIN_MS;
    if (due)
        c->kid_reload_ms = now;
    pthread_mutex_unlock(&c->mu);
    return due;
}

/* The keys as the caller's own copy: from the cache when fresh (and !reload). */
static sb_err get_keys(struct sb_ctx *ctx, bool reload, struct key_set *out)
{
    struct jwt_cache *c = ctx->jwt;
    struct key_set fresh;
    int64_t now = sb_now_ms(ctx);
    sb_err err;

    if (!c)
        return load_set(ctx, out);
    pthread_mutex_lock(&c->mu);
    if (c->loaded_ms && !reload && now - c->loaded_ms < JWT_CACHE_MS && now >= c->loaded_ms) {
        err = set_copy(&c->set, out);
        pthread_mutex_unlock(&c->mu);
        return err;
    }
    c->loads++;
    pthread_mutex_unlock(&c->mu);
    err = load_set(ctx, &fresh);
    if (err)
        return err;
    err = set_copy(&fresh, out);
    if (err) {
        set_free(&fresh);
        return err;
    }
    pthread_mutex_lock(&c->mu);
    set_free(&c->set);
    c->set = fresh;
    c->loaded_ms = now;
    pthread_mutex_unlock(&c->mu);
    return SB_OK;
}

static sb_err bn_param_b64(EVP_PKEY *k, const char *name, char *out, size_t cap)
{
    BIGNUM *bn = NULL;
    unsigned char buf[512];
    int len;
    sb_err err = SB_ERR_IO;

    if (EVP_PKEY_get_bn_param(k, name, &bn) != 1)
        return SB_ERR_IO;
    len = BN_num_bytes(bn);
    if (len > 0 && (size_t)len <= sizeof(buf) && BN_bn2bin(bn, buf) == len)
        err = b64url(buf, (size_t)len, out, cap);
    BN_free(bn);
    return err;
}

/* A new RSA 2048 key of `period`, stored under its RFC 7638 thumbprint. Another process may
 * have made that period's key first: then theirs stays and this one is dropped. */
static sb_err make_key(struct sb_ctx *ctx, int64_t period)
{
    struct sb_signing_key *row = calloc(1, sizeof(*row));
    EVP_PKEY *k = NULL;
    BIO *bio = NULL;
    char *pem = NULL, *canon = NULL;
    unsigned char digest[crypto_hash_sha256_BYTES];
    long pem_len;
    sb_err err = SB_ERR_IO;

    if (!row)
        return SB_ERR_NOMEM;
    k = EVP_RSA_gen(2048);
    bio = BIO_new(BIO_s_mem());
    if (!k || !bio || PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) != 1)
        goto out;
    pem_len = BIO_get_mem_data(bio, &pem);
    if (pem_len <= 0)
        goto out;
    if (!(row->private_pem = strndup(pem, (size_t)pem_len))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if (bn_param_b64(k, OSSL_PKEY_PARAM_RSA_N, row->n, sizeof(row->n)) != SB_OK ||
        bn_param_b64(k, OSSL_PKEY_PARAM_RSA_E, row->e, sizeof(row->e)) != SB_OK)
        goto out;
    /* RFC 7638: SHA-256 of the required members in lexicographic order, no blanks. */
    if (asprintf(&canon, "{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}", row->e, row->n) < 0) {
        canon = NULL;
        err = SB_ERR_NOMEM;
        goto out;
    }
    crypto_hash_sha256(digest, (const unsigned char *)canon, strlen(canon));
    err = b64url(digest, sizeof(digest), row->kid, sizeof(row->kid));
    row->created_ms = sb_now_ms(ctx);
    row->period = period;
    if (!err)
        err = store_signing_key_insert(ctx->store, row);
    if (!err)
        sb_log_info("new token signing key %s", row->kid);
    else if (err == SB_ERR_CONFLICT)
        err = SB_OK; /* another process's key of this period is the one */
out:
    free(canon);
    BIO_free(bio);
    EVP_PKEY_free(k);
    store_signing_key_free_array(row, 1);
    return err;
}

/* Deletes the keys that can no longer have a valid token: key i signs until its successor
 * (keys[i - 1]) starts signing, JWT_PREPUBLISH_MS after it appeared, and its tokens live
 * JWT_MAX_TTL_MS more (plus a cache period in other processes, and clock skew). */
static bool prune(struct sb_ctx *ctx, const struct key_set *s)
{
    int64_t now = sb_now_ms(ctx);

    for (size_t i = 1; i < s->n; i++) {
        int64_t retire_at = s->keys[i - 1].created_ms + JWT_PREPUBLISH_MS + JWT_MAX_TTL_MS +
                            JWT_CACHE_MS + JWT_SKEW_S * 1000LL;
        if (now > retire_at) {
            if (store_signing_key_prune(ctx->store, s->keys[i].created_ms + 1) != SB_OK) {
                sb_log_error("cannot delete retired signing keys");
                return false;
            }
            return true;
        }
    }
    return false;
}

/* The next key is made JWT_PREPUBLISH_MS before it is due to sign, so that services that cache
 * the JWKS have seen it before the first token it signs. */
static bool needs_key(const struct key_set *s, int64_t now)
{
    return s->n == 0 || now - s->keys[0].created_ms >= JWT_ROTATE_MS - JWT_PREPUBLISH_MS;
}

/* The key that signs now: the newest one published for JWT_PREPUBLISH_MS, or, before any has
 * been (a new installation), the first one. */
static const struct jwt_key *signer(const struct key_set *s, int64_t now)
{
    for (size_t i = 0; i < s->n; i++)
        if (now - s->keys[i].created_ms >= JWT_PREPUBLISH_MS)
            return &s->keys[i];
    return s->n ? &s->keys[s->n - 1] : NULL;
}

/* The keys (the caller owns the set), making the next one when due. fresh: read the store
 * rather than the cache (the JWKS must list a key another process made a moment ago). */
static sb_err signing_keys(struct sb_ctx *ctx, bool fresh, struct key_set *s)
{
    int64_t now = sb_now_ms(ctx);
    sb_err err = get_keys(ctx, fresh, s);

    if (err || !needs_key(s, now))
        return err;
    set_free(s);
    if (ctx->jwt)
        pthread_mutex_lock(&ctx->jwt->rotate_mu);
    /* Another thread or process may have made one meanwhile. */
    err = get_keys(ctx, true, s);
    if (!err && needs_key(s, now)) {
        int64_t period = s->max_period + 1;
        set_free(s);
        err = make_key(ctx, period);
        if (!err)
            err = get_keys(ctx, true, s);
        if (!err && prune(ctx, s)) {
            set_free(s);
            err = get_keys(ctx, true, s);
        }
    }
    if (ctx->jwt)
        pthread_mutex_unlock(&ctx->jwt->rotate_mu);
    if (!err && s->n == 0)
        err = SB_ERR_IO;
    return err;
}

static sb_err b64url_text(const char *text, char **out)
{
    size_t len = strlen(text);
    size_t cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);

    *out = malloc(cap);
    if (!*out)
        return SB_ERR_NOMEM;
    sodium_bin2base64(*out, cap, (const unsigned char *)text, len,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return SB_OK;
}

sb_err jwt_sign(struct sb_ctx *ctx, json_t *claims, char **token)
{
    struct key_set s = {NULL, 0, 0};
    const struct jwt_key *key;
    json_t *header = NULL;
    json_t *iat = json_object_get(claims, "iat"), *exp = json_object_get(claims, "exp");
    char *htext = NULL, *ptext = NULL, *h64 = NULL, *p64 = NULL, *input = NULL;
    unsigned char sig[512];
    char sig64[700];
    size_t sig_len = sizeof(sig);
    EVP_MD_CTX *md = NULL;
    sb_err err;

    *token = NULL;
    if (!json_is_object(claims) || !json_is_integer(iat) || !json_is_integer(exp) ||
        json_integer_value(exp) <= json_integer_value(iat) ||
        (json_integer_value(exp) - json_integer_value(iat)) * 1000 > JWT_MAX_TTL_MS)
        return SB_ERR_INVALID;
    err = signing_keys(ctx, false, &s);
    if (err)
        return err;
    key = signer(&s, sb_now_ms(ctx));
    header = json_pack("{s:s,s:s,s:s}", "alg", "RS256", "kid", key->kid, "typ", "JWT");
    htext = header ? json_dumps(header, JSON_COMPACT) : NULL;
    ptext = json_dumps(claims, JSON_COMPACT);
    if (!htext || !ptext || b64url_text(htext, &h64) || b64url_text(ptext, &p64) ||
        asprintf(&input, "%s.%s", h64, p64) < 0) {
        input = NULL;
        err = SB_ERR_NOMEM;
        goto out;
    }
    md = EVP_MD_CTX_new();
    if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key->pkey) != 1 ||
        EVP_DigestSign(md, sig, &sig_len, (const unsigned char *)input, strlen(input)) != 1) {
        err = SB_ERR_IO;
        goto out;
    }
    err = b64url(sig, sig_len, sig64, sizeof(sig64));
    if (!err && asprintf(token, "%s.%s", input, sig64) < 0) {
        *token = NULL;
        err = SB_ERR_NOMEM;
    }
out:
    EVP_MD_CTX_free(md);
    free(htext);
    free(ptext);
    free(h64);
    free(p64);
    free(input);
    json_decref(header);
    set_free(&s);
    return err;
}

static const struct jwt_key *find_kid(const struct key_set *s, const char *kid)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->keys[i].kid, kid) == 0)
            return &s->keys[i];
    return NULL;
}

static bool claims_current(struct sb_ctx *ctx, json_t *claims)
{
    int64_t now_s = sb_now_ms(ctx) / 1000;
    json_t *exp = json_object_get(claims, "exp"), *nbf = json_object_get(claims, "nbf");
    const char *iss = json_string_value(json_object_get(claims, "iss"));

    if (!json_is_integer(exp) || json_integer_value(exp) + JWT_SKEW_S <= now_s)
        return false;
    if (nbf && (!json_is_integer(nbf) || json_integer_value(nbf) - JWT_SKEW_S > now_s))
        return false;
    return iss && ctx->cfg && strcmp(iss, ctx->cfg->public_url) == 0;
}

sb_err jwt_verify(struct sb_ctx *ctx, const char *token, json_t **claims)
{
    struct key_set s = {NULL, 0, 0};
    const struct jwt_key *k;
    struct jws j;
    json_t *body = NULL;
    const char *kid;
    sb_err err;

    *claims = NULL;
    err = jws_open(token, &j);
    if (err)
        return err;
    err = SB_ERR_UNAUTHORIZED;
    kid = json_string_value(json_object_get(j.header, "kid"));
    if (!kid || get_keys(ctx, false, &s) != SB_OK)
        goto out;
    k = find_kid(&s, kid);
    if (!k) {
        /* Maybe a key another process made since the last load. */
        set_free(&s);
        if (!kid_reload_due(ctx) || get_keys(ctx, true, &s) != SB_OK || !(k = find_kid(&s, kid)))
            goto out;
    }
    if (jws_payload(&j, k->pkey, &body) != SB_OK || !claims_current(ctx, body))
        goto out;
    *claims = body;
    body = NULL;
    err = SB_OK;
out:
    json_decref(body);
    jws_release(&j);
    set_free(&s);
    return err;
}

sb_err jwt_jwks(struct sb_ctx *ctx, json_t **jwks)
{
    struct key_set s = {NULL, 0, 0};
    json_t *keys = NULL;
    sb_err err = signing_keys(ctx, true, &s);

    *jwks = NULL;
    if (err)
        return err;
    keys = json_array();
    if (!keys) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < s.n; i++)
        if (json_array_append_new(keys, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "kty", "RSA", "use",
                                                  "sig", "kid", s.keys[i].kid, "alg", "RS256", "n",
                                                  s.keys[i].n, "e", s.keys[i].e)) != 0) {
            err = SB_ERR_NOMEM;
            goto out;
        }
    *jwks = json_pack("{s:O}", "keys", keys);
    if (!*jwks)
        err = SB_ERR_NOMEM;
out:
    json_decref(keys);
    set_free(&s);
    return err;
}

sb_err jwt_openid_configuration(struct sb_ctx *ctx, json_t **doc)
{
    char jwks_uri[600];
    const char *base = ctx->cfg->public_url;

    char token[600], authorize[600];

    snprintf(jwks_uri, sizeof(jwks_uri), "%s/.well-known/jwks.json", base);
    /* MSAL requires token_endpoint and authorization_endpoint (Graph connector apps get
     * client-credential tokens there; there is no interactive sign-in endpoint). */
    snprintf(token, sizeof(token), "%s/%s/oauth2/v2.0/token", base, ctx->tenant_id);
    snprintf(authorize, sizeof(authorize), "%s/%s/oauth2/v2.0/authorize", base, ctx->tenant_id);
    *doc = json_pack("{s:s,s:s,s:s,s:s,s:[s],s:[s],s:[s],s:[s]}", "issuer", base, "jwks_uri",
                     jwks_uri, "token_endpoint", token, "authorization_endpoint", authorize,
                     "id_token_signing_alg_values_supported", "RS256", "response_types_supported",
                     "token", "subject_types_supported", "public",
                     "token_endpoint_auth_methods_supported", "client_secret_post");
    return *doc ? SB_OK : SB_ERR_NOMEM;
}
