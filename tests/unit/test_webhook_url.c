/*
 * test_webhook_url.c: unit tests for src/webhooks/url (parsing the route parameters of connector
 * and workflow URLs, signing and verifying them, formatting them back into full URLs).
 *
 * The signatures below are known answers, computed independently (Python's hmac module) as
 * unpadded base64url of HMAC-SHA256 with key 00 01 02 .. 1f over
 *   "v2|{team}|{tenant}|{config}|{creator}|{nonce}"  and  "workflow|{config}|{nonce}".
 * The key slot's text is not in the message: a URL with the webhook key in that slot and the
 * older one with the configuration id carry the same signature.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "webhooks/url.h"

#include <regex.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fixed inputs ---- */

#define TEAM "11111111-2222-4333-8444-555555555555"
#define TENANT "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
#define CONFIG "0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b"
#define CREATOR "12345678-9abc-4def-8123-456789abcdef"
#define OTHER_ID "99999999-8888-4777-8666-555555555555"
#define NONCE "nonce-0001"
#define KEY "5f3c9a0e7b2d4c6e8a1f0b3d5c7e9a2b" /* a webhook key: 32 lower-case hex digits */
#define BASE "https://sb.example.com"

#define SIG_V2 "9WnMPKedYk8qbNor49gvbTdSJMdfRURHxtBkM8LyIrM" /* base62 */
/* The same signature in the base64url that V2 URLs carried before base62. */
#define SIG_V2_B64 "KC839X_ROdh82b9FvSvoqMGcF1Ta3Jlc7fEdQamcpSQ"
#define SIG_WF "E5rNh9JIEDmGF4R5yl-Zt-OhvhW8MUzI27HIkYsws0k"

#define URL_V2                                                                                     \
    BASE "/webhookb2/" TEAM "@" TENANT "/IncomingWebhook/" CONFIG "/" CREATOR "/V2" SIG_V2
#define URL_LEGACY BASE "/webhook/" TEAM "@" TENANT "/IncomingWebhook/" CONFIG "/" CREATOR
#define URL_WF                                                                                     \
    BASE "/workflows/" CONFIG "/triggers/manual/paths/invoke?api-version=2016-06-01"               \
         "&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" SIG_WF

static unsigned char key[WEBHOOK_KEY_LEN];

/* ---- helpers ---- */

static void parse_v2_ok(struct webhook_url *u)
{
    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_V2, TEAM "@" TENANT, CONFIG, CREATOR, "V2" SIG_V2, u), SB_OK);
}

static void parse_wf_ok(struct webhook_url *u)
{
    assert_int_equal(webhook_url_parse_workflow(CONFIG, SIG_WF, u), SB_OK);
}

/* A parsed V2 URL with a fresh signature for NONCE. */
static void signed_v2(struct webhook_url *u)
{
    parse_v2_ok(u);
    memset(u->sig, 0, sizeof(u->sig));
    webhook_url_sign(key, NONCE, u);
}

static void expect_parse_fails(const char *tat, const char *config, const char *creator,
                               const char *v2)
{
    struct webhook_url u;

    assert_int_equal(
        webhook_url_parse(v2 ? WEBHOOK_URL_V2 : WEBHOOK_URL_LEGACY, tat, config, creator, v2, &u),
        SB_ERR_NOT_FOUND);
}

/* ---- parsing ---- */

static void test_parse_v2(void **state)
{
    struct webhook_url u;

    (void)state;
    parse_v2_ok(&u);
    assert_int_equal(u.kind, WEBHOOK_URL_V2);
    assert_string_equal(u.team_id, TEAM);
    assert_string_equal(u.tenant_id, TENANT);
    assert_string_equal(u.config_id, CONFIG);
    assert_string_equal(u.creator_id, CREATOR);
    assert_string_equal(u.sig, SIG_V2);
}

static void test_parse_v2_upper_case_hex(void **state)
{
    struct webhook_url u;

    (void)state;
    assert_int_equal(webhook_url_parse(WEBHOOK_URL_V2,
                                       "ABCDEF01-2345-4789-8BCD-EF0123456789@" TENANT, CONFIG,
                                       CREATOR, "V2" SIG_V2, &u),
                     SB_OK);
    assert_string_equal(u.team_id, "ABCDEF01-2345-4789-8BCD-EF0123456789");
}

static void test_parse_legacy(void **state)
{
    struct webhook_url u;

    (void)state;
    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_LEGACY, TEAM "@" TENANT, CONFIG, CREATOR, NULL, &u), SB_OK);
    assert_int_equal(u.kind, WEBHOOK_URL_LEGACY);
    assert_string_equal(u.team_id, TEAM);
    assert_string_equal(u.tenant_id, TENANT);
    assert_string_equal(u.config_id, CONFIG);
    assert_string_equal(u.creator_id, CREATOR);
    assert_string_equal(u.sig, "");
}

