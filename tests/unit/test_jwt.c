/*
 * test_jwt.c: Switchboard's RS256 tokens: sign and verify, what verification refuses, the JWKS,
 * rotation after JWT_ROTATE_MS with the old key still published, retirement of old keys, and
 * reloads forced by unknown kids limited to one per JWT_RELOAD_MIN_MS.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "auth/jwt.h"
#include "ctx_fixture.h"
#include "store/signing_keys.h"

static json_t *claims_at(struct cfx *f, int64_t ttl_s)
{
    int64_t now = atomic_load(&f->now_ms) / 1000;

    return json_pack("{s:s,s:s,s:s,s:I,s:I}", "iss", f->cfg.public_url, "aud",
                     "https://svc.example", "sub", "user-1", "iat", (json_int_t)now, "exp",
                     (json_int_t)(now + ttl_s));
}

static char *sign(struct cfx *f, int64_t ttl_s)
{
    json_t *c = claims_at(f, ttl_s);
    char *token = NULL;

    assert_int_equal(jwt_sign(&f->ctx, c, &token), SB_OK);
    json_decref(c);
    assert_non_null(token);
    return token;
}

static size_t jwks_count(struct cfx *f, const char *kid)
{
    json_t *jwks = NULL, *k;
    size_t i, n = 0;

    assert_int_equal(jwt_jwks(&f->ctx, &jwks), SB_OK);
    json_array_foreach(json_object_get(jwks, "keys"), i, k)
    {
        assert_string_equal(json_string_value(json_object_get(k, "kty")), "RSA");
        assert_string_equal(json_string_value(json_object_get(k, "alg")), "RS256");
        assert_string_equal(json_string_value(json_object_get(k, "use")), "sig");
        assert_string_equal(json_string_value(json_object_get(k, "e")), "AQAB");
        assert_true(strlen(json_string_value(json_object_get(k, "n"))) == 342);
        if (!kid || strcmp(kid, json_string_value(json_object_get(k, "kid"))) == 0)
            n++;
    }
    json_decref(jwks);
    return n;
}

/* The kid in a token's header. */
static void token_kid(const char *token, char *kid, size_t cap)
{
    const char *dot = strchr(token, '.');
    unsigned char raw[512];
    size_t n = 0;
    json_t *h;

    assert_non_null(dot);
    assert_int_equal(sodium_base642bin(raw, sizeof(raw) - 1, token, (size_t)(dot - token), NULL, &n,
                                       NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     0);
    h = json_loadb((const char *)raw, n, 0, NULL);
    assert_non_null(h);
    assert_string_equal(json_string_value(json_object_get(h, "alg")), "RS256");
    snprintf(kid, cap, "%s", json_string_value(json_object_get(h, "kid")));
    json_decref(h);
}

static void test_sign_verify(void **state)
{
    struct cfx *f = *state;
    char *token = sign(f, 300);
    json_t *claims = NULL;

    assert_int_equal(jwt_verify(&f->ctx, token, &claims), SB_OK);
    assert_string_equal(json_string_value(json_object_get(claims, "sub")), "user-1");
    assert_string_equal(json_string_value(json_object_get(claims, "aud")), "https://svc.example");
    json_decref(claims);
    assert_int_equal(jwks_count(f, NULL), 1);
    free(token);
}

static void test_verify_refuses(void **state)
{
    struct cfx *f = *state;
    char *token = sign(f, 300);
    char *bad = strdup(token);
    json_t *claims = NULL;
    char *dot;

    assert_non_null(bad);
    /* A changed payload character breaks the signature. */
    dot = strchr(bad, '.');
    dot[3] = dot[3] == 'A' ? 'B' : 'A';
    assert_int_equal(jwt_verify(&f->ctx, bad, &claims), SB_ERR_UNAUTHORIZED);
    assert_null(claims);
    /* No signature, garbage, empty. */
    strcpy(strrchr(bad, '.') + 1, "");
    assert_int_equal(jwt_verify(&f->ctx, bad, &claims), SB_ERR_UNAUTHORIZED);
    assert_int_equal(jwt_verify(&f->ctx, "a.b.c", &claims), SB_ERR_UNAUTHORIZED);
    assert_int_equal(jwt_verify(&f->ctx, "", &claims), SB_ERR_UNAUTHORIZED);
    assert_int_equal(jwt_verify(&f->ctx, NULL, &claims), SB_ERR_UNAUTHORIZED);
    /* "alg":"none" with the same payload. */
    free(bad);
    {
        const char *p = strchr(token, '.') + 1;
        size_t plen = (size_t)(strrchr(token, '.') - p);
        /* {"alg":"none","kid":"x"} */
        const char *none_hdr = "eyJhbGciOiJub25lIiwia2lkIjoieCJ9";
        bad = malloc(strlen(none_hdr) + plen + 3);
        assert_non_null(bad);
        sprintf(bad, "%s.%.*s.", none_hdr, (int)plen, p);
        assert_int_equal(jwt_verify(&f->ctx, bad, &claims), SB_ERR_UNAUTHORIZED);
        free(bad);
    }
    /* Expired: past exp plus the allowed skew. */
    atomic_fetch_add(&f->now_ms, (300 + JWT_SKEW_S + 1) * 1000LL);
    assert_int_equal(jwt_verify(&f->ctx, token, &claims), SB_ERR_UNAUTHORIZED);
    free(token);
}

static void test_other_issuer_refused(void **state)
{
    struct cfx *f = *state;
    char *token = sign(f, 300);
    json_t *claims = NULL;

    snprintf(f->cfg.public_url, sizeof(f->cfg.public_url), "https://elsewhere.test");
    assert_int_equal(jwt_verify(&f->ctx, token, &claims), SB_ERR_UNAUTHORIZED);
    free(token);
}

static void test_sign_refuses_bad_lifetime(void **state)
{
    struct cfx *f = *state;
    json_t *c = claims_at(f, JWT_MAX_TTL_MS / 1000 + 1);
    char *token = NULL;

    assert_int_equal(jwt_sign(&f->ctx, c, &token), SB_ERR_INVALID);
    json_object_del(c, "exp");
    assert_int_equal(jwt_sign(&f->ctx, c, &token), SB_ERR_INVALID);
    assert_null(token);
    json_decref(c);
}

static void rotation(struct cfx *f)
{
    char kid1[64], kid2[64], kid[64];
    char *t1 = sign(f, 600), *t2, *t;
    json_t *claims = NULL;

    token_kid(t1, kid1, sizeof(kid1));
    assert_int_equal(jwks_count(f, NULL), 1);
    /* A day before the key is due to retire, the next one is made and published, not used. */
    atomic_fetch_add(&f->now_ms, JWT_ROTATE_MS - JWT_PREPUBLISH_MS);
    t = sign(f, 600);
    token_kid(t, kid, sizeof(kid));
    assert_string_equal(kid, kid1);
    assert_int_equal(jwks_count(f, NULL), 2);
    free(t);
    /* A day later it signs; tokens of the old key still verify. */
    atomic_fetch_add(&f->now_ms, JWT_PREPUBLISH_MS - 1000);
    free(t1);
    t1 = sign(f, 600);
    token_kid(t1, kid, sizeof(kid));
    assert_string_equal(kid, kid1);
    atomic_fetch_add(&f->now_ms, 1000);
    t2 = sign(f, 600);
    token_kid(t2, kid2, sizeof(kid2));
    assert_string_not_equal(kid1, kid2);
    assert_int_equal(jwks_count(f, kid1), 1);
    assert_int_equal(jwks_count(f, kid2), 1);
    assert_int_equal(jwt_verify(&f->ctx, t1, &claims), SB_OK);
    json_decref(claims);
    /* At the next rotation every token of the first key has expired: it is deleted. */
    atomic_fetch_add(&f->now_ms, JWT_ROTATE_MS - 2 * JWT_PREPUBLISH_MS);
    t = sign(f, 600);
    token_kid(t, kid, sizeof(kid));
    assert_string_equal(kid, kid2);
    free(t);
    assert_int_equal(jwks_count(f, kid1), 0);
    assert_int_equal(jwks_count(f, kid2), 1);
    assert_int_equal(jwks_count(f, NULL), 2);
    free(t1);
    free(t2);
}

static void test_rotation_uncached(void **state)
{
    rotation(*state);
}

static void test_rotation_cached(void **state)
{
    struct cfx *f = *state;
    struct sb_ctx other;
    json_t *claims = NULL, *c;
    char *t = NULL;

    assert_int_equal(jwt_cache_new(&f->ctx.jwt), SB_OK);
    rotation(f);
    /* Another process (here: a context without the cache) signs; this one verifies. */
    other = f->ctx;
    other.jwt = NULL;
    c = claims_at(f, 60);
    assert_int_equal(jwt_sign(&other, c, &t), SB_OK);
    json_decref(c);
    assert_int_equal(jwt_verify(&f->ctx, t, &claims), SB_OK);
    json_decref(claims);
    free(t);
    jwt_cache_free(f->ctx.jwt);
    f->ctx.jwt = NULL;
}

/* Two processes making the first key at once: the period is unique, so one key results and
 * both sign with it. */
static void test_one_key_per_period(void **state)
{
    struct cfx *f = *state;
    struct sb_ctx other = f->ctx;
    struct sb_signing_key k;
    char *t1, *t2, kid1[64], kid2[64];

    assert_int_equal(jwt_cache_new(&f->ctx.jwt), SB_OK);
    other.jwt = NULL;
    {
        json_t *c = claims_at(f, 60);
        t1 = NULL;
        assert_int_equal(jwt_sign(&other, c, &t1), SB_OK);
        json_decref(c);
    }
    t2 = sign(f, 60);
    token_kid(t1, kid1, sizeof(kid1));
    token_kid(t2, kid2, sizeof(kid2));
    assert_string_equal(kid1, kid2);
    memset(&k, 0, sizeof(k));
    snprintf(k.kid, sizeof(k.kid), "late");
    k.period = 1;
    assert_int_equal(store_signing_key_insert(f->ctx.store, &k), SB_ERR_CONFLICT);
    assert_int_equal(jwks_count(f, NULL), 1);
    free(t1);
    free(t2);
    jwt_cache_free(f->ctx.jwt);
    f->ctx.jwt = NULL;
}

/* token with its header replaced by {"alg":"RS256","kid":"<kid>"} (heap). */
static char *with_kid(const char *token, const char *kid)
{
    char hdr[128], enc[256], *out;
    const char *rest = strchr(token, '.');

    snprintf(hdr, sizeof(hdr), "{\"alg\":\"RS256\",\"kid\":\"%s\"}", kid);
    sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)hdr, strlen(hdr),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out = malloc(strlen(enc) + strlen(rest) + 1);
    assert_non_null(out);
    sprintf(out, "%s%s", enc, rest);
    return out;
}

