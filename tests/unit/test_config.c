/*
 * test_config.c: unit tests for src/core/config (flags, SWITCHBOARD_* environment variables,
 * defaults and the errors that name the bad flag).
 *
 * Every test starts with none of the variables set (whatever the environment running the tests
 * had is saved first and put back at the end).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const env_names[] = {
    "SWITCHBOARD_LISTEN",
    "SWITCHBOARD_DATA",
    "SWITCHBOARD_DB",
    "SWITCHBOARD_PUBLIC_URL",
    "SWITCHBOARD_TLS_CERT",
    "SWITCHBOARD_TLS_KEY",
    "SWITCHBOARD_WEBHOOK_RATE_LIMIT",
    "SWITCHBOARD_MAX_PAYLOAD",
    "SWITCHBOARD_MAX_BODY",
    "SWITCHBOARD_THREADS",
    "SWITCHBOARD_MAX_CONNECTIONS_PER_IP",
    "SWITCHBOARD_UNAUTHENTICATED_BODY_BUDGET",
    "SWITCHBOARD_OIDC_ISSUER",
    "SWITCHBOARD_OIDC_CLIENT_ID",
    "SWITCHBOARD_OIDC_CLIENT_SECRET",
    "SWITCHBOARD_OIDC_NAME",
    "SWITCHBOARD_OIDC_CREATE_USERS",
    "SWITCHBOARD_DISABLE_PASSWORD_SIGN_IN",
    "SWITCHBOARD_BREAK_GLASS_ADMIN",
};
#define NENV (sizeof(env_names) / sizeof(env_names[0]))

static char *saved_env[NENV];

/* ---- fixtures ---- */

static int clear_env(void **state)
{
    (void)state;
    for (size_t i = 0; i < NENV; i++)
        unsetenv(env_names[i]);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < NENV; i++) {
        const char *v = getenv(env_names[i]);
        saved_env[i] = v ? strdup(v) : NULL;
    }
    return clear_env(state);
}

static int group_teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < NENV; i++) {
        if (saved_env[i])
            setenv(env_names[i], saved_env[i], 1);
        else
            unsetenv(env_names[i]);
        free(saved_env[i]);
        saved_env[i] = NULL;
    }
    return 0;
}

/* ---- helpers ---- */

/* Parses a NULL-terminated list of arguments. */
static sb_err parse_args(struct sb_config *cfg, struct sb_diag *diag, const char **args)
{
    char *argv[32];
    int argc = 0;

    while (args[argc]) {
        assert_true(argc < 32);
        argv[argc] = (char *)args[argc];
        argc++;
    }
    memset(diag, 0, sizeof(*diag));
    return sb_config_parse(cfg, argc, argv, diag);
}

#define PARSE(cfg, diag, ...) parse_args((cfg), (diag), (const char *[]){__VA_ARGS__, NULL})

static void parse_ok(struct sb_config *cfg, const char **args)
{
    struct sb_diag diag;
    sb_err err = parse_args(cfg, &diag, args);

    if (err)
        print_error("unexpected failure: %s: %s\n", diag.code, diag.message);
    assert_int_equal(err, SB_OK);
}

#define PARSE_OK(cfg, ...) parse_ok((cfg), (const char *[]){__VA_ARGS__, NULL})

/* Expects SB_ERR_INVALID whose message contains each of the given pieces. */
static void parse_fails(const char **args, const char *piece1, const char *piece2)
{
    struct sb_config cfg;
    struct sb_diag diag;

    assert_int_equal(parse_args(&cfg, &diag, args), SB_ERR_INVALID);
    assert_string_equal(diag.code, "usage");
    if (piece1 && !strstr(diag.message, piece1))
        fail_msg("message '%s' does not contain '%s'", diag.message, piece1);
    if (piece2 && !strstr(diag.message, piece2))
        fail_msg("message '%s' does not contain '%s'", diag.message, piece2);
}

