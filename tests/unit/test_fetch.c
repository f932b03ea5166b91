/*
 * test_fetch.c: the outbound client against a small HTTP server on 127.0.0.1 run by the test:
 * what it refuses before connecting (scheme, loopback and names resolving to it, hosts not in
 * outboundAllowedHosts), and with the host allowed: headers, a redirect returned as is, the
 * response-size limit and the time-out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ctx_fixture.h"
#include "net/fetch.h"
#include "org/org.h"
#include "store/settings.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>

struct server {
    int fd;
    int port;
    pthread_t thread;
    int stop_pipe[2];
    char last_request[4096];
};

static struct server *srv; /* one per test; the server thread reads it */

/* The client may hang up first (a response over its size limit): that must not raise SIGPIPE,
 * which would end the test process (the server ignores SIGPIPE in main.c). */
static void put(int c, const void *p, size_t n)
{
    (void)!send(c, p, n, MSG_NOSIGNAL);
}

static void respond(int c, const char *path)
{
    char buf[512];

    if (strcmp(path, "/ok") == 0) {
        const char *r = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        "CARD-ACTION-STATUS:  Done, thanks  \r\nContent-Length: 11\r\n"
                        "Connection: close\r\n\r\n{\"ok\":true}";
        put(c, r, strlen(r));
    } else if (strcmp(path, "/redirect") == 0) {
        const char *r = "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:1/elsewhere\r\n"
                        "Content-Length: 0\r\nConnection: close\r\n\r\n";
        put(c, r, strlen(r));
    } else if (strcmp(path, "/big") == 0) {
        snprintf(buf, sizeof(buf),
                 "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", 4096);
        put(c, buf, strlen(buf));
        memset(buf, 'x', sizeof(buf));
        for (int i = 0; i < 8; i++)
            put(c, buf, sizeof(buf));
    }
    /* "/hang": no answer; the client's time-out ends it. */
}

static void *server_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct pollfd p[2] = {{srv->fd, POLLIN, 0}, {srv->stop_pipe[0], POLLIN, 0}};
        char path[256] = "";
        ssize_t n;
        int c;

        if (poll(p, 2, -1) < 0 || p[1].revents)
            break;
        c = accept(srv->fd, NULL, NULL);
        if (c < 0)
            continue;
        n = read(c, srv->last_request, sizeof(srv->last_request) - 1);
        srv->last_request[n > 0 ? n : 0] = '\0';
        sscanf(srv->last_request, "%*s %255s", path);
        respond(c, path);
        if (strcmp(path, "/hang") == 0) {
            struct pollfd q[2] = {{c, POLLIN, 0}, {srv->stop_pipe[0], POLLIN, 0}};
            /* Held open until the client gives up (closes) or the test ends. */
            (void)poll(q, 2, -1);
        }
        close(c);
    }
    return NULL;
}