/* Tokens with made-up kids make the cache reload the keys at most once per
 * JWT_RELOAD_MIN_MS, however many arrive. */
static void test_unknown_kid_reload_limited(void **state)
{
    struct cfx *f = *state;
    json_t *claims = NULL;
    char *token, kid[32];
    unsigned long long before;

    assert_int_equal(jwt_cache_new(&f->ctx.jwt), SB_OK);
    token = sign(f, 300);
    assert_int_equal(jwt_verify(&f->ctx, token, &claims), SB_OK);
    json_decref(claims);
    before = jwt_cache_loads(f->ctx.jwt);
    for (int i = 0; i < 50; i++) {
        char *bad;

        snprintf(kid, sizeof(kid), "unknown-%d", i);
        bad = with_kid(token, kid);
        assert_int_equal(jwt_verify(&f->ctx, bad, &claims), SB_ERR_UNAUTHORIZED);
        assert_null(claims);
        free(bad);
    }
    assert_true(jwt_cache_loads(f->ctx.jwt) - before <= 1);
    /* The real token still verifies without a reload. */
    assert_int_equal(jwt_verify(&f->ctx, token, &claims), SB_OK);
    json_decref(claims);
    /* Once the interval has passed, one more reload is allowed (a key another process made
     * is found), and again only one. */
    before = jwt_cache_loads(f->ctx.jwt);
    atomic_fetch_add(&f->now_ms, JWT_RELOAD_MIN_MS);
    for (int i = 0; i < 50; i++) {
        char *bad = with_kid(token, "unknown-again");

        assert_int_equal(jwt_verify(&f->ctx, bad, &claims), SB_ERR_UNAUTHORIZED);
        free(bad);
    }
    assert_int_equal(jwt_cache_loads(f->ctx.jwt) - before, 1);
    free(token);
    jwt_cache_free(f->ctx.jwt);
    f->ctx.jwt = NULL;
}