#define FAILS(p1, p2, ...) parse_fails((const char *[]){__VA_ARGS__, NULL}, (p1), (p2))

static void parse_env_fails(const char *piece1, const char *piece2)
{
    struct sb_config cfg;
    struct sb_diag diag;

    memset(&diag, 0, sizeof(diag));
    assert_int_equal(sb_config_parse(&cfg, 0, NULL, &diag), SB_ERR_INVALID);
    if (piece1 && !strstr(diag.message, piece1))
        fail_msg("message '%s' does not contain '%s'", diag.message, piece1);
    if (piece2 && !strstr(diag.message, piece2))
        fail_msg("message '%s' does not contain '%s'", diag.message, piece2);
}

/* ---- defaults ---- */

static void test_defaults(void **state)
{
    struct sb_config cfg;
    struct sb_diag diag;

    (void)state;
    memset(&cfg, 0x5a, sizeof(cfg)); /* whatever was there before is replaced */
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(sb_config_parse(&cfg, 0, NULL, &diag), SB_OK);
    assert_string_equal(cfg.listen_host, "127.0.0.1");
    assert_int_equal(cfg.listen_port, 8080);
    assert_string_equal(cfg.data_dir, "./var");
    assert_string_equal(cfg.db_url, "sqlite:./var/switchboard.db");
    assert_string_equal(cfg.public_url, "");
    assert_false(cfg.public_url_set);
    assert_string_equal(cfg.tls_cert, "");
    assert_string_equal(cfg.tls_key, "");
    assert_true(cfg.webhook_rate_limit == 4.0);
    assert_int_equal(cfg.max_payload, 28 * 1024);
    assert_int_equal(cfg.max_body, 1024 * 1024);
    assert_int_equal(cfg.threads, 8);
    assert_int_equal(cfg.max_connections_per_ip, 1024);
    assert_int_equal(cfg.public_body_budget, 64 * 1024 * 1024);
}

static void test_connection_and_body_limits(void **state)
{
    struct sb_config cfg;
    struct sb_diag diag = {{0}, {0}};
    char *bad[] = {"--max-connections-per-ip", "-1"};

    (void)state;
    PARSE_OK(&cfg, "--max-connections-per-ip", "0", "--unauthenticated-body-budget", "65536");
    assert_int_equal(cfg.max_connections_per_ip, 0);
    assert_int_equal(cfg.public_body_budget, 65536);
    setenv("SWITCHBOARD_MAX_CONNECTIONS_PER_IP", "16", 1);
    setenv("SWITCHBOARD_UNAUTHENTICATED_BODY_BUDGET", "1000", 1);
    PARSE_OK(&cfg, NULL);
    assert_int_equal(cfg.max_connections_per_ip, 16);
    assert_int_equal(cfg.public_body_budget, 1000);
    assert_int_equal(sb_config_parse(&cfg, 2, bad, &diag), SB_ERR_INVALID);
    assert_non_null(strstr(diag.message, "max-connections-per-ip"));
}

/* ---- flags ---- */

static void test_each_flag(void **state)
{
    struct sb_config cfg;

    (void)state;
    PARSE_OK(&cfg, "--listen", "0.0.0.0:9000", "--data", "/srv/sb", "--db", "sqlite:/tmp/x.db",
             "--public-url", "https://sb.example.com", "--tls-cert", "/etc/c.pem", "--tls-key",
             "/etc/k.pem", "--webhook-rate-limit", "2.5", "--max-payload", "1000", "--max-body",
             "2000", "--threads", "3");
    assert_string_equal(cfg.listen_host, "0.0.0.0");
    assert_int_equal(cfg.listen_port, 9000);
    assert_string_equal(cfg.data_dir, "/srv/sb");
    assert_string_equal(cfg.db_url, "sqlite:/tmp/x.db");
    assert_string_equal(cfg.public_url, "https://sb.example.com");
    assert_true(cfg.public_url_set);
    assert_string_equal(cfg.tls_cert, "/etc/c.pem");
    assert_string_equal(cfg.tls_key, "/etc/k.pem");
    assert_true(cfg.webhook_rate_limit == 2.5);
    assert_int_equal(cfg.max_payload, 1000);
    assert_int_equal(cfg.max_body, 2000);
    assert_int_equal(cfg.threads, 3);
}

