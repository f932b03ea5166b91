/*
 * test_services.c: unit tests for src/services (service_card): the GitHub signature check, the
 * GitLab token check, the outcomes (post, ignore, refuse) and a few cards. The e2e suite posts
 * the real example payloads; these pin the decisions in isolation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "services/services.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRET "It's a Secret to Everybody"
/* GitHub's documented example: this body signed with this secret. */
#define GH_BODY "Hello, World!"
#define GH_SIG "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"

static struct sb_connector conn(const char *kind)
{
    struct sb_connector c;

    memset(&c, 0, sizeof(c));
    snprintf(c.kind, sizeof(c.kind), "%s", kind);
    snprintf(c.name, sizeof(c.name), "test");
    return c;
}

struct outcome {
    enum service_outcome o;
    int status;
    char why[256];
    json_t *card;
};

static struct outcome run(const char *kind, const char *settings, const struct service_headers *h,
                          const char *body)
{
    struct sb_connector c = conn(kind);
    struct outcome r;
    char *card = NULL;

    memset(&r, 0, sizeof(r));
    r.o = service_card(&c, settings, h, body, strlen(body), &card, &r.status, r.why, sizeof(r.why));
    if (card) {
        r.card = json_loads(card, 0, NULL);
        assert_non_null(r.card);
        free(card);
    }
    return r;
}

static void sign(const char *secret, const char *body, char out[72])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;

    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "sha256=", 7);
    sodium_bin2hex(out + 7, 65, mac, sizeof(mac));
}

static void github_known_answer(void **state)
{
    char sig[72];

    (void)state;
    sign(SECRET, GH_BODY, sig);
    assert_string_equal(sig, GH_SIG);
}

