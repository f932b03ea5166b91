/*
 * test_apphost.c: unit tests for the pure parts of the configuration host: splitting page URLs,
 * matching them against an app's validDomains, and the sandbox origins (connectors/configs.h,
 * connectors/apphost.h). The proxy and the Host-header match run in tests/e2e.
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

static void test_origin(void **state)
{
    struct sb_config cfg;
    struct sb_ctx ctx;
    char out[APPHOST_URL_MAX];

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    memset(&ctx, 0, sizeof(ctx));
    strcpy(cfg.apps_url, "https://{app}.apps.example.org");
    ctx.cfg = &cfg;
    assert_int_equal(apphost_origin(&ctx, "0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b", out, sizeof(out)),
                     SB_OK);
    assert_string_equal(out, "https://0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b.apps.example.org");
    assert_int_equal(
        apphost_frame_url(&ctx, "0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b", out, sizeof(out)), SB_OK);
    assert_string_equal(out, "https://0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b.apps.example.org"
                             "/__switchboard/host.html");
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
        assert_false(apphost_target_ok(bad[i]));
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_true(apphost_target_ok(good[i]));

    assert_int_equal(apphost_upstream_url("http://127.0.0.1:8081/config/start.html?lang=en",
                                          "/config/x y", "a=1&b=%2F", &url),
                     SB_OK);
    assert_string_equal(url, "http://127.0.0.1:8081/config/x%20y?a=1&b=%2f");
    free(url);
    /* Decoded paths that hold an authority, a fragment or a query stay in the path. */
    assert_int_equal(
        apphost_upstream_url("https://vendor.example/c", "/@127.0.0.2:9/x#@h?q", "", &url), SB_OK);
    assert_string_equal(url, "https://vendor.example/@127.0.0.2:9/x%23@h%3fq");
    free(url);
    assert_int_equal(apphost_upstream_url("https://vendor.example:8443/c", "/\\@h/x", "", &url),
                     SB_OK);
    assert_string_equal(url, "https://vendor.example:8443/%5c@h/x");
    free(url);
    /* A decoded path that is not origin-form is refused, not joined. */
    assert_int_equal(apphost_upstream_url("https://vendor.example/c", "@h/x", "", &url),
                     SB_ERR_INVALID);
    assert_int_equal(apphost_upstream_url("https://vendor.example/c", "//h/x", "", &url),
                     SB_ERR_INVALID);
    assert_null(url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),     cmocka_unit_test(test_valid_domains),
        cmocka_unit_test(test_templates), cmocka_unit_test(test_origin),
        cmocka_unit_test(test_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
