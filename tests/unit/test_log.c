/*
 * test_log.c: unit tests for sb_log_redact (src/core/log.c): every kind of secret a log line
 * can carry is masked, and what is not secret stays as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/log.h"

#include <string.h>

static void expect(const char *in, const char *want)
{
    char out[512];
    size_t n = sb_log_redact(in, out, sizeof(out));

    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void test_webhook_paths(void **state)
{
    (void)state;
    expect("POST /webhookb2/1a2b@3c4d/IncomingWebhook/5e6f/7a8b/V2Zm9vYmFy -> 500 disk full",
           "POST /webhookb2/*** -> 500 disk full");
    expect("POST /webhook/1a2b@3c4d/IncomingWebhook/5e6f/7a8b -> 503 x",
           "POST /webhook/*** -> 503 x");
    expect("http://h:1/webhookb2/a/IncomingWebhook/b/c/V2s", "http://h:1/webhookb2/***");
}

static void test_service_paths(void **state)
{
    (void)state;
    expect("POST /connectors/github/0f0f-cfg/SIGNATURE -> 500 e",
           "POST /connectors/github/*** -> 500 e");
    /* The API's own connector paths hold ids, not credentials. */
    expect("GET /api/v1/connectors/0f0f/deliveries -> 500 e",
           "GET /api/v1/connectors/0f0f/deliveries -> 500 e");
}

static void test_query_and_form_values(void **state)
{
    (void)state;
    expect(
        "POST /workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=SECRET&sv=1.0 -> 500",
        "POST /workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=***&sv=1.0 -> 500");
    expect("https://x/cb?code=AUTHCODE&state=s", "https://x/cb?code=***&state=s");
    expect("grant_type=client_credentials&client_id=c&client_secret=S3CR3T",
           "grant_type=client_credentials&client_id=c&client_secret=***");
    expect("a?access_token=T1 b token=T2;", "a?access_token=*** b token=***;");
    /* Names that merely end like a secret's are left alone. */
    expect("mysig=keep zipcode=keep", "mysig=keep zipcode=keep");
}

static void test_json_values(void **state)
{
    (void)state;
    expect("upstream said {\"access_token\": \"eyJ.x\\\"y\", \"expires_in\": 3600}",
           "upstream said {\"access_token\": \"***\", \"expires_in\": 3600}");
    expect("{\"client_secret\":\"abc\",\"name\":\"n\"}",
           "{\"client_secret\":\"***\",\"name\":\"n\"}");
}

static void test_authorization(void **state)
{
    (void)state;
    expect("Authorization: Bearer abc.def.ghi rest", "Authorization: Bearer *** rest");
    expect("authorization: Basic dXNlcjpwYXNz", "authorization: Basic ***");
    expect("sent bearer tok123", "sent bearer ***");
}

static void test_userinfo(void **state)
{
    (void)state;
    expect("postgres: synchronous_commit is off on postgres://sb:hunter2@db:5432/sb",
           "postgres: synchronous_commit is off on postgres://sb:***@db:5432/sb");
    expect("http://host:8080/path", "http://host:8080/path");
}

static void test_plain_lines_and_truncation(void **state)
{
    char small[8];

    (void)state;
    expect("applied migration 003_outbox", "applied migration 003_outbox");
    expect("", "");
    assert_int_equal(sb_log_redact("/webhook/abcdefgh", small, sizeof(small)), 7);
    assert_string_equal(small, "/webhoo");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_webhook_paths),
        cmocka_unit_test(test_service_paths),
        cmocka_unit_test(test_query_and_form_values),
        cmocka_unit_test(test_json_values),
        cmocka_unit_test(test_authorization),
        cmocka_unit_test(test_userinfo),
        cmocka_unit_test(test_plain_lines_and_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
