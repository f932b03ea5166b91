#include "http/router.h"

#include <string.h>

/* Matches path against pattern; captures into req when capture is true. */
static bool match_path(const char *pattern, const char *path, struct http_request *req,
                       bool capture)
{
    size_t used = 0, nparams = 0;

    while (*pattern && *path) {
        const char *pe, *se;
        size_t plen, slen;

        if (*pattern != '/' || *path != '/')
            return false;
        pattern++;
        path++;
        pe = strchr(pattern, '/');
        se = strchr(path, '/');
        plen = pe ? (size_t)(pe - pattern) : strlen(pattern);
        slen = se ? (size_t)(se - path) : strlen(path);
        if (plen >= 2 && pattern[0] == '{' && pattern[plen - 1] == '}') {
            if (slen == 0)
                return false;
            if (capture) {
                if (nparams == sizeof(req->params) / sizeof(req->params[0]) ||
                    used + slen + 1 > sizeof(req->param_buf))
                    return false;
                memcpy(req->param_buf + used, path, slen);
                req->param_buf[used + slen] = '\0';
                req->params[nparams++] = req->param_buf + used;
                used += slen + 1;
            }
        } else if (plen != slen || memcmp(pattern, path, plen) != 0) {
            return false;
        }
        pattern += plen;
        path += slen;
    }
    if (*pattern || *path)
        return false;
    if (capture)
        req->nparams = nparams;
    return true;
}

enum http_match http_route_match(const struct http_route *routes, size_t n,
                                 struct http_request *req, const struct http_route **out)
{
    bool path_seen = false;

    *out = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!match_path(routes[i].pattern, req->path, req, false))
            continue;
        path_seen = true;
        if (strcmp(routes[i].method, req->method) != 0)
            continue;
        if (!match_path(routes[i].pattern, req->path, req, true))
            continue;
        *out = &routes[i];
        return HTTP_MATCHED;
    }
    return path_seen ? HTTP_NO_METHOD : HTTP_NO_PATH;
}
