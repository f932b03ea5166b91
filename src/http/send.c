/*
 * send.c: answers (see server_internal.h). An http_response is queued to libmicrohttpd after
 * the application's decorate(), with its content type, X-Content-Type-Options: nosniff and its
 * headers; a streamed body is read in STREAM_BLOCK pieces through the application's callbacks,
 * and a paused stream counts as a suspended connection, so that the server does not stop under
 * it. A streamed body is sent without chunked framing and ends with the connection, so that
 * while the stream is paused its bytes can go straight to the socket (http_stream_write) from
 * the thread that has them, without a resume, a wake-up of the worker and a suspend per write.
 * The server's own refusals (sent without reading a body) are here too.
 */
#include "http/server_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

/* The block a streamed response is read into (only when the stream is not written directly:
 * its first bytes, a replay, a client that fell behind, TLS); with MHD's per-connection pool,
 * what bounds thousands of idle event streams (see CONNECTION_MEMORY in server.c). */
#define STREAM_BLOCK 512

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
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    int one = 1;

    /* Direct writes are small and come one per event: without TCP_NODELAY one would wait
     * for the client's delayed ACK of the previous (Nagle), up to 40 ms on Linux. */
    if (ci)
        (void)setsockopt(ci->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));

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

ssize_t http_stream_write(void *conn, const char *data, size_t len)
{
    struct http_server *srv = server_of(conn);
    const union MHD_ConnectionInfo *ci;
    ssize_t n;

    /* The connection is suspended: its worker neither reads nor writes the socket until it is
     * resumed, and it cannot be closed before that. */
    if (!srv || srv->tls)
        return HTTP_STREAM_NO_DIRECT;
    ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci)
        return HTTP_STREAM_NO_DIRECT;
    n = send(ci->connect_fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0)
        return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ENOBUFS)
        return 0;
    return HTTP_STREAM_GONE;
}

void http_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
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
    if (!mr) {
        stream_free(st);
        return NULL;
    }
    /* No chunked encoding: the body ends with the connection (see the top of this file). */
    if (MHD_set_response_options(mr, MHD_RF_HTTP_VERSION_1_0_ONLY, MHD_RO_END) != MHD_YES) {
        MHD_destroy_response(mr);
        return NULL;
    }
    return mr;
}

/* Sends r; path is the request's (decoded) path, for the application's decorate(). */
enum MHD_Result http_queue(struct http_server *srv, struct MHD_Connection *conn, const char *path,
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

/* An answer of the server's own (not the application's), sent without reading any body, in
 * the error shape of the JSON APIs (webhook senders only look at the status). text is a
 * constant without characters that need escaping in JSON. */
enum MHD_Result http_refuse(struct http_server *srv, struct MHD_Connection *conn, const char *path,
                            int status, const char *code, const char *text, bool retry)
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
    return http_queue(srv, conn, path, &r);
}