static void test_openid_configuration(void **state)
{
    struct cfx *f = *state;
    json_t *doc = NULL;

    assert_int_equal(jwt_openid_configuration(&f->ctx, &doc), SB_OK);
    assert_string_equal(json_string_value(json_object_get(doc, "issuer")),
                        "https://switchboard.test");
    assert_string_equal(json_string_value(json_object_get(doc, "jwks_uri")),
                        "https://switchboard.test/.well-known/jwks.json");
    json_decref(doc);
}

/* jwt_verify_jwks (an OpenID provider's ID tokens): a token of ours stands for the provider's,
 * our JWKS for its key set. The signature and the key are checked, never the claims. */
static void test_verify_jwks(void **state)
{
    struct cfx *f = *state;
    char *token = sign(f, 300), *bad = NULL;
    json_t *jwks = NULL, *claims = NULL, *key;
    char kid[64];

    assert_int_equal(jwt_jwks(&f->ctx, &jwks), SB_OK);
    assert_int_equal(jwt_verify_jwks(token, jwks, &claims), SB_OK);
    assert_string_equal(json_string_value(json_object_get(claims, "sub")), "user-1");
    json_decref(claims);
    claims = NULL;
    /* Claims are the caller's: an expired token still verifies here. */
    atomic_fetch_add(&f->now_ms, 3600 * 1000LL);
    assert_int_equal(jwt_verify_jwks(token, jwks, &claims), SB_OK);
    json_decref(claims);
    claims = NULL;
    /* A changed payload. */
    bad = strdup(token);
    assert_non_null(bad);
    strchr(bad, '.')[3] = strchr(bad, '.')[3] == 'A' ? 'B' : 'A';
    assert_int_equal(jwt_verify_jwks(bad, jwks, &claims), SB_ERR_UNAUTHORIZED);
    assert_null(claims);
    free(bad);
    /* "alg":"none", and HS256 (an HMAC keyed with the public key would verify otherwise). */
    {
        const char *p = strchr(token, '.') + 1;
        size_t plen = (size_t)(strrchr(token, '.') - p);
        const char *hdrs[] = {"eyJhbGciOiJub25lIiwia2lkIjoieCJ9",    /* {"alg":"none","kid":"x"} */
                              "eyJhbGciOiJIUzI1NiIsImtpZCI6IngifQ"}; /* {"alg":"HS256","kid":"x"} */
        for (size_t i = 0; i < 2; i++) {
            bad = malloc(strlen(hdrs[i]) + plen + 8);
            assert_non_null(bad);
            sprintf(bad, "%s.%.*s.AAAA", hdrs[i], (int)plen, p);
            assert_int_equal(jwt_verify_jwks(bad, jwks, &claims), SB_ERR_UNAUTHORIZED);
            free(bad);
        }
    }
    /* The key set without the token's kid; then with a key too short for RS256. */
    token_kid(token, kid, sizeof(kid));
    key = json_array_get(json_object_get(jwks, "keys"), 0);
    json_object_set_new(key, "kid", json_string("another"));
    assert_int_equal(jwt_verify_jwks(token, jwks, &claims), SB_ERR_UNAUTHORIZED);
    json_object_set_new(key, "kid", json_string(kid));
    json_object_set_new(key, "n", json_string("AQAB"));
    assert_int_equal(jwt_verify_jwks(token, jwks, &claims), SB_ERR_UNAUTHORIZED);
    {
        json_t *empty = json_object();
        assert_int_equal(jwt_verify_jwks(token, empty, &claims), SB_ERR_UNAUTHORIZED);
        json_decref(empty);
    }
    assert_int_equal(jwt_verify_jwks(NULL, jwks, &claims), SB_ERR_UNAUTHORIZED);
    assert_null(claims);
    json_decref(jwks);
    free(token);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_sign_verify),
        T(test_verify_refuses),
        T(test_other_issuer_refused),
        T(test_sign_refuses_bad_lifetime),
        T(test_rotation_uncached),
        T(test_rotation_cached),
        T(test_one_key_per_period),
        T(test_openid_configuration),
        T(test_unknown_kid_reload_limited),
        T(test_verify_jwks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