static void test_equals_form(void **state)
{
    struct sb_config cfg;

    (void)state;
    PARSE_OK(&cfg, "--listen=localhost:81", "--data=/d", "--webhook-rate-limit=0",
             "--max-payload=5", "--max-body=6", "--threads=1", "--public-url=http://h:1/p/");
    assert_string_equal(cfg.listen_host, "localhost");
    assert_int_equal(cfg.listen_port, 81);
    assert_string_equal(cfg.data_dir, "/d");
    assert_string_equal(cfg.db_url, "sqlite:/d/switchboard.db");
    assert_true(cfg.webhook_rate_limit == 0.0);
    assert_int_equal(cfg.max_payload, 5);
    assert_int_equal(cfg.max_body, 6);
    assert_int_equal(cfg.threads, 1);
    assert_string_equal(cfg.public_url, "http://h:1/p");

    /* the value may itself contain '=' */
    PARSE_OK(&cfg, "--db=sqlite:/tmp/a=b.db");
    assert_string_equal(cfg.db_url, "sqlite:/tmp/a=b.db");
    /* a value starting with dashes is still a value when separate */
    PARSE_OK(&cfg, "--data", "--weird");
    assert_string_equal(cfg.data_dir, "--weird");
}

static void test_listen_forms(void **state)
{
    struct sb_config cfg;
    char host[64];
    int port = -1;

    (void)state;
    PARSE_OK(&cfg, "--listen", "[::1]:0");
    assert_string_equal(cfg.listen_host, "::1");
    assert_int_equal(cfg.listen_port, 0);
    PARSE_OK(&cfg, "--listen", "[::]:65535");
    assert_string_equal(cfg.listen_host, "::");
    assert_int_equal(cfg.listen_port, 65535);
    PARSE_OK(&cfg, "--listen=[fe80::1%eth0]:8443");
    assert_string_equal(cfg.listen_host, "fe80::1%eth0");
    assert_int_equal(cfg.listen_port, 8443);
    PARSE_OK(&cfg, "--listen", "example.com:80");
    assert_string_equal(cfg.listen_host, "example.com");
    assert_int_equal(cfg.listen_port, 80);

    /* sb_config_parse_listen directly, including the host buffer's size */
    assert_int_equal(sb_config_parse_listen("a:1", host, sizeof(host), &port), SB_OK);
    assert_string_equal(host, "a");
    assert_int_equal(port, 1);
    assert_int_equal(sb_config_parse_listen("abcd:1", host, 5, &port), SB_OK);
    assert_string_equal(host, "abcd");
    assert_int_equal(sb_config_parse_listen("abcde:1", host, 5, &port), SB_ERR_INVALID);
    assert_int_equal(sb_config_parse_listen("[abcde]:1", host, 5, &port), SB_ERR_INVALID);
}

static void test_bad_listen(void **state)
{
    char host[64];
    int port = -1;
    static const char *const bad[] = {
        "localhost",  /* no port */
        "localhost:", /* empty port */
        ":8080",      /* no host */
        "localhost:70000",
        "localhost:65536",
        "localhost:-1",
        "localhost:+80",
        "localhost: 80",
        "localhost:80x",
        "localhost:http",
        "localhost:0x50",
        "[::1]",
        "[::1]:",
        "[::1]8080",
        "[]:80",
        "[::1:80",
        "",
        "localhost:99999999999999999999",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (sb_config_parse_listen(bad[i], host, sizeof(host), &port) != SB_ERR_INVALID)
            fail_msg("'%s' was accepted", bad[i]);
        FAILS("--listen", "HOST:PORT", "--listen", bad[i]);
    }
    FAILS("--listen", "70000", "--listen=127.0.0.1:70000");
    FAILS("--listen", "abc", "--listen", "127.0.0.1:abc");
}

