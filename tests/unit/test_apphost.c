/*
 * test_apphost.c: unit tests for the pure parts of the configuration host: splitting page URLs,
 * matching them against an app's validDomains, the sandbox origins and tokens
 * (connectors/configs.h, connectors/apphost.h), and the proxy's request targets, upstream URLs and
 * cookies (proxy/proxy.h). The relaying and the Host-header match run in tests/e2e.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "connectors/apphost.h"
#include "connectors/configs.h"
#include "core/config.h"

#include <stdlib.h>
#include <string.h>

static void test_split(void **state)
{
    char scheme[8], host[256];
    const char *path;
    int port;

    (void)state;
    assert_true(config_url_split("https://Vendor.Example/config?x=1", scheme, sizeof(scheme), host,
                                 sizeof(host), &port, &path));
    assert_string_equal(scheme, "https");
    assert_string_equal(host, "vendor.example");
    assert_int_equal(port, 443);
    assert_string_equal(path, "/config?x=1");
    assert_true(config_url_split("http://127.0.0.1:8081", scheme, sizeof(scheme), host,
                                 sizeof(host), &port, &path));
    assert_string_equal(scheme, "http");
    assert_int_equal(port, 8081);
    assert_string_equal(path, "/");
    static const char *bad[] = {"ftp://a.example/",
                                "https://",
                                "https://user@a.example/",
                                "https://a.example:0/",
                                "https://a.example:99999/",
                                "https://a.example:12x/",
                                "https://[::1]/",
                                "https://a.example/a b",
                                "javascript:alert(1)",
                                "//a.example/",
                                "https://a.example\\@b.com",
                                "https://a_b.example/"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(
            config_url_split(bad[i], scheme, sizeof(scheme), host, sizeof(host), &port, &path));
}

static void test_valid_domains(void **state)
{
    const char *domains = "[\"example.org\",\"*.vendor.example\"]";
    char why[320];

    (void)state;
    /* https URLs never consult the outbound allow list, so no context is needed here. */
    assert_true(config_url_allowed(NULL, domains, "https://example.org/c", why, sizeof(why)));
    assert_true(config_url_allowed(NULL, domains, "https://EXAMPLE.org:8443/c", why, sizeof(why)));
    assert_true(config_url_allowed(NULL, domains, "https://a.vendor.example/c", why, sizeof(why)));
    assert_true(config_url_allowed(NULL, domains, "https://a.b.vendor.example/", why, sizeof(why)));
    assert_false(config_url_allowed(NULL, domains, "https://vendor.example/", why, sizeof(why)));
    assert_string_equal(why, "is on 'vendor.example', which is not in the app's validDomains");
    assert_false(
        config_url_allowed(NULL, domains, "https://example.org.evil.com/", why, sizeof(why)));
    assert_false(config_url_allowed(NULL, domains, "https://evilexample.org/", why, sizeof(why)));
    assert_false(
        config_url_allowed(NULL, domains, "https://x.evil-vendor.example/", why, sizeof(why)));
    assert_false(config_url_allowed(NULL, "[]", "https://example.org/", why, sizeof(why)));
    assert_false(config_url_allowed(NULL, domains, "data:text/html,x", why, sizeof(why)));
    assert_string_equal(why, "must be an https URL");
}

static void test_templates(void **state)
{
    char out[APPHOST_URL_MAX];

    (void)state;
    assert_int_equal(apphost_default_template("http://127.0.0.1:8080", out, sizeof(out)), SB_OK);
    assert_string_equal(out, "http://{app}.apps.localhost:8080");
    assert_int_equal(apphost_default_template("https://chat.example.org", out, sizeof(out)), SB_OK);
    assert_string_equal(out, "https://{app}.apps.chat.example.org");
    assert_int_equal(apphost_default_template("https://chat.example.org:8443/", out, sizeof(out)),
                     SB_OK);
    assert_string_equal(out, "https://{app}.apps.chat.example.org:8443");
    assert_true(apphost_template_ok("https://{app}.apps.example.org"));
    assert_true(apphost_template_ok("http://{app}.apps.localhost:8080"));
    assert_false(apphost_template_ok("https://apps.example.org"));
    assert_false(apphost_template_ok("https://{app}.{app}.example.org"));
    assert_false(apphost_template_ok("https://{app}.apps.example.org/path"));
    assert_false(apphost_template_ok("ftp://{app}.apps.example.org"));
    assert_false(apphost_template_ok("https://x@{app}.example.org"));
}

static int64_t fixed_now(void *arg)
{
    (void)arg;
    return 1000000000;
}

