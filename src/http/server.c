/*
 * server.c: libmicrohttpd glue. A thread pool of epoll loops accepts connections; each request
 * gets a small state object that collects its body up to the route's limit and then hands it
 * to the application.
 */
#include "http/http.h"

#include "core/log.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Memory per connection is what bounds thousands of idle event streams: MHD's per-connection
 * pool (request line, headers, send buffer) and the block a streamed response is read into.
 * Request bodies do not live in the pool (on_request copies them out). */
#define CONNECTION_MEMORY (5 * 1024)
#define STREAM_BLOCK (2 * 1024)

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_app app;
    atomic_int in_flight;
    /* Connections suspended (deferred requests, paused streams): the daemon must not stop
     * while one is, or its later resume touches freed memory. */
    atomic_int suspended;
    atomic_bool stopping; /* quiesced: new requests are refused */
    bool quiesced;        /* only touched by the thread that stops the server */
    size_t public_budget;
    atomic_size_t public_bytes; /* bytes of public bodies held now */
};

struct req_state {
    struct http_request req; /* first: handlers' struct http_request * is a struct req_state * */
    struct http_server *srv;
    char *target; /* the raw request target (req.target) */
    char *body;
    size_t len, cap;
    size_t counted;   /* bytes of this body in srv->public_bytes */
    bool over_budget; /* the public body budget was exhausted: body discarded, answer 503 */
    bool deferred;
};

void http_defer(struct http_request *req)
{
    struct req_state *rs = (struct req_state *)req;

    rs->deferred = true;
    atomic_fetch_add(&rs->srv->suspended, 1);
    MHD_suspend_connection(req->conn);
}

void http_resume(struct http_request *req)
{
    /* Once resumed the request may end and be freed at any moment: read srv first. srv itself
     * outlives the decrement (http_server_stop waits for suspended == 0). */
    struct http_server *srv = ((struct req_state *)req)->srv;

    MHD_resume_connection(req->conn);
    atomic_fetch_sub(&srv->suspended, 1);
}

const char *http_header(const struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_query(const struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct query_buf {
    char *out;
    size_t cap, len;
    bool overflow;
};

static void query_put(struct query_buf *q, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char enc[4] = {(char)*p, 0, 0, 0};

        if (!(isalnum(*p) || strchr("-._~", *p))) {
            enc[0] = '%';
            enc[1] = hex[*p >> 4];
            enc[2] = hex[*p & 15];
        }
        size_t n = strlen(enc);
        if (q->len + n + 1 > q->cap) {
            q->overflow = true;
            return;
        }
        memcpy(q->out + q->len, enc, n + 1);
        q->len += n;
    }
}

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    struct query_buf *q = cls;

    (void)kind;
    if (q->len > 0 && q->len + 1 < q->cap)
        q->out[q->len++] = '&';
    query_put(q, key);
    if (value) {
        if (q->len + 1 < q->cap)
            q->out[q->len++] = '=';
        query_put(q, value);
    }
    q->out[q->len] = '\0';
    return MHD_YES;
}

bool http_query_string(const struct http_request *req, char *out, size_t cap)
{
    struct query_buf q = {out, cap, 0, cap == 0};

    if (cap)
        out[0] = '\0';
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, query_arg, &q);
    return !q.overflow && q.len + 1 < cap;
}

struct header_walk {
    void (*fn)(void *arg, const char *name, const char *value);
    void *arg;
};

static enum MHD_Result header_each(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct header_walk *w = cls;

    (void)kind;
    w->fn(w->arg, key, value ? value : "");
    return MHD_YES;
}

void http_headers_each(const struct http_request *req,
                       void (*fn)(void *arg, const char *name, const char *value), void *arg)
{
    struct header_walk w = {fn, arg};
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, header_each, &w);
}

bool http_cookie(const struct http_request *req, const char *name, char *out, size_t cap)
{
    const char *v = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);

    if (!v || strlen(v) >= cap)
        return false;
    memcpy(out, v, strlen(v) + 1);
    return true;
}

bool http_peer_address(const struct http_request *req, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    if (!sa)
        return false;
    if (sa->sa_family == AF_INET6) {
        struct sockaddr_in6 a6;

        memcpy(&a6, sa, sizeof(a6));
        return inet_ntop(AF_INET6, &a6.sin6_addr, out, (socklen_t)cap) != NULL;
    }
    if (sa->sa_family == AF_INET) {
        struct sockaddr_in a4;

        memcpy(&a4, sa, sizeof(a4));
        return inet_ntop(AF_INET, &a4.sin_addr, out, (socklen_t)cap) != NULL;
    }
    return false;
}