static void test_public_url(void **state)
{
    struct sb_config cfg;

    (void)state;
    PARSE_OK(&cfg, "--public-url", "https://sb.example.com/");
    assert_string_equal(cfg.public_url, "https://sb.example.com");
    assert_true(cfg.public_url_set);
    PARSE_OK(&cfg, "--public-url", "http://localhost:8080/base///");
    assert_string_equal(cfg.public_url, "http://localhost:8080/base");
    PARSE_OK(&cfg, "--public-url", "http://localhost:8080");
    assert_string_equal(cfg.public_url, "http://localhost:8080");

    FAILS("--public-url", "http://", "--public-url", "sb.example.com");
    FAILS("--public-url", "sb.example.com", "--public-url=sb.example.com");
    FAILS("--public-url", NULL, "--public-url", "ftp://sb.example.com");
    FAILS("--public-url", NULL, "--public-url", "//sb.example.com");
    FAILS("--public-url", NULL, "--public-url", "HTTPS:/sb.example.com");
    FAILS("--public-url", NULL, "--public-url", "");
}

static void test_public_url_needs_a_host(void **state)
{
    struct sb_config cfg;
    struct sb_diag diag;

    (void)state;
    /* a scheme and nothing else (or only slashes after it) is no URL: stripping the slashes
     * would leave "http:" */
    assert_int_equal(PARSE(&cfg, &diag, "--public-url", "http://"), SB_ERR_INVALID);
    assert_int_equal(PARSE(&cfg, &diag, "--public-url", "https:///"), SB_ERR_INVALID);
    assert_non_null(strstr(diag.message, "--public-url"));
}

static void test_unknown_flag(void **state)
{
    (void)state;
    FAILS("--frobnicate", NULL, "--frobnicate", "1");
    FAILS("--frobnicate", NULL, "--frobnicate=1");
    FAILS("--listen-port", NULL, "--listen-port", "80");
    FAILS("--list", NULL, "--list", "127.0.0.1:80"); /* prefixes are not abbreviations */
    FAILS("--LISTEN", NULL, "--LISTEN", "127.0.0.1:80");
    FAILS("unknown flag --", NULL, "--");
    /* not a flag at all */
    FAILS("unexpected argument", "serve", "serve");
    FAILS("unexpected argument", "-listen", "-listen", "127.0.0.1:80");
    /* an unknown flag after good ones is still found */
    FAILS("--nope", NULL, "--threads", "2", "--nope");
}

static void test_missing_value(void **state)
{
    (void)state;
    FAILS("--listen", "needs a value", "--listen");
    FAILS("--threads", "needs a value", "--data", "/x", "--threads");
    FAILS("--public-url", "needs a value", "--public-url");
    /* "--flag=" is an empty value, which no flag accepts */
    FAILS("--data", NULL, "--data=");
    FAILS("--listen", NULL, "--listen=");
    FAILS("--threads", NULL, "--threads=");
    FAILS("--webhook-rate-limit", NULL, "--webhook-rate-limit=");
}

static void test_bad_rate(void **state)
{
    struct sb_config cfg;

    (void)state;
    FAILS("--webhook-rate-limit", "-1", "--webhook-rate-limit", "-1");
    FAILS("--webhook-rate-limit", "abc", "--webhook-rate-limit", "abc");
    FAILS("--webhook-rate-limit", NULL, "--webhook-rate-limit", "4/s");
    FAILS("--webhook-rate-limit", NULL, "--webhook-rate-limit", "1e7");
    FAILS("--webhook-rate-limit", NULL, "--webhook-rate-limit", "inf");
    FAILS("--webhook-rate-limit", NULL, "--webhook-rate-limit", "-0.001");
    FAILS("--webhook-rate-limit", NULL, "--webhook-rate-limit", "1e999");
    PARSE_OK(&cfg, "--webhook-rate-limit", "0.5");
    assert_true(cfg.webhook_rate_limit == 0.5);
    PARSE_OK(&cfg, "--webhook-rate-limit", "1000000");
    assert_true(cfg.webhook_rate_limit == 1e6);
}