static void test_parse_workflow(void **state)
{
    struct webhook_url u;

    (void)state;
    parse_wf_ok(&u);
    assert_int_equal(u.kind, WEBHOOK_URL_WORKFLOW);
    assert_string_equal(u.config_id, CONFIG);
    assert_string_equal(u.sig, SIG_WF);
    assert_string_equal(u.team_id, "");
    assert_string_equal(u.tenant_id, "");
    assert_string_equal(u.creator_id, "");
}

static void test_parse_workflow_without_or_bad_sig(void **state)
{
    struct webhook_url u;

    (void)state;
    /* The config id is what routes; a missing or malformed sig parses but cannot verify. */
    assert_int_equal(webhook_url_parse_workflow(CONFIG, NULL, &u), SB_OK);
    assert_string_equal(u.sig, "");
    assert_false(webhook_url_verify(key, NONCE, &u));

    assert_int_equal(webhook_url_parse_workflow(CONFIG, "short", &u), SB_OK);
    assert_string_equal(u.sig, "");
    assert_false(webhook_url_verify(key, NONCE, &u));

    assert_int_equal(webhook_url_parse_workflow(CONFIG, SIG_WF "A", &u), SB_OK);
    assert_string_equal(u.sig, "");
    assert_false(webhook_url_verify(key, NONCE, &u));

    assert_int_equal(webhook_url_parse_workflow(CONFIG, "", &u), SB_OK);
    assert_false(webhook_url_verify(key, NONCE, &u));
}

static void test_parse_workflow_rejects_bad_config(void **state)
{
    struct webhook_url u;

    (void)state;
    assert_int_equal(webhook_url_parse_workflow("", SIG_WF, &u), SB_ERR_NOT_FOUND);
    assert_int_equal(webhook_url_parse_workflow("0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4", SIG_WF, &u),
                     SB_ERR_NOT_FOUND);
    assert_int_equal(webhook_url_parse_workflow(CONFIG "0", SIG_WF, &u), SB_ERR_NOT_FOUND);
    assert_int_equal(webhook_url_parse_workflow("0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4g", SIG_WF, &u),
                     SB_ERR_NOT_FOUND);
    assert_int_equal(webhook_url_parse_workflow("0f0f0f0f_1e1e-4d2d-9c3c-4b4b4b4b4b4b", SIG_WF, &u),
                     SB_ERR_NOT_FOUND);
}

static void test_parse_rejects_id_lengths(void **state)
{
    (void)state;
    /* one character short and one too many, in each position */
    expect_parse_fails("11111111-2222-4333-8444-55555555555@" TENANT, CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM "5@" TENANT, CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM "@aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeee", CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT "e", CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, "0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4", CREATOR,
                       "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG "b", CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, "12345678-9abc-4def-8123-456789abcde", "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR "f", "V2" SIG_V2);
    /* empty parts */
    expect_parse_fails("@" TENANT, CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM "@", CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails("@", CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, "", CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, "", "V2" SIG_V2);
    /* the same for legacy URLs */
    expect_parse_fails(TEAM "5@" TENANT, CONFIG, CREATOR, NULL);
    expect_parse_fails(TEAM "@" TENANT, CONFIG "b", CREATOR, NULL);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, "", NULL);
}

static void test_parse_rejects_id_chars(void **state)
{
    (void)state;
    /* non-hex digit */
    expect_parse_fails("g1111111-2222-4333-8444-555555555555@" TENANT, CONFIG, CREATOR,
                       "V2" SIG_V2);
    expect_parse_fails(TEAM "@aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeez", CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, "0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4 ", CREATOR,
                       "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, "12345678-9abc-4def-8123-456789abcde%",
                       "V2" SIG_V2);
    /* hyphens missing or misplaced */
    expect_parse_fails("111111112-222-4333-8444-555555555555@" TENANT, CONFIG, CREATOR,
                       "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, "0f0f0f0f01e1e-4d2d-9c3c-4b4b4b4b4b4b", CREATOR,
                       "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, "12345678a9abc-4def-8123-456789abcdef",
                       "V2" SIG_V2);
    /* a second '@' makes the tenant part invalid */
    expect_parse_fails(TEAM "@" TENANT "@" TENANT, CONFIG, CREATOR, "V2" SIG_V2);
    /* path-ish characters */
    expect_parse_fails(TEAM "@" TENANT, "0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b/b4b", CREATOR,
                       "V2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, "../../../../../../../../../../../../", CREATOR,
                       "V2" SIG_V2);
}

static void test_parse_rejects_missing_at(void **state)
{
    (void)state;
    expect_parse_fails(TEAM TENANT, CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM, CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM "%40" TENANT, CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails("", CONFIG, CREATOR, "V2" SIG_V2);
    expect_parse_fails(TEAM TENANT, CONFIG, CREATOR, NULL);
}

static void test_parse_rejects_bad_v2_prefix(void **state)
{
    (void)state;
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, "v2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, "V3" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, "X2" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, "2V" SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, SIG_V2 "V2");
    /* no prefix at all: the 43 characters alone are one short of the segment */
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, "V");
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, "");
}

