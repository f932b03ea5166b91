/*
 * server_internal.h: what the files of the libmicrohttpd glue share inside src/http (http.h has
 * the contract): the server and per-request state, and the callbacks the daemon is started with.
 * server.c owns the listening socket and the daemon's life cycle; request.c reads requests
 * (headers, the body up to the route's limit and the public body budget) and hands them to the
 * application; send.c queues answers (buffers and streams) and the server's own refusals.
 * Nothing here is for use outside src/http.
 */
#ifndef SB_HTTP_SERVER_INTERNAL_H
#define SB_HTTP_SERVER_INTERNAL_H

#include "http/http.h"

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_app app;
    atomic_int in_flight;
    /* Connections suspended (deferred requests, paused streams): the daemon must not stop
     * while one is, or its later resume touches freed memory. */
    atomic_int suspended;
    atomic_bool stopping; /* quiesced: new requests are refused */
    bool tls;             /* streams cannot be written straight to the socket */
    bool quiesced;        /* only touched by the thread that stops the server */
    size_t public_budget;
    atomic_size_t public_bytes; /* bytes of public bodies held now */
};

struct http_req_state {
    struct http_request req; /* first: handlers' struct http_request * is a struct
                                http_req_state * */
    struct http_server *srv;
    char *target; /* the raw request target (req.target) */
    char *body;
    size_t len, cap;
    size_t counted;   /* bytes of this body in srv->public_bytes */
    bool over_budget; /* the public body budget was exhausted: body discarded, answer 503 */
    bool deferred;
    /* prepare()'s answer to a request without a body, sent at the request's end: queued
     * before MHD has seen the (empty) body, it would close the connection, and a browser on a
     * slow link would pay a new connection for every file and call. */
    bool has_early;
    struct http_response early;
};

/* ---- request.c: the daemon's request callbacks (cls is the struct http_server) ---- */

/* MHD_OPTION_URI_LOG_CALLBACK: keeps the raw target; returns the request's state. */
void *http_on_uri(void *cls, const char *uri, struct MHD_Connection *conn);
/* The access handler: headers, then pieces of the body, then the application's answer. */
enum MHD_Result http_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                const char *method, const char *version, const char *upload_data,
                                size_t *upload_data_size, void **con_cls);
/* MHD_OPTION_NOTIFY_COMPLETED: gives back the body budget and frees the request's state. */
void http_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                       enum MHD_RequestTerminationCode toe);

/* ---- send.c ---- */

/* MHD_OPTION_NOTIFY_CONNECTION: makes the server the connection's socket context, which is
 * how a stream (given only the connection) finds it. */
void http_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                        enum MHD_ConnectionNotificationCode toe);
/* Sends r (a buffer or a stream) after the application's decorate(); path is the request's
 * decoded path. r is cleared whatever happens. */
enum MHD_Result http_queue(struct http_server *srv, struct MHD_Connection *conn, const char *path,
                           struct http_response *r);
/* An answer of the server's own, in the JSON APIs' error shape, with Connection: close (and
 * Retry-After: 1 when retry). text must need no JSON escaping. */
enum MHD_Result http_refuse(struct http_server *srv, struct MHD_Connection *conn, const char *path,
                            int status, const char *code, const char *text, bool retry);

#endif
