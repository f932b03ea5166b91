/*
 * http.h: requests and responses as the rest of the program sees them, and the server that
 * carries them. Only http/ includes microhttpd.h; the api layer works with these plain types.
 *
 * The server calls the application twice per request: prepare() once the headers are in (to
 * pick the route and the largest body it accepts, and to authenticate the caller) and handle()
 * once the body is complete. prepare() may answer at once (401, 404, 413...): the body is then
 * never read, so a caller who is not signed in cannot make the server hold a body in memory.
 * Bodies of requests prepare() marks as public (their sender is not known yet) count against a
 * server-wide budget, byte by byte as they arrive, released when the request ends; a request
 * that would exceed it is answered 503 + Retry-After. Handlers run on the server's worker
 * threads and may block (on the store's group commit, for example).
 *
 * The server refuses with 400 a request that has both Content-Length and Transfer-Encoding
 * (RFC 9112 6.3: a request smuggling vector between proxies that disagree about framing).
 */
#ifndef SB_HTTP_H
#define SB_HTTP_H

#include "core/sb.h"

#include <stdbool.h>
#include <sys/types.h>

struct http_request {
    const char *method;
    const char *path;   /* percent-decoded, without the query string */
    const char *target; /* the request target exactly as received (not decoded, with the query);
                           NULL when it could not be kept */
    const char *body;   /* NUL-terminated copy of the body (NULL when empty) */
    size_t body_len;
    bool body_too_large;   /* the body exceeded body_limit and was discarded */
    size_t body_limit;     /* set by prepare() */
    const void *route;     /* set by prepare(); opaque to the server */
    const char *params[6]; /* path parameters captured by the router (point into param_buf) */
    size_t nparams;
    char param_buf[256];
    void *conn;       /* the server's connection (private) */
    bool resumed;     /* handle() is called again after http_defer() + http_resume() */
    void *state;      /* the handler's own state across a deferral (the handler frees it) */
    bool public_body; /* set by prepare(): the caller is not authenticated; the body counts
                         against the server's budget of unauthenticated body bytes */
    void *auth;       /* set by prepare(): what it learnt about the caller (heap; the server
                         frees it when the request ends, or once handle() has answered with a
                         stream) */
};

/* Defers the answer: call from handle(), before starting the work that will call
 * http_resume(); the server then sends nothing and frees no request state until handle() is
 * called again with req->resumed set, and fills the response then. The connection holds no
 * thread meanwhile. */
void http_defer(struct http_request *req);
/* From any thread, once per http_defer(). */
void http_resume(struct http_request *req);

/* Case-insensitive header lookup; NULL when absent. */
const char *http_header(const struct http_request *req, const char *name);
/* Decoded query-string argument; NULL when absent. */
const char *http_query(const struct http_request *req, const char *name);
/* The query string as the client sent it in meaning (each argument re-encoded, in order),
 * without the '?'; "" when there is none. False when it does not fit in cap. */
bool http_query_string(const struct http_request *req, char *out, size_t cap);
/* Calls fn for every request header, in order. */
void http_headers_each(const struct http_request *req,
                       void (*fn)(void *arg, const char *name, const char *value), void *arg);
/* The client's IP address as text (the peer of the connection: behind a proxy, the proxy's)
 * into out (cap bytes, INET6_ADDRSTRLEN is enough); false when it is not known. */
bool http_peer_address(const struct http_request *req, char *out, size_t cap);
/* Value of cookie `name` copied into out (cap bytes); false when absent or too long. */
bool http_cookie(const struct http_request *req, const char *name, char *out, size_t cap);

#define HTTP_MAX_HEADERS 8

/* A response body produced over time (Server-Sent Events). read() returns bytes written into
 * buf, 0 after calling http_stream_pause() when it has nothing to send yet, or -1 to end the
 * response. close() runs once when the response is finished or the client went away. The body
 * is sent as is (no chunked framing) and ends with the connection, so that bytes written
 * straight to the socket (http_stream_write) and bytes returned by read() join up. */
struct http_stream {
    ssize_t (*read)(void *arg, char *buf, size_t max);
    void (*close)(void *arg);
    void *arg;
};

/* Pause a streamed response (only from inside its read()); wake it from any thread. */
void http_stream_pause(void *conn);
void http_stream_wake(void *conn);
/* While the stream is paused (and after its read() has returned bytes once: the headers and
 * those bytes are then on the wire), writes up to len bytes of its body straight to the
 * client's socket, without blocking and without waking the connection: the cheap way to fan
 * one event out to thousands of streams. Returns the count written, fewer than len (0
 * included) when the socket's buffer is full: the caller wakes the stream and hands the rest
 * to read(). HTTP_STREAM_GONE when the client is gone (wake the stream so that it ends),
 * HTTP_STREAM_NO_DIRECT when this connection cannot be written directly (TLS). */
#define HTTP_STREAM_GONE (-1)
#define HTTP_STREAM_NO_DIRECT (-2)
ssize_t http_stream_write(void *conn, const char *data, size_t len);

struct http_response {
    int status;
    const char *content_type; /* static string */
    char *body;               /* heap; the server frees it */
    size_t body_len;
    struct {
        const char *name; /* static string */
        char *value;      /* heap */
    } headers[HTTP_MAX_HEADERS];
    size_t nheaders;
    struct http_stream stream; /* used instead of body when stream.read is set */
};

/* Adds a header (value formatted into a heap string). */
sb_err http_response_header(struct http_response *resp, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets the body to a copy of text with the given content type. */
sb_err http_response_text(struct http_response *resp, int status, const char *content_type,
                          const char *text);
void http_response_clear(struct http_response *resp);

struct http_app {
    void *arg;
    /* Setting resp->status answers the request at once, without reading its body. */
    void (*prepare)(void *arg, struct http_request *req, struct http_response *resp);
    void (*handle)(void *arg, struct http_request *req, struct http_response *resp);
    /* Optional (NULL: none): runs on every answer just before it is sent, the server's own
     * refusals (400, 503) included, with the request's decoded path; may add headers. */
    void (*decorate)(void *arg, const char *path, struct http_response *resp);
};

/* A bound, listening socket. Binding comes first so that the real port is known (and the
 * public URL completed) before the first request can arrive. */
struct http_listener {
    int fd;
    int port;
    bool ipv6;
};

sb_err http_listen(const char *host, int port, struct http_listener *out, struct sb_diag *diag);

struct http_server_opts {
    struct http_listener listener; /* the server takes ownership of the socket */
    int threads;
    const char *tls_cert_pem; /* both NULL for plain HTTP */
    const char *tls_key_pem;
    unsigned int per_ip_limit; /* concurrent connections per client address; 0 = no limit */
    size_t public_body_budget; /* bytes of public (unauthenticated) bodies held at once */
};

struct http_server;

sb_err http_server_start(const struct http_server_opts *opts, const struct http_app *app,
                         struct http_server **out, struct sb_diag *diag);
/* Refuses new work: every request that arrives from now on, on an open connection or a new
 * one, gets 503 and its connection is closed; the listening socket closes when the server
 * stops. Requests in progress go on (deferred ones can still resume). */
void http_server_quiesce(struct http_server *srv);
/* Quiesces (if not done), waits until no request is deferred or paused (whoever holds them
 * must resume them: stop those first, see main.c), waits up to timeout_ms for requests still
 * in progress, then stops the daemon and frees srv. No http_resume() may come after it. */
void http_server_stop(struct http_server *srv, int timeout_ms);

#endif
