/*
 * request.c: reading a request (see server_internal.h). The state of each request is made when
 * its raw target is seen, takes the headers (refusing Content-Length with Transfer-Encoding, and
 * everything once the server is stopping), lets the application's prepare() pick the route's
 * body limit, keeps the body up to that limit and, for a public body, within the server-wide
 * budget (503 + Retry-After when it is spent), then hands it to the application's handle().
 * Also what handlers read of their request (headers, query, cookies, peer address) and the
 * deferral of an answer.
 */
#include "http/server_internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void http_defer(struct http_request *req)
{
    struct http_req_state *rs = (struct http_req_state *)req;

    rs->deferred = true;
    atomic_fetch_add(&rs->srv->suspended, 1);
    MHD_suspend_connection(req->conn);
}

void http_resume(struct http_request *req)
{
    /* Once resumed the request may end and be freed at any moment: read srv first. srv itself
     * outlives the decrement (http_server_stop waits for suspended == 0). */
    struct http_server *srv = ((struct http_req_state *)req)->srv;

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

/* MHD decodes the path before http_on_request sees it; the raw target is only visible here, which
 * runs once per request before the headers are parsed. The state it returns becomes *con_cls. */
void *http_on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct http_req_state *rs = calloc(1, sizeof(*rs));

    (void)cls;
    (void)conn;
    if (rs) {
        rs->target = strdup(uri);
        rs->req.target = rs->target;
    }
    return rs;
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
    struct http_req_state *rs;
    struct http_response resp;
    const char *cl, *te;
    unsigned long long clen = 0;

    cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if (cl && te)
        return http_refuse(srv, conn, url, 400, "invalidRequest",
                           "A request must not have both Content-Length and Transfer-Encoding.",
                           false);
    if (atomic_load(&srv->stopping))
        return http_refuse(srv, conn, url, 503, "ServiceNotAvailable",
                           "The server is shutting down.", true);
    /* http_on_uri made the state (with the raw target), unless it ran out of memory. */
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
    if (resp.status && !te && (!cl || strcmp(cl, "0") == 0)) {
        rs->early = resp;
        rs->has_early = true;
        return MHD_YES;
    }
    if (resp.status)
        return http_queue(srv, conn, url, &resp);
    if (cl)
        clen = strtoull(cl, NULL, 10);
    if (clen > rs->req.body_limit)
        rs->req.body_too_large = true;
    else if (rs->req.public_body && clen > 0 &&
             atomic_load(&srv->public_bytes) + clen > srv->public_budget)
        /* It would not fit: say so now rather than after reading it. */
        return http_refuse(srv, conn, url, 503, "ServiceNotAvailable",
                           "Too many request bodies are being received; try again.", true);
    return MHD_YES;
}

/* Later calls with a piece of the body: keep it (up to the route's limit and, for a public
 * body, the server's budget) or count it as discarded. */
static enum MHD_Result on_body(struct http_server *srv, struct http_req_state *rs, const char *data,
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

enum MHD_Result http_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                const char *method, const char *version, const char *upload_data,
                                size_t *upload_data_size, void **con_cls)
{
    struct http_server *srv = cls;
    struct http_req_state *rs = *con_cls;
    struct http_response resp;

    (void)version;
    if (!rs || !rs->req.conn)
        return on_headers(srv, conn, url, method, con_cls);
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;

        *upload_data_size = 0;
        return on_body(srv, rs, upload_data, n);
    }
    if (rs->has_early) {
        rs->has_early = false;
        resp = rs->early;
        memset(&rs->early, 0, sizeof(rs->early));
        return http_queue(srv, conn, url, &resp);
    }
    if (rs->over_budget)
        return http_refuse(srv, conn, url, 503, "ServiceNotAvailable",
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
    if (resp.stream.read) {
        /* A stream may last for hours: it keeps nothing of what prepare() learnt. */
        free(rs->req.auth);
        rs->req.auth = NULL;
    }
    return http_queue(srv, conn, url, &resp);
}

void http_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                       enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct http_req_state *rs = *con_cls;

    (void)conn;
    (void)toe;
    if (!rs)
        return;
    atomic_fetch_sub(&srv->public_bytes, rs->counted);
    if (rs->has_early) /* the client went away before the answer was sent */
        http_response_clear(&rs->early);
    free(rs->body);
    free(rs->target);
    free(rs->req.auth);
    /* A request that ended before its headers were complete was never counted. */
    if (rs->req.conn)
        atomic_fetch_sub(&srv->in_flight, 1);
    free(rs);
    *con_cls = NULL;
}