static void test_parse_rejects_sig_length(void **state)
{
    char seg[64];

    (void)state;
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, "V2");
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, "V2" SIG_V2 "A");
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, "V2" SIG_V2 "=");
    /* 42 characters */
    snprintf(seg, sizeof(seg), "V2%.42s", SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, seg);
    /* 44 characters (padded base64 length) */
    snprintf(seg, sizeof(seg), "V2%sA", SIG_V2);
    expect_parse_fails(TEAM "@" TENANT, CONFIG, CREATOR, seg);
}

static void test_parse_clears_output_on_failure(void **state)
{
    struct webhook_url u;

    (void)state;
    parse_v2_ok(&u);
    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_V2, TEAM "@" TENANT, CONFIG "x", CREATOR, "V2" SIG_V2, &u),
        SB_ERR_NOT_FOUND);
    /* a failed parse must not leave a previous URL's config behind */
    assert_string_equal(u.config_id, "");
    assert_string_equal(u.creator_id, "");
    assert_string_equal(u.sig, "");
}

/* ---- signing and verifying ---- */

static void test_known_answer_signatures(void **state)
{
    struct webhook_url u;

    (void)state;
    signed_v2(&u);
    assert_string_equal(u.sig, SIG_V2);

    assert_int_equal(webhook_url_parse_workflow(CONFIG, NULL, &u), SB_OK);
    webhook_url_sign(key, NONCE, &u);
    assert_string_equal(u.sig, SIG_WF);
}

static void test_sign_verify_round_trip(void **state)
{
    struct webhook_url u, p;

    (void)state;
    /* V2: sign, then verify a fresh parse of the signed parts */
    signed_v2(&u);
    assert_int_equal(strlen(u.sig), WEBHOOK_SIG_LEN);
    assert_true(webhook_url_verify(key, NONCE, &u));
    {
        char seg[WEBHOOK_SIG_LEN + 3];
        snprintf(seg, sizeof(seg), "V2%s", u.sig);
        assert_int_equal(
            webhook_url_parse(WEBHOOK_URL_V2, TEAM "@" TENANT, CONFIG, CREATOR, seg, &p), SB_OK);
        assert_true(webhook_url_verify(key, NONCE, &p));
    }

    /* workflow */
    assert_int_equal(webhook_url_parse_workflow(CONFIG, NULL, &u), SB_OK);
    webhook_url_sign(key, NONCE, &u);
    assert_true(webhook_url_verify(key, NONCE, &u));
    assert_int_equal(webhook_url_parse_workflow(CONFIG, u.sig, &p), SB_OK);
    assert_true(webhook_url_verify(key, NONCE, &p));

    /* the parsed known answers verify as they are */
    parse_v2_ok(&p);
    assert_true(webhook_url_verify(key, NONCE, &p));
    parse_wf_ok(&p);
    assert_true(webhook_url_verify(key, NONCE, &p));
}

/* V2 segments are letters and digits only (prometheus-msteams checks them with
 * [a-zA-Z0-9-]+); workflow signatures are base64url, as Logic Apps' `sig`. Across 500 nonces a
 * base64url signature would carry '-' or '_' almost every time. */