/* Streams get the request only as the MHD connection; the server is its socket context. */
static struct http_server *server_of(void *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

    return ci ? ci->socket_context : NULL;
}

void http_stream_pause(void *conn)
{
    struct http_server *srv = server_of(conn);

    if (srv)
        atomic_fetch_add(&srv->suspended, 1);
    MHD_suspend_connection(conn);
}

void http_stream_wake(void *conn)
{
    struct http_server *srv = server_of(conn);

    MHD_resume_connection(conn);
    if (srv)
        atomic_fetch_sub(&srv->suspended, 1);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)conn;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED)
        *socket_context = cls;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct http_stream *st = cls;
    ssize_t n = st->read(st->arg, buf, max);

    (void)pos;
    return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

static void stream_free(void *cls)
{
    struct http_stream *st = cls;

    st->close(st->arg);
    free(st);
}

static struct MHD_Response *make_stream(struct http_stream *in)
{
    struct http_stream *st = malloc(sizeof(*st));
    struct MHD_Response *mr;

    if (!st) {
        in->close(in->arg);
        return NULL;
    }
    *st = *in;
    mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read, st,
                                           stream_free);
    if (!mr)
        stream_free(st);
    return mr;
}

/* Sends r; path is the request's (decoded) path, for the application's decorate(). */
static enum MHD_Result queue(struct http_server *srv, struct MHD_Connection *conn, const char *path,
                             struct http_response *r)
{
    struct MHD_Response *mr;
    enum MHD_Result ret;

    if (srv->app.decorate)
        srv->app.decorate(srv->app.arg, path, r);
    if (r->stream.read)
        mr = make_stream(&r->stream);
    else
        mr = MHD_create_response_from_buffer(r->body_len, r->body ? r->body : (char *)"",
                                             r->body ? MHD_RESPMEM_MUST_FREE
                                                     : MHD_RESPMEM_PERSISTENT);
    if (!mr) {
        http_response_clear(r);
        return MHD_NO;
    }
    r->body = NULL; /* now owned by MHD */
    if (r->content_type)
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
    for (size_t i = 0; i < r->nheaders; i++)
        MHD_add_response_header(mr, r->headers[i].name, r->headers[i].value);
    ret = MHD_queue_response(conn, (unsigned int)r->status, mr);
    MHD_destroy_response(mr);
    http_response_clear(r);
    return ret;
}

/* MHD decodes the path before on_request sees it; the raw target is only visible here, which
 * runs once per request before the headers are parsed. The state it returns becomes *con_cls. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct req_state *rs = calloc(1, sizeof(*rs));

    (void)cls;
    (void)conn;
    if (rs) {
        rs->target = strdup(uri);
        rs->req.target = rs->target;
    }
    return rs;
}

/* An answer of the server's own (not the application's), sent without reading any body, in
 * the error shape of the JSON APIs (webhook senders only look at the status). text is a
 * constant without characters that need escaping in JSON. */
static enum MHD_Result refuse(struct http_server *srv, struct MHD_Connection *conn,
                              const char *path, int status, const char *code, const char *text,
                              bool retry)
{
    struct http_response r;

    memset(&r, 0, sizeof(r));
    r.status = status;
    r.content_type = "application/json; charset=utf-8";
    if (asprintf(&r.body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code, text) < 0) {
        r.body = NULL;
        return MHD_NO;
    }
    r.body_len = strlen(r.body);
    if (http_response_header(&r, "Connection", "close") != SB_OK ||
        (retry && http_response_header(&r, "Retry-After", "1") != SB_OK)) {
        http_response_clear(&r);
        return MHD_NO;
    }
    return queue(srv, conn, path, &r);
}

/* Takes n more bytes of a public body out of the budget; false when they do not fit. */
static bool budget_take(struct http_server *srv, size_t n)
{
    size_t before = atomic_fetch_add(&srv->public_bytes, n);

    if (before + n <= srv->public_budget)
        return true;
    atomic_fetch_sub(&srv->public_bytes, n);
    return false;
}