static void test_origin(void **state)
{
    struct sb_config cfg;
    struct sb_ctx ctx;
    char out[APPHOST_URL_MAX], frame[APPHOST_FRAME_URL_MAX];

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    memset(&ctx, 0, sizeof(ctx));
    strcpy(cfg.apps_url, "https://{app}.apps.example.org");
    ctx.cfg = &cfg;
    assert_int_equal(apphost_origin(&ctx, "0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b", out, sizeof(out)),
                     SB_OK);
    assert_string_equal(out, "https://0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b.apps.example.org");
    ctx.clock.now_ms = fixed_now;
    assert_int_equal(apphost_frame_url(&ctx, "0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b",
                                       "2a2a2a2a-3b3b-4c4c-8d8d-5e5e5e5e5e5e", frame,
                                       sizeof(frame)),
                     SB_OK);
    assert_memory_equal(
        frame,
        "https://0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b.apps.example.org"
        "/__switchboard/host.html?ticket=2a2a2a2a-3b3b-4c4c-8d8d-5e5e5e5e5e5e.1000300000.",
        strlen("https://0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b.apps.example.org"
               "/__switchboard/host.html?ticket=2a2a2a2a-3b3b-4c4c-8d8d-5e5e5e5e5e5e."
               "1000300000."));
    assert_int_not_equal(apphost_origin(&ctx, "x", out, 10), SB_OK);
}

/* Only origin-form targets are relayed, and the upstream URL keeps the app's origin whatever
 * the path holds. */
static void test_targets(void **state)
{
    static const char *bad[] = {
        NULL,    "",       "@127.0.0.2:9/x", "\\@127.0.0.2:9/x", "#@h/", "%40h/x",
        "//h/x", "///h/x", "http://h",       "HTTP://h/x",       "*",    "?@h/",
        "h:9/x", ":@h/x"};
    static const char *good[] = {"/", "/config/start.html?x=1", "/@127.0.0.2:9/x", "/%40h/x",
                                 "/\\h/x"};
    char *url = NULL;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(proxy_target_ok(bad[i]));
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_true(proxy_target_ok(good[i]));

    assert_int_equal(proxy_upstream_url("http://127.0.0.1:8081/config/start.html?lang=en",
                                        "/config/x y", "a=1&b=%2F", &url),
                     SB_OK);
    assert_string_equal(url, "http://127.0.0.1:8081/config/x%20y?a=1&b=%2f");
    free(url);
    /* Decoded paths that hold an authority, a fragment or a query stay in the path. */
    assert_int_equal(
        proxy_upstream_url("https://vendor.example/c", "/@127.0.0.2:9/x#@h?q", "", &url), SB_OK);
    assert_string_equal(url, "https://vendor.example/@127.0.0.2:9/x%23@h%3fq");
    free(url);
    assert_int_equal(proxy_upstream_url("https://vendor.example:8443/c", "/\\@h/x", "", &url),
                     SB_OK);
    assert_string_equal(url, "https://vendor.example:8443/%5c@h/x");
    free(url);
    /* A decoded path that is not origin-form is refused, not joined. */
    assert_int_equal(proxy_upstream_url("https://vendor.example/c", "@h/x", "", &url),
                     SB_ERR_INVALID);
    assert_int_equal(proxy_upstream_url("https://vendor.example/c", "//h/x", "", &url),
                     SB_ERR_INVALID);
    assert_null(url);
    {
        char long_path[PROXY_PATH_MAX + 2];

        memset(long_path, 'a', sizeof(long_path) - 1);
        long_path[0] = '/';
        long_path[sizeof(long_path) - 1] = '\0';
        assert_int_equal(proxy_upstream_url("https://vendor.example/c", long_path, "", &url),
                         SB_ERR_INVALID);
        long_path[PROXY_PATH_MAX] = '\0';
        assert_int_equal(proxy_upstream_url("https://vendor.example/c", long_path, "", &url),
                         SB_OK);
        free(url);
    }
}

#define APP "0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b"
#define OTHER_APP "1f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b"
#define USER "2a2a2a2a-3b3b-4c4c-8d8d-5e5e5e5e5e5e"