static void test_signature_alphabets(void **state)
{
    struct webhook_url u, w;
    char nonce[32];
    bool b64_marks = false;

    (void)state;
    for (int i = 0; i < 500; i++) {
        snprintf(nonce, sizeof(nonce), "n%d", i);
        signed_v2(&u);
        webhook_url_sign(key, nonce, &u);
        assert_int_equal(strlen(u.sig), WEBHOOK_SIG_LEN);
        for (size_t k = 0; k < WEBHOOK_SIG_LEN; k++) {
            char c = u.sig[k];
            assert_true((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
        }
        assert_true(webhook_url_verify(key, nonce, &u));

        assert_int_equal(webhook_url_parse_workflow(CONFIG, NULL, &w), SB_OK);
        webhook_url_sign(key, nonce, &w);
        assert_int_equal(strlen(w.sig), WEBHOOK_SIG_LEN);
        for (size_t k = 0; k < WEBHOOK_SIG_LEN; k++) {
            char c = w.sig[k];
            assert_true((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_');
            b64_marks |= c == '-' || c == '_';
        }
        assert_true(webhook_url_verify(key, nonce, &w));
    }
    assert_true(b64_marks);
}

/* A V2 URL handed out before base62 (its signature in base64url) keeps working; a base64url
 * signature of another nonce does not. */
static void test_v2_base64url_signatures_still_verify(void **state)
{
    struct webhook_url u;

    (void)state;
    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_V2, TEAM "@" TENANT, CONFIG, CREATOR, "V2" SIG_V2_B64, &u),
        SB_OK);
    assert_true(webhook_url_verify(key, NONCE, &u));
    assert_false(webhook_url_verify(key, "nonce-0002", &u));
    u.kind = WEBHOOK_URL_WORKFLOW;
    assert_false(webhook_url_verify(key, NONCE, &u));
}

static void test_verify_fails_when_a_part_changes(void **state)
{
    struct webhook_url u, m;
    unsigned char other_key[WEBHOOK_KEY_LEN];

    (void)state;
    signed_v2(&u);
    assert_true(webhook_url_verify(key, NONCE, &u));

    m = u;
    memcpy(m.team_id, OTHER_ID, sizeof(m.team_id));
    assert_false(webhook_url_verify(key, NONCE, &m));

    m = u;
    memcpy(m.tenant_id, OTHER_ID, sizeof(m.tenant_id));
    assert_false(webhook_url_verify(key, NONCE, &m));

    m = u;
    memcpy(m.config_id, OTHER_ID, sizeof(m.config_id));
    assert_false(webhook_url_verify(key, NONCE, &m));

    m = u;
    memcpy(m.creator_id, OTHER_ID, sizeof(m.creator_id));
    assert_false(webhook_url_verify(key, NONCE, &m));

    /* team and tenant swapped */
    m = u;
    memcpy(m.team_id, u.tenant_id, sizeof(m.team_id));
    memcpy(m.tenant_id, u.team_id, sizeof(m.tenant_id));
    assert_false(webhook_url_verify(key, NONCE, &m));

    /* one hex digit's case in an id */
    m = u;
    m.tenant_id[0] = 'A';
    assert_false(webhook_url_verify(key, NONCE, &m));

    /* the nonce ("Update URL" rotates it) */
    assert_false(webhook_url_verify(key, "nonce-0002", &u));
    assert_false(webhook_url_verify(key, "", &u));
    assert_false(webhook_url_verify(key, NONCE "x", &u));

    /* the key */
    memcpy(other_key, key, sizeof(other_key));
    other_key[31] ^= 1;
    assert_false(webhook_url_verify(other_key, NONCE, &u));
}

static void test_verify_fails_on_any_sig_char(void **state)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    struct webhook_url u, m;

    (void)state;
    signed_v2(&u);
    for (size_t i = 0; i < WEBHOOK_SIG_LEN; i++) {
        m = u;
        /* the next character of the alphabet: a different, still valid base64url character */
        m.sig[i] = alphabet[(strchr(alphabet, u.sig[i]) - alphabet + 1) % 64];
        assert_false(webhook_url_verify(key, NONCE, &m));
    }
    /* truncated and emptied signatures */
    m = u;
    m.sig[WEBHOOK_SIG_LEN - 1] = '\0';
    assert_false(webhook_url_verify(key, NONCE, &m));
    m = u;
    m.sig[0] = '\0';
    assert_false(webhook_url_verify(key, NONCE, &m));

    assert_int_equal(webhook_url_parse_workflow(CONFIG, NULL, &u), SB_OK);
    webhook_url_sign(key, NONCE, &u);
    for (size_t i = 0; i < WEBHOOK_SIG_LEN; i++) {
        m = u;
        m.sig[i] = alphabet[(strchr(alphabet, u.sig[i]) - alphabet + 1) % 64];
        assert_false(webhook_url_verify(key, NONCE, &m));
    }
}

static void test_verify_fails_when_kind_switched(void **state)
{
    struct webhook_url v2, wf, m;

    (void)state;
    signed_v2(&v2);
    assert_int_equal(webhook_url_parse_workflow(CONFIG, NULL, &wf), SB_OK);
    webhook_url_sign(key, NONCE, &wf);
    assert_string_not_equal(v2.sig, wf.sig);

    /* a V2 signature presented on the workflow URL of the same configuration */
    assert_int_equal(webhook_url_parse_workflow(CONFIG, v2.sig, &m), SB_OK);
    assert_false(webhook_url_verify(key, NONCE, &m));
    m = v2;
    m.kind = WEBHOOK_URL_WORKFLOW;
    assert_false(webhook_url_verify(key, NONCE, &m));

    /* a workflow signature presented on a V2 URL */
    {
        char seg[WEBHOOK_SIG_LEN + 3];
        snprintf(seg, sizeof(seg), "V2%s", wf.sig);
        assert_int_equal(
            webhook_url_parse(WEBHOOK_URL_V2, TEAM "@" TENANT, CONFIG, CREATOR, seg, &m), SB_OK);
        assert_false(webhook_url_verify(key, NONCE, &m));
    }
    m = wf;
    m.kind = WEBHOOK_URL_V2;
    assert_false(webhook_url_verify(key, NONCE, &m));

    /* a signed V2 URL downgraded to legacy */
    m = v2;
    m.kind = WEBHOOK_URL_LEGACY;
    assert_false(webhook_url_verify(key, NONCE, &m));
}

static void test_legacy_never_verifies(void **state)
{
    struct webhook_url u;

    (void)state;
    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_LEGACY, TEAM "@" TENANT, CONFIG, CREATOR, NULL, &u), SB_OK);
    assert_false(webhook_url_verify(key, NONCE, &u));
    webhook_url_sign(key, NONCE, &u);
    assert_string_equal(u.sig, "");
    assert_false(webhook_url_verify(key, NONCE, &u));

    /* even with a signature that is valid for the V2 form of the same parts */
    memcpy(u.sig, SIG_V2, sizeof(SIG_V2));
    assert_false(webhook_url_verify(key, NONCE, &u));
}