static int setup(void **state)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);

    if (cfx_setup(state) != 0 || fetch_global_init() != SB_OK)
        return -1;
    srv = calloc(1, sizeof(*srv));
    if (!srv || pipe(srv->stop_pipe) != 0)
        return -1;
    srv->fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (srv->fd < 0 || bind(srv->fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(srv->fd, 8) != 0 || getsockname(srv->fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    srv->port = ntohs(a.sin_port);
    return pthread_create(&srv->thread, NULL, server_main, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)!write(srv->stop_pipe[1], "x", 1);
    pthread_join(srv->thread, NULL);
    close(srv->fd);
    close(srv->stop_pipe[0]);
    close(srv->stop_pipe[1]);
    free(srv);
    srv = NULL;
    fetch_global_cleanup();
    return cfx_teardown(state);
}

static void allow(struct cfx *f, const char *hosts_json)
{
    assert_int_equal(store_setting_set(f->ctx.store, "outboundAllowedHosts", hosts_json), SB_OK);
}

static void allow_server(struct cfx *f)
{
    char list[64];

    snprintf(list, sizeof(list), "[\"127.0.0.1:%d\"]", srv->port);
    allow(f, list);
}

/* fetch_do with the organisation's policy of now, as the services call it. */
static sb_err send_rq(struct cfx *f, const struct fetch_request *rq, struct fetch_response *r,
                      struct sb_diag *d)
{
    struct fetch_policy policy;
    sb_err err;

    assert_int_equal(org_fetch_policy(&f->ctx, &policy), SB_OK);
    err = fetch_do(&policy, rq, r, d);
    org_fetch_policy_free(&policy);
    return err;
}

static sb_err get(struct cfx *f, const char *url, struct fetch_response *r, struct sb_diag *d)
{
    struct fetch_request rq = {"GET", url, NULL, NULL, 0, 0, 0, NULL};

    memset(d, 0, sizeof(*d));
    return send_rq(f, &rq, r, d);
}

static void expect_refused(struct cfx *f, const char *url, const char *why)
{
    struct fetch_response r;
    struct sb_diag d;

    assert_int_equal(get(f, url, &r, &d), SB_ERR_FORBIDDEN);
    assert_string_equal(d.code, "outboundRefused");
    if (!strstr(d.message, why))
        fail_msg("%s: message '%s' lacks '%s'", url, d.message, why);
    assert_null(r.body);
}

static void test_refusals(void **state)
{
    struct cfx *f = *state;
    char url[128];

    expect_refused(f, "ftp://example.com/x", "only https");
    expect_refused(f, "file:///etc/passwd", "not a valid URL");
    expect_refused(f, "gopher://example.com/", "only https");
    expect_refused(f, "not a url", "not a valid URL");
    expect_refused(f, "http://example.com/", "plain http");
    expect_refused(f, "https://127.0.0.2/x", "not a public address");
    expect_refused(f, "https://[::1]:8443/x", "not a public address");
    expect_refused(f, "https://localhost/x", "not a public address");
    expect_refused(f, "https://[::ffff:127.0.0.2]/x", "not a public address");
    /* The test server itself, while it is not in the allow list. */
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", srv->port);
    expect_refused(f, url, "plain http");
    snprintf(url, sizeof(url), "https://127.0.0.1:%d/ok", srv->port);
    expect_refused(f, url, "not a public address");
    /* Another port of an allowed host is not allowed. */
    allow_server(f);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", srv->port + 1 > 65535 ? 1 : srv->port + 1);
    expect_refused(f, url, "plain http");
    assert_int_equal(srv->last_request[0], '\0');
}

static void test_allowed_call(void **state)
{
    struct cfx *f = *state;
    const char *headers[] = {"Authorization: Bearer abc", "Content-Type: application/json",
                             "X-Bad: a\r\nInjected: yes", NULL};
    struct fetch_request rq = {"POST", NULL, headers, "{\"a\":1}", 7, 0, 0, NULL};
    struct fetch_response r;
    struct sb_diag d;
    char url[128], v[64];

    allow_server(f);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", srv->port);
    rq.url = url;
    memset(&d, 0, sizeof(d));
    assert_int_equal(send_rq(f, &rq, &r, &d), SB_OK);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"ok\":true}");
    assert_int_equal(r.body_len, 11);
    assert_true(fetch_header(&r, "card-action-status", v, sizeof(v)));
    assert_string_equal(v, "Done, thanks");
    assert_false(fetch_header(&r, "CARD-UPDATE-IN-BODY", v, sizeof(v)));
    assert_non_null(strstr(srv->last_request, "POST /ok HTTP/1.1"));
    assert_non_null(strstr(srv->last_request, "Authorization: Bearer abc"));
    assert_null(strstr(srv->last_request, "Injected"));
    fetch_response_free(&r);
    /* only_origin: the same allowed URL is refused when it is not on the one origin named, and
     * nothing is sent. */
    srv->last_request[0] = '\0';
    rq.only_origin = "http://127.0.0.1:1";
    memset(&d, 0, sizeof(d));
    assert_int_equal(send_rq(f, &rq, &r, &d), SB_ERR_FORBIDDEN);
    assert_string_equal(d.code, "outboundRefused");
    assert_int_equal(srv->last_request[0], '\0');
}

static void test_redirect_not_followed(void **state)
{
    struct cfx *f = *state;
    struct fetch_response r;
    struct sb_diag d;
    char url[128], v[128];

    allow_server(f);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/redirect", srv->port);
    assert_int_equal(get(f, url, &r, &d), SB_OK);
    assert_int_equal(r.status, 302);
    assert_true(fetch_header(&r, "Location", v, sizeof(v)));
    assert_string_equal(v, "http://127.0.0.2:1/elsewhere");
    fetch_response_free(&r);
}

static void test_limits(void **state)
{
    struct cfx *f = *state;
    struct fetch_request rq = {"GET", NULL, NULL, NULL, 0, 0, 1000, NULL};
    struct fetch_response r;
    struct sb_diag d;
    char url[128];

    allow_server(f);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/big", srv->port);
    rq.url = url;
    memset(&d, 0, sizeof(d));
    assert_int_equal(send_rq(f, &rq, &r, &d), SB_ERR_TOO_LARGE);
    assert_string_equal(d.code, "outboundTooLarge");
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hang", srv->port);
    rq.timeout_ms = 300;
    memset(&d, 0, sizeof(d));
    assert_int_equal(send_rq(f, &rq, &r, &d), SB_ERR_UNAVAILABLE);
    assert_string_equal(d.code, "outboundTimeout");
}

static void test_origin(void **state)
{
    char o[128];

    (void)state;
    assert_int_equal(fetch_url_origin("HTTPS://Svc.Example.com/a/b?c", o, sizeof(o)), SB_OK);
    assert_string_equal(o, "https://svc.example.com");
    assert_int_equal(fetch_url_origin("https://svc.example.com:443/", o, sizeof(o)), SB_OK);
    assert_string_equal(o, "https://svc.example.com");
    assert_int_equal(fetch_url_origin("http://127.0.0.1:8080/x", o, sizeof(o)), SB_OK);
    assert_string_equal(o, "http://127.0.0.1:8080");
    assert_int_equal(fetch_url_origin("https://[::1]:9/x", o, sizeof(o)), SB_OK);
    assert_string_equal(o, "https://[::1]:9");
    assert_int_equal(fetch_url_origin("ftp://x/", o, sizeof(o)), SB_ERR_INVALID);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_refusals), T(test_allowed_call), T(test_redirect_not_followed),
        T(test_limits),   T(test_origin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