/* Tickets and sessions: signed, bound to app, user, kind and expiry; anything altered fails. */
static void test_tokens(void **state)
{
    unsigned char key[32], key2[32];
    char t[APPHOST_TOKEN_MAX], bad[APPHOST_TOKEN_MAX + 2], user[SB_ID_LEN + 1];
    const int64_t now = 1800000000000;

    (void)state;
    memset(key, 7, sizeof(key));
    memset(key2, 8, sizeof(key2));
    assert_int_equal(
        apphost_token_make(key, APPHOST_TOKEN_TICKET, APP, USER, now + 1000, t, sizeof(t)), SB_OK);
    assert_true(apphost_token_check(key, APPHOST_TOKEN_TICKET, APP, t, now, user));
    assert_string_equal(user, USER);
    /* Expired (at and after its expiry), another app, another kind, another key. */
    assert_false(apphost_token_check(key, APPHOST_TOKEN_TICKET, APP, t, now + 1000, user));
    assert_false(apphost_token_check(key, APPHOST_TOKEN_TICKET, APP, t, now + 5000, user));
    assert_false(apphost_token_check(key, APPHOST_TOKEN_TICKET, OTHER_APP, t, now, user));
    assert_false(apphost_token_check(key, APPHOST_TOKEN_SESSION, APP, t, now, user));
    assert_false(apphost_token_check(key2, APPHOST_TOKEN_TICKET, APP, t, now, user));
    /* Every single-character change is refused. */
    for (size_t i = 0; i < strlen(t); i++) {
        strcpy(bad, t);
        bad[i] = bad[i] == 'A' ? 'B' : bad[i] == '9' ? '8' : bad[i] == '.' ? '-' : 'A';
        assert_false(apphost_token_check(key, APPHOST_TOKEN_TICKET, APP, bad, now, user));
    }
    /* Truncated, extended, empty, malformed. */
    strcpy(bad, t);
    bad[strlen(bad) - 1] = '\0';
    assert_false(apphost_token_check(key, APPHOST_TOKEN_TICKET, APP, bad, now, user));
    snprintf(bad, sizeof(bad), "%sA", t);
    assert_false(apphost_token_check(key, APPHOST_TOKEN_TICKET, APP, bad, now, user));
    assert_false(apphost_token_check(key, APPHOST_TOKEN_TICKET, APP, "", now, user));
    assert_false(apphost_token_check(key, APPHOST_TOKEN_TICKET, APP, NULL, now, user));
    assert_false(apphost_token_check(key, APPHOST_TOKEN_TICKET, APP, USER "..", now, user));
    assert_false(apphost_token_check(key, APPHOST_TOKEN_TICKET, APP, USER ".-1.x", now, user));
    assert_int_not_equal(
        apphost_token_make(key, APPHOST_TOKEN_TICKET, APP, "admin", now, t, sizeof(t)), SB_OK);
    assert_int_not_equal(apphost_token_make(key, APPHOST_TOKEN_TICKET, APP, USER, now, t, 20),
                         SB_OK);
}

/* Switchboard's cookies never go upstream; the page's do. */
static void test_cookie_filter(void **state)
{
    char *out = NULL;

    (void)state;
    assert_int_equal(proxy_cookie_filter("sb_session=s; a=1;b=2 ; __Host-sb_session=h;"
                                         "  sb_sandbox=x;SB_SESSION =y; c",
                                         &out),
                     SB_OK);
    assert_string_equal(out, "a=1; b=2; c");
    free(out);
    assert_int_equal(proxy_cookie_filter("sb_session=s; sb_sandbox=x", &out), SB_OK);
    assert_null(out);
    assert_int_equal(proxy_cookie_filter("", &out), SB_OK);
    assert_null(out);
}

/* A vendor's Set-Cookie stays host-only on the sandbox origin. */
static void test_set_cookie(void **state)
{
    static const char *const cases[][2] = {
        {"a=1; Domain=example.org; Path=/", "a=1; Path=/"},
        {"a=1;domain=example.org", "a=1"},
        {"a=1;  Domain =example.org ;Path=/x", "a=1; Path=/x"},
        {"a=1; DOMAIN=.example.org; Secure", "a=1; Secure"},
        {"a=1; domain", "a=1"},
        {"a=1; Domain=a; Domain=b", "a=1"},
        {"a = 1 ; path=/; httponly; samesite=None; secure; partitioned; max-age=5; priority=high",
         "a = 1; Path=/; HttpOnly; SameSite=None; Secure; Partitioned; Max-Age=5"},
        {"a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT",
         "a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT"},
        {"Domain=x", "Domain=x"},
        {"sb_session=x; Path=/", NULL},
        {"__Host-sb_session=x; Path=/; Secure", NULL},
        {"sb_sandbox=x", NULL},
        {" Sb_Session =x", NULL},
        {"=sb_session=x", NULL},
        {"novalue", NULL},
        {"a b=1", NULL},
        {"a;b=1", NULL},
    };
    char out[256];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bool ok = proxy_set_cookie_rewrite(cases[i][0], out, sizeof(out));

        if (!cases[i][1]) {
            assert_false(ok);
            continue;
        }
        assert_true(ok);
        assert_string_equal(out, cases[i][1]);
    }
    assert_false(proxy_set_cookie_rewrite("a=1; Path=/very/long", out, 8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),         cmocka_unit_test(test_valid_domains),
        cmocka_unit_test(test_templates),     cmocka_unit_test(test_origin),
        cmocka_unit_test(test_targets),       cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_cookie_filter), cmocka_unit_test(test_set_cookie),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