static void test_rate_not_a_number(void **state)
{
    (void)state;
    /* strtod reads "nan": a NaN rate must be refused like any other non-number */
    FAILS("--webhook-rate-limit", "nan", "--webhook-rate-limit", "nan");
    FAILS("--webhook-rate-limit", NULL, "--webhook-rate-limit", "NAN(123)");
}

static void test_bad_numbers(void **state)
{
    struct sb_config cfg;

    (void)state;
    FAILS("--threads", NULL, "--threads", "0");
    FAILS("--threads", NULL, "--threads", "1025");
    FAILS("--threads", NULL, "--threads", "-1");
    FAILS("--threads", NULL, "--threads", "2x");
    FAILS("--threads", NULL, "--threads", "2147483648");
    FAILS("--max-payload", NULL, "--max-payload", "abc");
    FAILS("--max-payload", NULL, "--max-payload", " 1");
    FAILS("--max-body", NULL, "--max-body", "-5");
    FAILS("--max-body", NULL, "--max-body", "99999999999999999999999");
    PARSE_OK(&cfg, "--threads", "1024", "--max-body", "0");
    assert_int_equal(cfg.threads, 1024);
    assert_int_equal(cfg.max_body, 0);
}

static void test_tls_pair(void **state)
{
    struct sb_config cfg;

    (void)state;
    FAILS("--tls-cert", "--tls-key", "--tls-cert", "/c.pem");
    FAILS("--tls-cert", "--tls-key", "--tls-key", "/k.pem");
    PARSE_OK(&cfg, "--tls-cert", "/c.pem", "--tls-key", "/k.pem");
    assert_string_equal(cfg.tls_cert, "/c.pem");
    assert_string_equal(cfg.tls_key, "/k.pem");
    /* one from the environment and one from a flag make a pair too */
    setenv("SWITCHBOARD_TLS_KEY", "/env-k.pem", 1);
    PARSE_OK(&cfg, "--tls-cert", "/c.pem");
    assert_string_equal(cfg.tls_key, "/env-k.pem");
}

static void test_too_long_values(void **state)
{
    static char big[2048];
    char arg[2100];

    (void)state;
    memset(big, 'a', sizeof(big) - 1);
    FAILS("--data", NULL, "--data", big);
    FAILS("--tls-cert", NULL, "--tls-cert", big);
    snprintf(arg, sizeof(arg), "--listen=%.300s:80", big);
    FAILS("--listen", NULL, arg);
    /* the longest data directory that fits, with the database inside it */
    big[1023] = '\0';
    {
        struct sb_config cfg;
        PARSE_OK(&cfg, "--data", big);
        assert_int_equal(strlen(cfg.data_dir), 1023);
        assert_int_equal(strlen(cfg.db_url), strlen("sqlite:") + 1023 + strlen("/switchboard.db"));
    }
}

static void test_last_flag_wins(void **state)
{
    struct sb_config cfg;

    (void)state;
    PARSE_OK(&cfg, "--threads", "2", "--threads=5");
    assert_int_equal(cfg.threads, 5);
}

/* ---- environment ---- */

