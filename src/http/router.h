/*
 * router.h: matching "METHOD /path/{param}/..." against a table.
 *
 * Patterns are literal segments and `{name}` segments, each a whole path segment; a `{name}`
 * segment captures one non-empty segment. The first matching entry wins; when the path matches
 * but no method does, the result says so (for 405). Captured parameters are copied into the
 * request's param_buf, so they stay valid for the request's life; a path whose parameters do
 * not fit matches nothing.
 */
#ifndef SB_ROUTER_H
#define SB_ROUTER_H

#include "http/http.h"

struct http_route {
    const char *method;
    const char *pattern;
    const void *data; /* whatever the application attaches (handler, flags) */
};

enum http_match { HTTP_MATCHED, HTTP_NO_PATH, HTTP_NO_METHOD };

/* Finds the route for req->method and req->path; on a match, fills req->params. */
enum http_match http_route_match(const struct http_route *routes, size_t n,
                                 struct http_request *req, const struct http_route **out);

#endif