static void github_signature(void **state)
{
    const char *settings = "{\"secret\":\"" SECRET "\"}";
    const char *body = "{\"zen\":\"Keep it logically awesome.\"}";
    struct service_headers h = {"ping", NULL, NULL, "application/json"};
    char sig[72];
    struct outcome r;

    (void)state;
    r = run("github", settings, &h, body);
    assert_int_equal(r.o, SERVICE_REFUSE);
    assert_int_equal(r.status, 401);
    assert_non_null(strstr(r.why, "required"));

    sign("another secret", body, sig);
    h.signature = sig;
    r = run("github", settings, &h, body);
    assert_int_equal(r.o, SERVICE_REFUSE);
    assert_int_equal(r.status, 401);
    assert_non_null(strstr(r.why, "does not match"));

    h.signature = "sha256=zz";
    assert_int_equal(run("github", settings, &h, body).status, 401);
    h.signature = "sha1=0123456789012345678901234567890123456789";
    assert_int_equal(run("github", settings, &h, body).status, 401);

    sign(SECRET, body, sig);
    h.signature = sig;
    r = run("github", settings, &h, body);
    assert_int_equal(r.o, SERVICE_IGNORE);
    assert_non_null(strstr(r.why, "Keep it logically awesome."));

    /* A configuration without a secret never accepts a post. */
    assert_int_equal(run("github", "{}", &h, body).status, 401);
    /* Upper-case hex is the same signature. */
    for (char *p = sig + 7; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    assert_int_equal(run("github", settings, &h, body).o, SERVICE_IGNORE);
}

static void github_outcomes(void **state)
{
    const char *settings =
        "{\"secret\":\"" SECRET "\",\"events\":[\"issues\",\"push\"],\"branches\":[\"main\"]}";
    struct service_headers h = {"issues", NULL, NULL, NULL};
    const char *opened = "{\"action\":\"opened\",\"issue\":{\"number\":7,\"title\":\"Broken "
                         "<b>\",\"html_url\":\"https://github.com/o/r/issues/7\",\"user\":{"
                         "\"login\":\"u\"},\"body\":\"x\"},\"repository\":{\"full_name\":\"o/r\"},"
                         "\"sender\":{\"login\":\"u\"}}";
    const char *push_dev = "{\"ref\":\"refs/heads/dev\",\"commits\":[],\"repository\":{"
                           "\"full_name\":\"o/r\"},\"pusher\":{\"name\":\"u\"}}";
    char sig[72];
    struct outcome r;

    (void)state;
    sign(SECRET, opened, sig);
    h.signature = sig;
    r = run("github", settings, &h, opened);
    assert_int_equal(r.o, SERVICE_POST);
    assert_string_equal(json_string_value(json_object_get(r.card, "title")),
                        "[o/r] Issue #7 opened: Broken <b>");
    assert_string_equal(json_string_value(json_object_get(r.card, "themeColor")), "2EB886");
    json_decref(r.card);

    h.event = "release";
    r = run("github", settings, &h, opened);
    assert_int_equal(r.o, SERVICE_IGNORE);
    assert_non_null(strstr(r.why, "not selected"));

    h.event = "push";
    sign(SECRET, push_dev, sig);
    r = run("github", settings, &h, push_dev);
    assert_int_equal(r.o, SERVICE_IGNORE);
    assert_non_null(strstr(r.why, "filtered out"));

    h.event = NULL;
    assert_int_equal(run("github", settings, &h, push_dev).status, 400);
    h.event = "push";
    sign(SECRET, "[1]", sig);
    assert_int_equal(run("github", settings, &h, "[1]").status, 400);
}

static void gitlab_token(void **state)
{
    const char *settings = "{\"secret\":\"gl-secret-token\"}";
    const char *issue = "{\"object_kind\":\"issue\",\"user\":{\"name\":\"A\"},\"project\":{"
                        "\"path_with_namespace\":\"g/p\"},\"object_attributes\":{\"iid\":3,"
                        "\"title\":\"T\",\"action\":\"close\",\"url\":\"https://gitlab.example/"
                        "g/p/-/issues/3\"}}";
    struct service_headers h = {"Issue Hook", NULL, NULL, NULL};
    struct outcome r;

    (void)state;
    assert_int_equal(run("gitlab", settings, &h, issue).status, 401);
    h.token = "gl-secret-toke";
    assert_int_equal(run("gitlab", settings, &h, issue).status, 401);
    h.token = "gl-secret-token ";
    assert_int_equal(run("gitlab", settings, &h, issue).status, 401);
    h.token = "gl-secret-token";
    r = run("gitlab", settings, &h, issue);
    assert_int_equal(r.o, SERVICE_POST);
    assert_string_equal(json_string_value(json_object_get(r.card, "title")),
                        "[g/p] Issue #3 closed: T");
    json_decref(r.card);
    h.event = "Push Hook"; /* header and body disagree */
    assert_int_equal(run("gitlab", settings, &h, issue).o, SERVICE_IGNORE);
}

static void alertmanager(void **state)
{
    struct service_headers h = {NULL, NULL, NULL, NULL};
    struct outcome r;
    char body[8192];
    int n;

    (void)state;
    assert_int_equal(run("alertmanager", "{}", &h, "{\"text\":\"x\"}").status, 400);
    /* Twelve alerts: nine sections and a tenth that counts the rest. */
    n = snprintf(body, sizeof(body),
                 "{\"version\":\"4\",\"status\":\"firing\",\"groupLabels\":{\"alertname\":\"A\"},"
                 "\"commonLabels\":{\"alertname\":\"A\",\"q\":\"a\\\"b\"},\"externalURL\":"
                 "\"http://am.example:9093\",\"alerts\":[");
    for (int i = 0; i < 12; i++)
        n += snprintf(body + n, sizeof(body) - (size_t)n,
                      "%s{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\",\"i\":\"%d\"},"
                      "\"annotations\":{},\"startsAt\":\"2026-01-01T00:00:00Z\"}",
                      i ? "," : "", i);
    snprintf(body + n, sizeof(body) - (size_t)n, "]}");
    r = run("alertmanager", "{}", &h, body);
    assert_int_equal(r.o, SERVICE_POST);
    assert_string_equal(json_string_value(json_object_get(r.card, "title")), "[FIRING:12] A");
    assert_int_equal(json_array_size(json_object_get(r.card, "sections")), 10);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(r.card, "potentialAction"), 1), "name")),
                        "Silence");
    assert_non_null(
        strstr(json_string_value(json_object_get(
                   json_array_get(json_object_get(
                                      json_array_get(json_object_get(r.card, "potentialAction"), 1),
                                      "targets"),
                                  0),
                   "uri")),
               "q%3D%22a%5C%22b%22"));
    json_decref(r.card);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(github_known_answer), cmocka_unit_test(github_signature),
        cmocka_unit_test(github_outcomes),     cmocka_unit_test(gitlab_token),
        cmocka_unit_test(alertmanager),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