static void test_env_used(void **state)
{
    struct sb_config cfg;

    (void)state;
    setenv("SWITCHBOARD_LISTEN", "[::1]:7000", 1);
    setenv("SWITCHBOARD_DATA", "/env/data", 1);
    setenv("SWITCHBOARD_PUBLIC_URL", "https://env.example.com//", 1);
    setenv("SWITCHBOARD_TLS_CERT", "/env/c.pem", 1);
    setenv("SWITCHBOARD_TLS_KEY", "/env/k.pem", 1);
    setenv("SWITCHBOARD_WEBHOOK_RATE_LIMIT", "0.25", 1);
    setenv("SWITCHBOARD_MAX_PAYLOAD", "111", 1);
    setenv("SWITCHBOARD_MAX_BODY", "222", 1);
    setenv("SWITCHBOARD_THREADS", "7", 1);
    PARSE_OK(&cfg, NULL);
    assert_string_equal(cfg.listen_host, "::1");
    assert_int_equal(cfg.listen_port, 7000);
    assert_string_equal(cfg.data_dir, "/env/data");
    assert_string_equal(cfg.db_url, "sqlite:/env/data/switchboard.db");
    assert_string_equal(cfg.public_url, "https://env.example.com");
    assert_true(cfg.public_url_set);
    assert_string_equal(cfg.tls_cert, "/env/c.pem");
    assert_string_equal(cfg.tls_key, "/env/k.pem");
    assert_true(cfg.webhook_rate_limit == 0.25);
    assert_int_equal(cfg.max_payload, 111);
    assert_int_equal(cfg.max_body, 222);
    assert_int_equal(cfg.threads, 7);

    setenv("SWITCHBOARD_DB", "sqlite:/env/other.db", 1);
    PARSE_OK(&cfg, NULL);
    assert_string_equal(cfg.db_url, "sqlite:/env/other.db");
}

static void test_env_empty_is_unset(void **state)
{
    struct sb_config cfg;

    (void)state;
    setenv("SWITCHBOARD_THREADS", "", 1);
    setenv("SWITCHBOARD_LISTEN", "", 1);
    PARSE_OK(&cfg, NULL);
    assert_int_equal(cfg.threads, 8);
    assert_int_equal(cfg.listen_port, 8080);
}

static void test_flag_wins_over_env(void **state)
{
    struct sb_config cfg;

    (void)state;
    setenv("SWITCHBOARD_LISTEN", "10.0.0.1:1", 1);
    setenv("SWITCHBOARD_THREADS", "7", 1);
    setenv("SWITCHBOARD_WEBHOOK_RATE_LIMIT", "9", 1);
    setenv("SWITCHBOARD_PUBLIC_URL", "https://env.example.com", 1);
    PARSE_OK(&cfg, "--listen", "127.0.0.1:2", "--threads=3", "--public-url",
             "http://flag.example.com/");
    assert_string_equal(cfg.listen_host, "127.0.0.1");
    assert_int_equal(cfg.listen_port, 2);
    assert_int_equal(cfg.threads, 3);
    assert_string_equal(cfg.public_url, "http://flag.example.com");
    /* those without a flag still come from the environment */
    assert_true(cfg.webhook_rate_limit == 9.0);

    /* a bad environment value is not looked at when the flag is given */
    setenv("SWITCHBOARD_THREADS", "lots", 1);
    PARSE_OK(&cfg, "--threads", "4");
    assert_int_equal(cfg.threads, 4);
}

static void test_env_errors_name_the_variable(void **state)
{
    (void)state;
    setenv("SWITCHBOARD_THREADS", "lots", 1);
    parse_env_fails("threads", "lots");
    unsetenv("SWITCHBOARD_THREADS");

    setenv("SWITCHBOARD_LISTEN", "nohost", 1);
    parse_env_fails("listen", "nohost");
    unsetenv("SWITCHBOARD_LISTEN");

    setenv("SWITCHBOARD_WEBHOOK_RATE_LIMIT", "-1", 1);
    parse_env_fails("webhook-rate-limit", "-1");
    unsetenv("SWITCHBOARD_WEBHOOK_RATE_LIMIT");

    setenv("SWITCHBOARD_PUBLIC_URL", "example.com", 1);
    parse_env_fails("public-url", "example.com");
    unsetenv("SWITCHBOARD_PUBLIC_URL");

    setenv("SWITCHBOARD_TLS_CERT", "/c.pem", 1);
    parse_env_fails("--tls-cert", "--tls-key");
    unsetenv("SWITCHBOARD_TLS_CERT");
}