/* ---- formatting ---- */

static void test_format_shapes(void **state)
{
    struct webhook_url u;
    char out[512];

    (void)state;
    signed_v2(&u);
    assert_int_equal(webhook_url_format(BASE, &u, out, sizeof(out)), SB_OK);
    assert_string_equal(out, URL_V2);

    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_LEGACY, TEAM "@" TENANT, CONFIG, CREATOR, NULL, &u), SB_OK);
    webhook_url_sign(key, NONCE, &u);
    assert_int_equal(webhook_url_format(BASE, &u, out, sizeof(out)), SB_OK);
    assert_string_equal(out, URL_LEGACY);

    assert_int_equal(webhook_url_parse_workflow(CONFIG, NULL, &u), SB_OK);
    webhook_url_sign(key, NONCE, &u);
    assert_int_equal(webhook_url_format(BASE, &u, out, sizeof(out)), SB_OK);
    assert_string_equal(out, URL_WF);

    /* a base with a port and a path prefix is used verbatim */
    signed_v2(&u);
    assert_int_equal(webhook_url_format("http://127.0.0.1:8080/sb", &u, out, sizeof(out)), SB_OK);
    assert_string_equal(out, "http://127.0.0.1:8080/sb/webhookb2/" TEAM "@" TENANT
                             "/IncomingWebhook/" CONFIG "/" CREATOR "/V2" SIG_V2);
}

static void test_format_exact_fit_and_too_small(void **state)
{
    struct webhook_url u;
    char out[512];
    size_t len;

    (void)state;
    signed_v2(&u);
    len = strlen(URL_V2);
    /* exactly enough room (the URL and its NUL) */
    assert_int_equal(webhook_url_format(BASE, &u, out, len + 1), SB_OK);
    assert_string_equal(out, URL_V2);
    /* one byte short, and much too short */
    assert_int_equal(webhook_url_format(BASE, &u, out, len), SB_ERR_TOO_LARGE);
    assert_int_equal(webhook_url_format(BASE, &u, out, 10), SB_ERR_TOO_LARGE);
    assert_int_equal(webhook_url_format(BASE, &u, out, 1), SB_ERR_TOO_LARGE);

    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_LEGACY, TEAM "@" TENANT, CONFIG, CREATOR, NULL, &u), SB_OK);
    len = strlen(URL_LEGACY);
    assert_int_equal(webhook_url_format(BASE, &u, out, len + 1), SB_OK);
    assert_int_equal(webhook_url_format(BASE, &u, out, len), SB_ERR_TOO_LARGE);

    parse_wf_ok(&u);
    len = strlen(URL_WF);
    assert_int_equal(webhook_url_format(BASE, &u, out, len + 1), SB_OK);
    assert_string_equal(out, URL_WF);
    assert_int_equal(webhook_url_format(BASE, &u, out, len), SB_ERR_TOO_LARGE);
}

static void test_format_does_not_write_past_cap(void **state)
{
    struct webhook_url u;
    char out[64];

    (void)state;
    signed_v2(&u);
    memset(out, 'Z', sizeof(out));
    assert_int_equal(webhook_url_format(BASE, &u, out, 32), SB_ERR_TOO_LARGE);
    for (size_t i = 32; i < sizeof(out); i++)
        assert_int_equal(out[i], 'Z');
    /* truncated, but still a terminated string */
    assert_true(memchr(out, '\0', 32) != NULL);
}

static void test_format_unknown_kind(void **state)
{
    struct webhook_url u;
    char out[512];

    (void)state;
    signed_v2(&u);
    u.kind = 0;
    assert_int_equal(webhook_url_format(BASE, &u, out, sizeof(out)), SB_ERR_INVALID);
    u.kind = 42;
    assert_int_equal(webhook_url_format(BASE, &u, out, sizeof(out)), SB_ERR_INVALID);
}

/* Service connector URLs: "service|{kind}|{config}|{nonce}" (Python's hmac, as above). */
#define SIG_SERVICE "RMO8n7ohnuAlq6iZbwLMZTDSp3vqpX3VCjgSv9wob0Q"

