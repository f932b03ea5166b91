/*
 * static.h: files of the web client (web/dist) served as they are.
 *
 * Only regular files under the root are served: paths with "..", backslashes, NUL or hidden
 * segments are refused, symlinks are not followed out of the root (the resolved path must stay
 * under it). Unknown paths without an extension fall back to index.html, so the client's own
 * routes (/teams/...) load the app.
 */
#ifndef SB_HTTP_STATIC_H
#define SB_HTTP_STATIC_H

#include "http/http.h"

/* Fills resp with the file for path; SB_ERR_NOT_FOUND when there is none. */
sb_err http_static_serve(const char *root, const char *path, struct http_response *resp);

#endif