/* Single sign-on: the flags, the boolean ones without a value (or =true/false, or from the
 * environment), the issuer needing its client, password sign-in off needing the issuer. */
static void test_oidc_flags(void **state)
{
    struct sb_config cfg;

    (void)state;
    PARSE_OK(&cfg, "--listen", "127.0.0.1:1");
    assert_string_equal(cfg.oidc_issuer, "");
    assert_false(cfg.oidc_create_users);
    assert_false(cfg.disable_password_sign_in);
    assert_string_equal(cfg.break_glass_admin, "admin");
    PARSE_OK(&cfg, "--oidc-issuer", "https://id.example", "--oidc-client-id", "sb",
             "--oidc-client-secret", "s3", "--oidc-name", "Example ID", "--oidc-create-users",
             "--disable-password-sign-in", "--break-glass-admin", "root@example.com");
    assert_string_equal(cfg.oidc_issuer, "https://id.example");
    assert_string_equal(cfg.oidc_client_id, "sb");
    assert_string_equal(cfg.oidc_client_secret, "s3");
    assert_string_equal(cfg.oidc_name, "Example ID");
    assert_true(cfg.oidc_create_users);
    assert_true(cfg.disable_password_sign_in);
    assert_string_equal(cfg.break_glass_admin, "root@example.com");
    PARSE_OK(&cfg, "--oidc-issuer", "https://id.example", "--oidc-client-id", "sb",
             "--oidc-client-secret", "s3", "--oidc-create-users=false");
    assert_false(cfg.oidc_create_users);
    setenv("SWITCHBOARD_OIDC_ISSUER", "https://id.example", 1);
    setenv("SWITCHBOARD_OIDC_CLIENT_ID", "sb", 1);
    setenv("SWITCHBOARD_OIDC_CLIENT_SECRET", "from-env", 1);
    setenv("SWITCHBOARD_OIDC_CREATE_USERS", "1", 1);
    PARSE_OK(&cfg, "--listen", "127.0.0.1:1");
    assert_string_equal(cfg.oidc_client_secret, "from-env");
    assert_true(cfg.oidc_create_users);
    setenv("SWITCHBOARD_OIDC_CREATE_USERS", "maybe", 1);
    parse_env_fails("oidc-create-users", "maybe");
    clear_env(NULL);
    FAILS("--oidc-create-users", "yes", "--oidc-create-users=yes");
    FAILS("--oidc-client-id", NULL, "--oidc-issuer", "https://id.example");
    FAILS("--oidc-issuer", "ftp://id.example", "--oidc-issuer", "ftp://id.example",
          "--oidc-client-id", "a", "--oidc-client-secret", "b");
    FAILS("--disable-password-sign-in", "--oidc-issuer", "--disable-password-sign-in");
}

static void test_null_diag(void **state)
{
    struct sb_config cfg;
    char *argv[] = {(char *)"--bogus"};

    (void)state;
    assert_int_equal(sb_config_parse(&cfg, 1, argv, NULL), SB_ERR_INVALID);
}

#define T(f) cmocka_unit_test_setup(f, clear_env)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_defaults),           T(test_connection_and_body_limits),
        T(test_each_flag),          T(test_equals_form),
        T(test_listen_forms),       T(test_bad_listen),
        T(test_public_url),         T(test_public_url_needs_a_host),
        T(test_unknown_flag),       T(test_missing_value),
        T(test_bad_rate),           T(test_rate_not_a_number),
        T(test_bad_numbers),        T(test_tls_pair),
        T(test_too_long_values),    T(test_last_flag_wins),
        T(test_env_used),           T(test_env_empty_is_unset),
        T(test_flag_wins_over_env), T(test_env_errors_name_the_variable),
        T(test_null_diag),          T(test_oidc_flags),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