static void test_service_urls(void **state)
{
    struct webhook_url u, wf;
    char out[512];

    (void)state;
    assert_int_equal(webhook_url_parse_service("github", CONFIG, SIG_SERVICE, &u), SB_OK);
    assert_int_equal(u.kind, WEBHOOK_URL_SERVICE);
    assert_string_equal(u.service, "github");
    assert_true(webhook_url_verify(key, NONCE, &u));
    assert_false(webhook_url_verify(key, "nonce-0002", &u));
    /* The kind is signed: the same signature does not open another kind's URL. */
    assert_int_equal(webhook_url_parse_service("gitlab", CONFIG, SIG_SERVICE, &u), SB_OK);
    assert_false(webhook_url_verify(key, NONCE, &u));
    /* Nor is it a workflow signature of the same configuration. */
    assert_int_equal(webhook_url_parse_workflow(CONFIG, SIG_SERVICE, &wf), SB_OK);
    assert_false(webhook_url_verify(key, NONCE, &wf));
    assert_int_equal(webhook_url_parse_service("github", CONFIG, &SIG_SERVICE[1], &u),
                     SB_ERR_NOT_FOUND);
    assert_int_equal(webhook_url_parse_service("", CONFIG, SIG_SERVICE, &u), SB_ERR_NOT_FOUND);
    assert_int_equal(webhook_url_parse_service("a-kind-too-long-x", CONFIG, SIG_SERVICE, &u),
                     SB_ERR_NOT_FOUND);
    assert_int_equal(webhook_url_parse_service("github", "not-an-id", SIG_SERVICE, &u),
                     SB_ERR_NOT_FOUND);
    memset(&u, 0, sizeof(u));
    u.kind = WEBHOOK_URL_SERVICE;
    strcpy(u.service, "github");
    strcpy(u.config_id, CONFIG);
    webhook_url_sign(key, NONCE, &u);
    assert_string_equal(u.sig, SIG_SERVICE);
    assert_int_equal(webhook_url_format(BASE, &u, out, sizeof(out)), SB_OK);
    assert_string_equal(out, BASE "/connectors/github/" CONFIG "/" SIG_SERVICE);
}

/* ---- webhook keys in the key slot (issue 17) ---- */

static void test_is_key(void **state)
{
    (void)state;
    assert_true(webhook_url_is_key(KEY));
    assert_true(webhook_url_is_key("00000000000000000000000000000000"));
    assert_false(webhook_url_is_key(""));
    assert_false(webhook_url_is_key("5f3c9a0e7b2d4c6e8a1f0b3d5c7e9a2"));  /* 31 */
    assert_false(webhook_url_is_key(KEY "0"));                            /* 33 */
    assert_false(webhook_url_is_key("5F3C9A0E7B2D4C6E8A1F0B3D5C7E9A2B")); /* upper case */
    assert_false(webhook_url_is_key("5f3c9a0e7b2d4c6e8a1f0b3d5c7e9a2B")); /* one upper */
    assert_false(webhook_url_is_key("5f3c9a0e7b2d4c6e8a1f0b3d5c7e9a2g")); /* not hex */
    assert_false(webhook_url_is_key("5f3c9a0e-7b2d-4c6e-8a1f-0b3d5c7e")); /* dashes */
    assert_false(webhook_url_is_key(KEY " "));
    assert_false(webhook_url_is_key(CONFIG));
}

static void test_parse_key_in_every_connector_form(void **state)
{
    static const int kinds[] = {WEBHOOK_URL_V2, WEBHOOK_URL_UNSIGNED, WEBHOOK_URL_LEGACY};
    struct webhook_url u;

    (void)state;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        const char *v2 = kinds[i] == WEBHOOK_URL_V2 ? "V2" SIG_V2 : NULL;

        assert_int_equal(webhook_url_parse(kinds[i], TEAM "@" TENANT, KEY, CREATOR, v2, &u), SB_OK);
        assert_int_equal(u.kind, kinds[i]);
        assert_string_equal(u.key, KEY);
        /* the configuration is not known until the caller finds it by its key */
        assert_string_equal(u.config_id, "");
        assert_string_equal(u.team_id, TEAM);
        assert_string_equal(u.tenant_id, TENANT);
        assert_string_equal(u.creator_id, CREATOR);
        assert_string_equal(u.sig, v2 ? SIG_V2 : "");
    }
}

/* The configuration id in the key slot: the URLs handed out before keys (signed, and /webhook/
 * of legacy-format webhooks) still parse; the new /webhookb2/ unsigned form never takes one. */
static void test_parse_configuration_id_only_where_it_was_handed_out(void **state)
{
    struct webhook_url u;

    (void)state;
    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_V2, TEAM "@" TENANT, CONFIG, CREATOR, "V2" SIG_V2, &u),
        SB_OK);
    assert_string_equal(u.config_id, CONFIG);
    assert_string_equal(u.key, "");
    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_LEGACY, TEAM "@" TENANT, CONFIG, CREATOR, NULL, &u), SB_OK);
    assert_string_equal(u.config_id, CONFIG);
    assert_string_equal(u.key, "");
    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_UNSIGNED, TEAM "@" TENANT, CONFIG, CREATOR, NULL, &u),
        SB_ERR_NOT_FOUND);
    assert_string_equal(u.config_id, "");
}

