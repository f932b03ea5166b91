/*
 * server.c: libmicrohttpd glue, the server's life cycle. A thread pool of epoll loops accepts
 * connections on a socket bound by http_listen; each request gets a small state object that
 * collects its body up to the route's limit and then hands it to the application (request.c),
 * and answers go out through send.c. Stopping refuses new requests (503), waits
 * for suspended connections to be resumed and gives running ones what is left of the time.
 */
#include "http/server_internal.h"

#include "core/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Memory per connection is what bounds thousands of idle event streams: MHD's per-connection
 * pool (request line, headers, send buffer) and the block a streamed response is read into
 * (STREAM_BLOCK in send.c). Request bodies do not live in the pool (request.c copies them out). */
#define CONNECTION_MEMORY (5 * 1024)

/* fmt is libmicrohttpd's own format string. */
static void on_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void on_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];

    (void)cls;
    vsnprintf(line, sizeof(line), fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    sb_log_warn("http: %s", line);
}

sb_err http_listen(const char *host, int port, struct http_listener *out, struct sb_diag *diag)
{
    struct addrinfo hints, *res = NULL;
    struct sockaddr_storage ss = {0};
    socklen_t sslen = sizeof(ss);
    char portstr[8];
    int fd = -1, one = 1, rc;
    sb_err err = SB_OK;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(portstr, sizeof(portstr), "%d", port);
    rc = getaddrinfo(host, portstr, &hints, &res);
    if (rc != 0 || !res)
        return sb_fail(diag, SB_ERR_INVALID, "usage", "cannot resolve listen host '%s': %s", host,
                       gai_strerror(rc));
    fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 1024) != 0 ||
        getsockname(fd, (struct sockaddr *)&ss, &sslen) != 0) {
        err = sb_fail(diag, SB_ERR_IO, "listenFailed", "cannot listen on %s:%d: %s", host, port,
                      strerror(errno));
        goto out;
    }
    out->fd = fd;
    out->ipv6 = ss.ss_family == AF_INET6;
    if (out->ipv6) {
        struct sockaddr_in6 a;
        memcpy(&a, &ss, sizeof(a));
        out->port = ntohs(a.sin6_port);
    } else {
        struct sockaddr_in a;
        memcpy(&a, &ss, sizeof(a));
        out->port = ntohs(a.sin_port);
    }
    fd = -1;
out:
    if (fd >= 0)
        close(fd);
    freeaddrinfo(res);
    return err;
}

sb_err http_server_start(const struct http_server_opts *opts, const struct http_app *app,
                         struct http_server **out, struct sb_diag *diag)
{
    struct http_server *srv = calloc(1, sizeof(*srv));
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                         MHD_ALLOW_SUSPEND_RESUME;

    *out = NULL;
    if (!srv)
        return SB_ERR_NOMEM;
    if (opts->listener.ipv6)
        flags |= MHD_USE_IPv6;
    if (opts->tls_cert_pem)
        flags |= MHD_USE_TLS;
    srv->app = *app;
    srv->tls = opts->tls_cert_pem != NULL;
    srv->public_budget = opts->public_body_budget;
    atomic_init(&srv->in_flight, 0);
    atomic_init(&srv->suspended, 0);
    atomic_init(&srv->stopping, false);
    atomic_init(&srv->public_bytes, 0);
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, http_on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, opts->listener.fd, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)opts->threads, MHD_OPTION_NOTIFY_COMPLETED, http_on_completed, srv,
        MHD_OPTION_URI_LOG_CALLBACK, http_on_uri, NULL, MHD_OPTION_NOTIFY_CONNECTION,
        http_on_connection, srv, MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->per_ip_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)60000,
        opts->tls_cert_pem ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, opts->tls_cert_pem,
        MHD_OPTION_HTTPS_MEM_KEY, opts->tls_key_pem, MHD_OPTION_END);
    if (!srv->daemon) {
        free(srv);
        return sb_fail(diag, SB_ERR_IO, "listenFailed",
                       "cannot start the HTTP server (bad TLS certificate or key?)");
    }
    *out = srv;
    return SB_OK;
}

void http_server_quiesce(struct http_server *srv)
{
    if (!srv || srv->quiesced)
        return;
    srv->quiesced = true;
    /* From here every new request, on an open connection or a new one, gets 503. The
     * listening socket stays with the daemon until MHD_stop_daemon closes it: libmicrohttpd
     * 0.9.75's MHD_quiesce_daemon races with its own epoll workers (a worker that sees the
     * daemon quiesced drops the socket from its epoll set; MHD_quiesce_daemon then fails to
     * drop it again and aborts the process: "Failed to remove listen FD from epoll set"), which
     * shutdown.test.mjs hit under load. */
    atomic_store(&srv->stopping, true);
}

void http_server_stop(struct http_server *srv, int timeout_ms)
{
    struct timespec tick = {0, 10 * 1000 * 1000};
    int waited = 0;

    if (!srv)
        return;
    http_server_quiesce(srv);
    /* A suspended connection is resumed by someone else (the store's writer, a relay thread,
     * the event bus); stopping the daemon before that resume would free what it touches. Those
     * are bounded (a commit, a relay's time-out, the bus shutdown), so this wait is too. */
    for (; atomic_load(&srv->suspended) > 0; waited += 10) {
        if (waited == timeout_ms)
            sb_log_warn("shutdown: still waiting for %d deferred requests",
                        atomic_load(&srv->suspended));
        nanosleep(&tick, NULL);
    }
    /* Requests still running or still sending get what is left of the time. */
    for (; atomic_load(&srv->in_flight) > 0 && waited < timeout_ms; waited += 10)
        nanosleep(&tick, NULL);
    MHD_stop_daemon(srv->daemon);
    free(srv);
}