/* First call for a request: the headers are in. */
static enum MHD_Result on_headers(struct http_server *srv, struct MHD_Connection *conn,
                                  const char *url, const char *method, void **con_cls)
{
    struct req_state *rs;
    struct http_response resp;
    const char *cl, *te;
    unsigned long long clen = 0;

    cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if (cl && te)
        return refuse(srv, conn, url, 400, "invalidRequest",
                      "A request must not have both Content-Length and Transfer-Encoding.", false);
    if (atomic_load(&srv->stopping))
        return refuse(srv, conn, url, 503, "ServiceNotAvailable", "The server is shutting down.",
                      true);
    /* on_uri made the state (with the raw target), unless it ran out of memory. */
    rs = *con_cls ? *con_cls : calloc(1, sizeof(*rs));
    if (!rs)
        return MHD_NO;
    rs->srv = srv;
    rs->req.method = method;
    rs->req.path = url;
    rs->req.conn = conn;
    *con_cls = rs;
    atomic_fetch_add(&srv->in_flight, 1);
    memset(&resp, 0, sizeof(resp));
    srv->app.prepare(srv->app.arg, &rs->req, &resp);
    if (resp.status)
        return queue(srv, conn, url, &resp);
    if (cl)
        clen = strtoull(cl, NULL, 10);
    if (clen > rs->req.body_limit)
        rs->req.body_too_large = true;
    else if (rs->req.public_body && clen > 0 &&
             atomic_load(&srv->public_bytes) + clen > srv->public_budget)
        /* It would not fit: say so now rather than after reading it. */
        return refuse(srv, conn, url, 503, "ServiceNotAvailable",
                      "Too many request bodies are being received; try again.", true);
    return MHD_YES;
}

/* Later calls with a piece of the body: keep it (up to the route's limit and, for a public
 * body, the server's budget) or count it as discarded. */
static enum MHD_Result on_body(struct http_server *srv, struct req_state *rs, const char *data,
                               size_t n)
{
    if (rs->over_budget)
        return MHD_YES;
    if (rs->req.body_too_large || rs->len + n > rs->req.body_limit) {
        rs->req.body_too_large = true;
        return MHD_YES;
    }
    if (rs->req.public_body) {
        if (!budget_take(srv, n)) {
            /* Over budget: drop what was kept, discard the rest, answer 503 at the end. */
            rs->over_budget = true;
            atomic_fetch_sub(&srv->public_bytes, rs->counted);
            rs->counted = 0;
            free(rs->body);
            rs->body = NULL;
            rs->len = rs->cap = 0;
            return MHD_YES;
        }
        rs->counted += n;
    }
    if (rs->len + n + 1 > rs->cap) {
        size_t cap = rs->cap ? rs->cap : 1024;
        char *p;
        while (cap < rs->len + n + 1)
            cap *= 2;
        p = realloc(rs->body, cap);
        if (!p)
            return MHD_NO;
        rs->body = p;
        rs->cap = cap;
    }
    memcpy(rs->body + rs->len, data, n);
    rs->len += n;
    rs->body[rs->len] = '\0';
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct http_server *srv = cls;
    struct req_state *rs = *con_cls;
    struct http_response resp;

    (void)version;
    if (!rs || !rs->req.conn)
        return on_headers(srv, conn, url, method, con_cls);
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;

        *upload_data_size = 0;
        return on_body(srv, rs, upload_data, n);
    }
    if (rs->over_budget)
        return refuse(srv, conn, url, 503, "ServiceNotAvailable",
                      "Too many request bodies are being received; try again.", true);
    memset(&resp, 0, sizeof(resp));
    rs->req.body = rs->body;
    rs->req.body_len = rs->len;
    if (rs->deferred) {
        rs->deferred = false;
        rs->req.resumed = true;
    }
    srv->app.handle(srv->app.arg, &rs->req, &resp);
    if (rs->deferred) {
        http_response_clear(&resp);
        return MHD_YES;
    }
    return queue(srv, conn, url, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct req_state *rs = *con_cls;

    (void)conn;
    (void)toe;
    if (!rs)
        return;
    atomic_fetch_sub(&srv->public_bytes, rs->counted);
    free(rs->body);
    free(rs->target);
    free(rs->req.auth);
    /* A request that ended before its headers were complete was never counted. */
    if (rs->req.conn)
        atomic_fetch_sub(&srv->in_flight, 1);
    free(rs);
    *con_cls = NULL;
}

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
    srv->public_budget = opts->public_body_budget;
    atomic_init(&srv->in_flight, 0);
    atomic_init(&srv->suspended, 0);
    atomic_init(&srv->stopping, false);
    atomic_init(&srv->public_bytes, 0);
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, opts->listener.fd, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)opts->threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->per_ip_limit, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned int)120, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)60000,
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
    MHD_socket lsock;

    if (!srv || srv->quiesced)
        return;
    srv->quiesced = true;
    atomic_store(&srv->stopping, true);
    /* The listening socket is ours again after quiescing. */
    lsock = MHD_quiesce_daemon(srv->daemon);
    if (lsock != MHD_INVALID_SOCKET)
        close(lsock);
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