static void test_parse_rejects_bad_keys(void **state)
{
    static const char *const bad[] = {
        "5F3C9A0E7B2D4C6E8A1F0B3D5C7E9A2B",     /* upper case */
        "5f3c9a0e7b2d4c6e8a1f0b3d5c7e9A2b",     /* one upper-case digit */
        "5f3c9a0e7b2d4c6e8a1f0b3d5c7e9a2",      /* 31 */
        KEY "0",                                /* 33 */
        "5f3c9a0e7b2d4c6e8a1f0b3d5c7e9a2z",     /* not hex */
        "5f3c9a0e7b2d4c6e8a1f0b3d5c7e9a2b0123", /* 36, no dashes */
        "0F0F0F0F-1E1E-4D2D-9C3C-4B4B4B4B4B4",  /* 35 with dashes */
        "%35f3c9a0e7b2d4c6e8a1f0b3d5c7e9a2",    /* still encoded */
        "",
    };
    static const int kinds[] = {WEBHOOK_URL_V2, WEBHOOK_URL_UNSIGNED, WEBHOOK_URL_LEGACY};
    struct webhook_url u;

    (void)state;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
            assert_int_equal(webhook_url_parse(kinds[k], TEAM "@" TENANT, bad[i], CREATOR,
                                               kinds[k] == WEBHOOK_URL_V2 ? "V2" SIG_V2 : NULL, &u),
                             SB_ERR_NOT_FOUND);
    /* a V2 segment on an unsigned kind, or none on the signed one */
    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_UNSIGNED, TEAM "@" TENANT, KEY, CREATOR, "V2" SIG_V2, &u),
        SB_ERR_NOT_FOUND);
    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_LEGACY, TEAM "@" TENANT, KEY, CREATOR, "V2" SIG_V2, &u),
        SB_ERR_NOT_FOUND);
    assert_int_equal(webhook_url_parse(WEBHOOK_URL_V2, TEAM "@" TENANT, KEY, CREATOR, NULL, &u),
                     SB_ERR_NOT_FOUND);
    /* not a connector kind */
    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_WORKFLOW, TEAM "@" TENANT, KEY, CREATOR, NULL, &u),
        SB_ERR_NOT_FOUND);
}

/* A URL with the key and the one with the configuration id: one signature, both verify once
 * the caller has filled in the configuration it found; another configuration's id does not. */
static void test_key_and_configuration_id_urls_share_the_signature(void **state)
{
    struct webhook_url made, by_key, by_id;
    char seg[WEBHOOK_SIG_LEN + 3];

    (void)state;
    memset(&made, 0, sizeof(made));
    made.kind = WEBHOOK_URL_V2;
    strcpy(made.team_id, TEAM);
    strcpy(made.tenant_id, TENANT);
    strcpy(made.config_id, CONFIG);
    strcpy(made.creator_id, CREATOR);
    strcpy(made.key, KEY);
    webhook_url_sign(key, NONCE, &made);
    assert_string_equal(made.sig, SIG_V2);

    snprintf(seg, sizeof(seg), "V2%s", made.sig);
    assert_int_equal(webhook_url_parse(WEBHOOK_URL_V2, TEAM "@" TENANT, KEY, CREATOR, seg, &by_key),
                     SB_OK);
    strcpy(by_key.config_id, CONFIG);
    assert_true(webhook_url_verify(key, NONCE, &by_key));
    strcpy(by_key.config_id, OTHER_ID);
    assert_false(webhook_url_verify(key, NONCE, &by_key));

    assert_int_equal(
        webhook_url_parse(WEBHOOK_URL_V2, TEAM "@" TENANT, CONFIG, CREATOR, seg, &by_id), SB_OK);
    assert_true(webhook_url_verify(key, NONCE, &by_id));

    /* unsigned forms never verify, key or not */
    made.kind = WEBHOOK_URL_UNSIGNED;
    assert_false(webhook_url_verify(key, NONCE, &made));
    webhook_url_sign(key, NONCE, &made);
    assert_string_equal(made.sig, "");
}

static void test_format_puts_the_key_in_its_slot(void **state)
{
    struct webhook_url u;
    char out[512];

    (void)state;
    memset(&u, 0, sizeof(u));
    strcpy(u.team_id, TEAM);
    strcpy(u.tenant_id, TENANT);
    strcpy(u.config_id, CONFIG);
    strcpy(u.creator_id, CREATOR);
    strcpy(u.key, KEY);
    u.kind = WEBHOOK_URL_V2;
    webhook_url_sign(key, NONCE, &u);
    assert_int_equal(webhook_url_format(BASE, &u, out, sizeof(out)), SB_OK);
    assert_string_equal(out, BASE "/webhookb2/" TEAM "@" TENANT "/IncomingWebhook/" KEY "/" CREATOR
                                  "/V2" SIG_V2);
    u.kind = WEBHOOK_URL_UNSIGNED;
    webhook_url_sign(key, NONCE, &u);
    assert_int_equal(webhook_url_format(BASE, &u, out, sizeof(out)), SB_OK);
    assert_string_equal(out,
                        BASE "/webhookb2/" TEAM "@" TENANT "/IncomingWebhook/" KEY "/" CREATOR);
    u.kind = WEBHOOK_URL_LEGACY;
    assert_int_equal(webhook_url_format(BASE, &u, out, sizeof(out)), SB_OK);
    assert_string_equal(out, BASE "/webhook/" TEAM "@" TENANT "/IncomingWebhook/" KEY "/" CREATOR);
    /* the workflow shape routes by the configuration id whatever the key */
    u.kind = WEBHOOK_URL_WORKFLOW;
    webhook_url_sign(key, NONCE, &u);
    assert_int_equal(webhook_url_format(BASE, &u, out, sizeof(out)), SB_OK);
    assert_string_equal(out, URL_WF);
}

/* The patterns notification libraries and secret scanners check Teams URLs with (webhooks.md):
 * every connector form we format on a Microsoft-shaped base matches; the same URLs with the
 * configuration id in the key slot (before issue 17) did not. */
static void test_formatted_urls_match_the_teams_patterns(void **state)
{
    static const char b2[] =
        "^https://[a-z0-9-]+\\.webhook\\.office\\.com/webhookb2/[0-9a-f-]{36}@[0-9a-f-]{36}/"
        "IncomingWebhook/[0-9a-f]{32}/[0-9a-f-]{36}(/V2[A-Za-z0-9_-]+)?$";
    static const char legacy[] = "^https://outlook\\.office\\.com/webhook/[0-9a-f-]{36}@"
                                 "[0-9a-f-]{36}/IncomingWebhook/[0-9a-f]{32}/[0-9a-f-]{36}$";
    regex_t re_b2, re_legacy;
    struct webhook_url u;
    char out[512];

    (void)state;
    assert_int_equal(regcomp(&re_b2, b2, REG_EXTENDED | REG_NOSUB), 0);
    assert_int_equal(regcomp(&re_legacy, legacy, REG_EXTENDED | REG_NOSUB), 0);
    memset(&u, 0, sizeof(u));
    strcpy(u.team_id, TEAM);
    strcpy(u.tenant_id, TENANT);
    strcpy(u.config_id, CONFIG);
    strcpy(u.creator_id, CREATOR);
    strcpy(u.key, KEY);
    for (int kind = WEBHOOK_URL_V2; kind <= WEBHOOK_URL_UNSIGNED; kind++) {
        if (kind == WEBHOOK_URL_WORKFLOW || kind == WEBHOOK_URL_SERVICE)
            continue;
        u.kind = kind;
        webhook_url_sign(key, NONCE, &u);
        if (kind == WEBHOOK_URL_LEGACY) {
            assert_int_equal(webhook_url_format("https://outlook.office.com", &u, out, sizeof(out)),
                             SB_OK);
            assert_int_equal(regexec(&re_legacy, out, 0, NULL, 0), 0);
        } else {
            assert_int_equal(
                webhook_url_format("https://contoso.webhook.office.com", &u, out, sizeof(out)),
                SB_OK);
            assert_int_equal(regexec(&re_b2, out, 0, NULL, 0), 0);
        }
    }
    /* the old shape, for contrast: a dashed GUID in the key slot */
    u.key[0] = '\0';
    u.kind = WEBHOOK_URL_V2;
    webhook_url_sign(key, NONCE, &u);
    assert_int_equal(webhook_url_format("https://contoso.webhook.office.com", &u, out, sizeof(out)),
                     SB_OK);
    assert_int_not_equal(regexec(&re_b2, out, 0, NULL, 0), 0);
    regfree(&re_b2);
    regfree(&re_legacy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_v2),
        cmocka_unit_test(test_parse_v2_upper_case_hex),
        cmocka_unit_test(test_parse_legacy),
        cmocka_unit_test(test_parse_workflow),
        cmocka_unit_test(test_parse_workflow_without_or_bad_sig),
        cmocka_unit_test(test_parse_workflow_rejects_bad_config),
        cmocka_unit_test(test_parse_rejects_id_lengths),
        cmocka_unit_test(test_parse_rejects_id_chars),
        cmocka_unit_test(test_parse_rejects_missing_at),
        cmocka_unit_test(test_parse_rejects_bad_v2_prefix),
        cmocka_unit_test(test_parse_rejects_sig_length),
        cmocka_unit_test(test_parse_clears_output_on_failure),
        cmocka_unit_test(test_known_answer_signatures),
        cmocka_unit_test(test_sign_verify_round_trip),
        cmocka_unit_test(test_signature_alphabets),
        cmocka_unit_test(test_v2_base64url_signatures_still_verify),
        cmocka_unit_test(test_verify_fails_when_a_part_changes),
        cmocka_unit_test(test_verify_fails_on_any_sig_char),
        cmocka_unit_test(test_verify_fails_when_kind_switched),
        cmocka_unit_test(test_legacy_never_verifies),
        cmocka_unit_test(test_format_shapes),
        cmocka_unit_test(test_format_exact_fit_and_too_small),
        cmocka_unit_test(test_format_does_not_write_past_cap),
        cmocka_unit_test(test_format_unknown_kind),
        cmocka_unit_test(test_service_urls),
        cmocka_unit_test(test_is_key),
        cmocka_unit_test(test_parse_key_in_every_connector_form),
        cmocka_unit_test(test_parse_configuration_id_only_where_it_was_handed_out),
        cmocka_unit_test(test_parse_rejects_bad_keys),
        cmocka_unit_test(test_key_and_configuration_id_urls_share_the_signature),
        cmocka_unit_test(test_format_puts_the_key_in_its_slot),
        cmocka_unit_test(test_formatted_urls_match_the_teams_patterns),
    };

    if (sodium_init() < 0)
        return 1;
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (unsigned char)i;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
